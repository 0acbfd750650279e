using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;
using Farm.Node.Persistence;
using Farm.Node.Recording;
using Farm.Node.Towers;

namespace Farm.Node.Hosting;

/// <summary>
/// Stores the node's snapshots (<see cref="INodeSnapshot"/>) as System.Text.Json with short, stable
/// manifests: no CLR type names in the node's journal, and a renamed type keeps its manifest here.
/// It knows every snapshot type, so it sits in Hosting, above the actors that take the snapshots.
/// </summary>
public sealed class NodeSnapshotSerializer : SerializerWithStringManifest
{
    /// <summary>Next to the farm serializer's 4242; never changes once data is stored.</summary>
    public const int Id = 4243;

    private static readonly FrozenDictionary<string, Type> ByManifest = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        ["RecorderSnapshot.v1"] = typeof(RecorderSnapshot),
        ["TowerSnapshot.v1"] = typeof(TowerSnapshot),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> ByType = ByManifest.ToFrozenDictionary(p => p.Value, p => p.Key);

    private static readonly JsonSerializerOptions Json = CreateJson();

    public NodeSnapshotSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    public override int Identifier => Id;

    /// <summary>The HOCON that binds the node's snapshots to this serializer.</summary>
    public static string Hocon => $$"""
        akka.actor {
          serializers.farm-node-snapshot = "{{typeof(NodeSnapshotSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(INodeSnapshot).AssemblyQualifiedName}}" = farm-node-snapshot
          }
          serialization-identifiers {
            "{{typeof(NodeSnapshotSerializer).AssemblyQualifiedName}}" = {{Id}}
          }
        }
        """;

    public override string Manifest(object o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return ByType.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType().FullName} is not a node snapshot this serializer knows", nameof(o));
    }

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = ByManifest.GetValueOrDefault(manifest)
            ?? throw new System.Runtime.Serialization.SerializationException($"unknown node snapshot manifest '{manifest}': this build is older than the data it reads");
        return JsonSerializer.Deserialize(bytes, type, Json)
            ?? throw new System.Runtime.Serialization.SerializationException($"a '{manifest}' snapshot decoded to nothing");
    }

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
