using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Farm.Messages.Drives;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Serialization;
using Farm.Messages.Views;

namespace Farm.Messages.Tests;

/// <summary>
/// Every message, event and the controller's snapshot goes through the one farm serializer and
/// comes back the same, under its short manifest, with no CLR type name in the bytes.
/// </summary>
public sealed class FarmSerializerTests : Akka.TestKit.Xunit2.TestKit
{
    public FarmSerializerTests()
        : base(FarmSerializer.Hocon)
    {
    }

    public static TheoryData<string> Manifests() => [.. FarmManifests.All.Select(t => t.Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_type_round_trips_under_its_manifest(string manifest)
    {
        var type = FarmManifests.TypeOf(manifest)!;
        var sample = new Samples(TestActor).Of(type);
        var serializer = Sys.Serialization.FindSerializerFor(sample);

        var bytes = serializer.ToBinary(sample);
        var back = ((SerializerWithStringManifest)serializer).FromBinary(bytes, manifest);

        Assert.IsType<FarmSerializer>(serializer);
        Assert.Equal(manifest, Akka.Serialization.Serialization.ManifestFor(serializer, sample));
        Assert.Equal(type, back.GetType());
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(serializer.ToBinary(back)));
        Assert.DoesNotContain("Farm.Messages", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_carries_its_event_by_manifest_and_an_actor_reference_resolves_back()
    {
        var report = new NodeReport("n1", "drive-D1", 7, new DriveIdle("D1"));
        var register = new RegisterNode("n1", TestActor, TestActor, [new DriveBeat("D1", "Idle")]);
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(report);

        var reportBack = (NodeReport)serializer.FromBinary(serializer.ToBinary(report), nameof(NodeReport));
        var registerBack = (RegisterNode)serializer.FromBinary(serializer.ToBinary(register), nameof(RegisterNode));

        Assert.Equal(new DriveIdle("D1"), reportBack.Event);
        Assert.Contains("\"manifest\":\"DriveIdle\"", Encoding.UTF8.GetString(serializer.ToBinary(report)), StringComparison.Ordinal);
        Assert.Equal(TestActor, registerBack.Node);
    }

    [Fact]
    public void An_unknown_manifest_is_refused_with_a_message_saying_the_build_may_be_older_than_the_data()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(new DriveIdle("D1"));

        var refused = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "DiscMeltedDown"));

        Assert.Contains("unknown farm manifest 'DiscMeltedDown'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_stored_before_its_optional_fields_existed_reads_back_with_their_defaults()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(GetFarmState.Instance);
        var older = """{"jobId":"old","imagePath":"/images/release.iso","imageBlocks":1000,"copies":2,"verify":"Full","mediaType":"DVD+R","priority":0,"submittedAt":"2026-11-22T12:00:00+00:00"}"""u8.ToArray();

        var stored = (Jobs.JobSubmitted)serializer.FromBinary(older, "JobSubmitted");

        Assert.Equal(("old", 2, VerifyMode.Full), (stored.JobId, stored.Copies, stored.Verify));
        Assert.Equal((null, null, null, (int?)null, false), (stored.Source, stored.Label, stored.DueAt, stored.MaxAttemptsPerCopy, stored.AllowResume));
    }

    [Fact]
    public void A_tower_report_stored_before_towers_said_whether_they_print_reads_back_as_no_printer()
    {
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(GetFarmState.Instance);
        var older = """{"towerId":"T1","inputBlanks":5,"inputMediaType":"DVD+R","output":1,"reject":0}"""u8.ToArray();

        var stored = (Towers.TowerBinsReported)serializer.FromBinary(older, "TowerBinsReported");

        Assert.Equal(new Towers.TowerBinsReported("T1", 5, "DVD+R", 1, 0, CanPrintLabels: false), stored);
    }

    [Fact]
    public void A_restored_farm_state_sorts_its_keys_ordinally_again()
    {
        var state = FarmState.Empty with { Towers = FarmState.Empty.Towers.Add("b", new TowerView("b", 1, "DVD+R", 0, 0, null)).Add("B", new TowerView("B", 1, "DVD+R", 0, 0, null)) };
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(state);

        var back = ((FarmState)serializer.FromBinary(serializer.ToBinary(state), nameof(FarmState))).WithOrdinalKeys();

        Assert.Equal(["B", "b"], back.Towers.Keys);
    }

    /// <summary>A non-default value for every parameter, built by reflection, so no type is left out as types are added.</summary>
    private sealed class Samples(IActorRef actor)
    {
        private int _counter;

        public object Of(Type type)
        {
            if (type == typeof(GetFarmState))
            {
                return GetFarmState.Instance;
            }

            if (type == typeof(FarmState))
            {
                return FarmState.Empty with
                {
                    Drives = FarmState.Empty.Drives.Add("D1", (DriveView)Of(typeof(DriveView))),
                    Towers = FarmState.Empty.Towers.Add("T1", (TowerView)Of(typeof(TowerView))),
                    AppliedReports = FarmState.Empty.AppliedReports.Add("drive-D1", 4),
                };
            }

            var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            return constructor.Invoke([.. constructor.GetParameters().Select(p => Value(p.ParameterType))]);
        }

        private object? Value(Type type)
        {
            _counter++;
            var nullable = Nullable.GetUnderlyingType(type);
            if (nullable is not null)
            {
                return Value(nullable);
            }

            return type switch
            {
                _ when type == typeof(string) => $"s{_counter}",
                _ when type == typeof(int) => _counter,
                _ when type == typeof(long) => 1000L + _counter,
                _ when type == typeof(double) => _counter + 0.5,
                _ when type == typeof(bool) => true,
                _ when type == typeof(uint) => 0xC0AA0000u + (uint)_counter,
                _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 12, 2, 4, 0, _counter % 60, TimeSpan.Zero),
                _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(_counter),
                _ when type == typeof(IActorRef) => actor,
                _ when type == typeof(IFarmEvent) => new DriveIdle($"D{_counter}"),
                _ when type.IsEnum => Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1),
                _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => List(type.GetGenericArguments()[0]),
                _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) => new Dictionary<string, string> { ["k"] = $"v{_counter}" },
                _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableList<>) => typeof(ImmutableList).GetMethods().First(m => m.Name == "Create" && m.GetParameters().Length == 1 && !m.GetParameters()[0].ParameterType.IsArray).MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [Value(type.GetGenericArguments()[0])]),
                _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableSortedDictionary<,>) => typeof(ImmutableSortedDictionary).GetMethods().First(m => m.Name == "Create" && m.GetParameters().Length == 0).MakeGenericMethod(type.GetGenericArguments()).Invoke(null, null),
                _ when type.IsClass => Of(type),
                _ => throw new NotSupportedException($"no sample for {type}"),
            };
        }

        private IList List(Type element)
        {
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            list.Add(element == typeof(IReadOnlyDictionary<string, string>) ? new Dictionary<string, string> { ["k"] = "v" } : Value(element));
            return list;
        }
    }
}
