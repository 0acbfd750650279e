using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Akka.Actor;
using Akka.Serialization;

namespace Farm.Messages.Serialization;

/// <summary>
/// The one serializer for every <see cref="IFarmMessage"/> (and the controller's snapshot), over
/// System.Text.Json: camelCase, enums by name (a renumbered enum must not change a stored meaning),
/// the short manifest of <see cref="FarmManifests"/> instead of CLR type names, actor references as
/// their serialized paths. Bound in HOCON to <see cref="IFarmMessage"/> and <see cref="Views.FarmState"/>.
/// </summary>
public sealed class FarmSerializer : SerializerWithStringManifest
{
    /// <summary>Akka's ids below 100 are its own; this one must never change once data is stored.</summary>
    public const int Id = 4242;

    private readonly JsonSerializerOptions _options;

    public FarmSerializer(ExtendedActorSystem system)
        : base(system)
    {
        _options = CreateOptions(system);
    }

    public override int Identifier => Id;

    public override string Manifest(object o) => FarmManifests.ManifestOf(o);

    public override byte[] ToBinary(object obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), _options);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var type = FarmManifests.TypeOf(manifest)
            ?? throw new System.Runtime.Serialization.SerializationException($"unknown farm manifest '{manifest}': this build is older than the data it reads (upgrade it) or the data is not BurnFarm's");
        return JsonSerializer.Deserialize(bytes, type, _options)
            ?? throw new System.Runtime.Serialization.SerializationException($"a '{manifest}' payload decoded to nothing");
    }

    /// <summary>The HOCON that binds the farm's protocol to this serializer.</summary>
    public static string Hocon => $$"""
        akka.actor {
          serializers.farm = "{{typeof(FarmSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(IFarmMessage).AssemblyQualifiedName}}" = farm
          }
          serialization-identifiers {
            "{{typeof(FarmSerializer).AssemblyQualifiedName}}" = {{Id}}
          }
        }
        """;

    /// <summary>The JSON options (with actor references resolved in <paramref name="system"/>, when given).</summary>
    internal static JsonSerializerOptions CreateOptions(ExtendedActorSystem? system)
    {
        var created = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        created.Converters.Add(new JsonStringEnumConverter());
        created.Converters.Add(new FarmEventConverter());
        if (system is not null)
        {
            created.Converters.Add(new ActorRefConverter(system));
        }

        created.MakeReadOnly();
        return created;
    }

    /// <summary>An event inside a message (a node's report): written as its manifest and its payload.</summary>
    private sealed class FarmEventConverter : JsonConverter<IFarmEvent>
    {
        public override IFarmEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var manifest = root.GetProperty("manifest").GetString() ?? throw new JsonException("an event without a manifest");
            var type = FarmManifests.TypeOf(manifest) ?? throw new JsonException($"unknown farm event manifest '{manifest}'");
            return (IFarmEvent?)root.GetProperty("event").Deserialize(type, options);
        }

        public override void Write(Utf8JsonWriter writer, IFarmEvent value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteString("manifest", FarmManifests.ManifestOf(value));
            writer.WritePropertyName("event");
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
            writer.WriteEndObject();
        }
    }

    /// <summary>An actor reference as its full path (with address), resolved again on the receiving system.</summary>
    private sealed class ActorRefConverter(ExtendedActorSystem system) : JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetString() is { Length: > 0 } path ? system.Provider.ResolveActorRef(path) : ActorRefs.Nobody;

        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Akka.Serialization.Serialization.SerializedActorPath(value));
    }
}
