using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Tests.Transports;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Device.Tests.Fuzzing;

/// <summary>
/// Random bytes as device answers, through the same methods the farm calls: every answer ends in
/// a value or in the device layer's classified exception (<see cref="DeviceException"/> for a
/// drive, <see cref="TowerException"/> for a changer), never an unhandled exception. The seed is
/// printed; FARM_FUZZ_SEED replays a run, and a failure names the seed, the round and the bytes.
/// </summary>
public class DeviceAnswerFuzzTests(ITestOutputHelper output)
{
    private const int RoundsPerCommand = 3_000;

    private static readonly MmcDriveOptions QuickOptions = new()
    {
        // A "wait and retry" answer polls once and then gives up: the fuzz run stays bounded.
        ReadyPollInterval = TimeSpan.FromMilliseconds(1),
        LongOperationLimit = TimeSpan.FromMilliseconds(1),
    };

    private static readonly Dictionary<string, Func<MmcDrive, CancellationToken, Task>> DriveCommands = new()
    {
        ["INQUIRY"] = (d, c) => d.InquiryAsync(c),
        ["GET CONFIGURATION"] = (d, c) => d.GetConfigurationAsync(ConfigurationRequest.All, 0, c),
        ["GET CONFIGURATION (current profile)"] = (d, c) => d.GetCurrentProfileAsync(c),
        ["READ DISC INFORMATION"] = (d, c) => d.ReadDiscInformationAsync(c),
        ["READ TRACK INFORMATION"] = (d, c) => d.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, c),
        ["READ CAPACITY"] = (d, c) => d.ReadCapacityAsync(c),
        ["READ BUFFER CAPACITY"] = (d, c) => d.ReadBufferCapacityAsync(c),
        ["READ TOC"] = (d, c) => d.ReadTocAsync(c),
        ["READ TOC (session info)"] = (d, c) => d.ReadSessionInfoAsync(c),
        ["READ TOC (full)"] = (d, c) => d.ReadFullTocAsync(c),
        ["READ FORMAT CAPACITIES"] = (d, c) => d.ReadFormatCapacitiesAsync(c),
        ["GET EVENT STATUS NOTIFICATION"] = (d, c) => d.GetMediaEventAsync(c),
        ["REQUEST SENSE"] = (d, c) => d.RequestSenseAsync(c),
        ["MODE SENSE (write parameters)"] = (d, c) => d.ModeSenseWriteParametersAsync(c),
        ["MODE SENSE (capabilities)"] = (d, c) => d.ReadCapabilitiesAsync(c),
        ["GET PERFORMANCE (write speeds)"] = (d, c) => d.GetWriteSpeedsAsync(c),
        ["TEST UNIT READY (after a medium change)"] = (d, c) => d.WaitUntilReadyAsync(afterMediumChange: true, c),
        ["SYNCHRONIZE CACHE"] = (d, c) => d.SynchronizeCacheAsync(c),
        ["CLOSE TRACK/SESSION"] = (d, c) => d.CloseAsync(CloseFunction.CloseTrack, 1, c),
        ["READ(10)"] = (d, c) => d.ReadAsync(0, new byte[2048 * 2], c),
        ["READ CD"] = (d, c) => d.ReadCdAudioAsync(0, new byte[2352], c),
        ["WRITE(10)"] = (d, c) => d.WriteAsync(0, new byte[2048], streamingWrite12: false, c),
        ["MODE SELECT (write parameters)"] = (d, c) => d.ModeSelectWriteParametersAsync(new WriteParameters(), c),
        ["the data writer's media properties"] = (d, c) => new DataWriter(d).ReadMediaAsync(c),
    };

    private static readonly Dictionary<string, Func<SmcTowerRobot, SmcChanger, CancellationToken, Task>> ChangerCommands = new()
    {
        ["READ ELEMENT STATUS (storage)"] = (_, s, c) => s.ReadElementStatusAsync(SmcElementType.Storage, c),
        ["READ ELEMENT STATUS (data transfer)"] = (_, s, c) => s.ReadElementStatusAsync(SmcElementType.DataTransfer, c),
        ["READ ELEMENT STATUS (medium transport)"] = (_, s, c) => s.ReadElementStatusAsync(SmcElementType.MediumTransport, c),
        ["MOVE MEDIUM"] = (_, s, c) => s.MoveMediumAsync(0, 1, 2, c),
        ["INITIALIZE ELEMENT STATUS"] = (_, s, c) => s.InitializeElementStatusAsync(c),
        ["the tower's bins"] = (t, _, c) => t.GetBinsAsync(c),
        ["the tower's load of a blank"] = (t, _, c) => t.LoadBlankAsync("D1", "DVD+R", c),
        ["the tower's unload"] = (t, _, c) => t.UnloadAsync("D1", Bins.Output, c),
    };

    public static TheoryData<string> DriveCommandNames => [.. DriveCommands.Keys];

    public static TheoryData<string> ChangerCommandNames => [.. ChangerCommands.Keys];

    [Theory]
    [MemberData(nameof(DriveCommandNames))]
    public async Task A_drive_command_given_random_answers_returns_a_value_or_a_device_exception(string command)
    {
        var answers = new RandomAnswers(Seed());
        var drive = new MmcDrive(new RandomTransport(answers), TimeProvider.System, QuickOptions);
        for (var round = 0; round < RoundsPerCommand; round++)
        {
            try
            {
                await DriveCommands[command](drive, CancellationToken.None);
            }
            catch (DeviceException failure)
            {
                Assert.False(string.IsNullOrWhiteSpace(failure.Error.Message));
            }
            catch (Exception unhandled)
            {
                Assert.Fail(Failure(command, answers, round, unhandled));
            }
        }
    }

    [Theory]
    [MemberData(nameof(ChangerCommandNames))]
    public async Task A_changer_command_given_random_answers_returns_a_value_or_a_tower_exception(string command)
    {
        var answers = new RandomAnswers(Seed());
        var changer = new SmcChanger(new RandomTransport(answers));
        var layout = new SmcTowerLayout("T1", new Dictionary<string, ushort> { ["D1"] = 0x100 }, new(0x1000, 0x1009), new(0x1010, 0x1019), new(0x1020, 0x1021), "DVD+R");
        using var tower = new SmcTowerRobot(changer, layout);
        for (var round = 0; round < RoundsPerCommand; round++)
        {
            try
            {
                await ChangerCommands[command](tower, changer, CancellationToken.None);
            }
            catch (TowerException failure)
            {
                Assert.False(string.IsNullOrWhiteSpace(failure.Message));
            }
            catch (Exception unhandled)
            {
                Assert.Fail(Failure(command, answers, round, unhandled));
            }
        }
    }

    [Fact]
    public void Sense_bytes_of_any_shape_become_a_classified_device_error()
    {
        var answers = new RandomAnswers(Seed());
        for (var round = 0; round < 20_000; round++)
        {
            var sense = answers.Sense();
            var error = Classify(() => DeviceErrors.FromSense(sense, "FUZZ"), sense, answers, round);
            Assert.StartsWith("FUZZ: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Mutated_changer_answers_parse_or_are_refused_with_a_reason()
    {
        var answers = new RandomAnswers(Seed());
        byte[][] captured = [.. new[] { SmcParsingTests.TgtArm, SmcParsingTests.TgtSlots, SmcParsingTests.TgtAllTypes }.Select(Convert.FromHexString)];
        for (var round = 0; round < 20_000; round++)
        {
            var bytes = answers.Mutate(captured[round % captured.Length]);
            var (parsed, problem) = Classify(() => (SmcElementStatus.TryParse(bytes, out _, out var why), why), bytes, answers, round);
            Assert.True(parsed || !string.IsNullOrWhiteSpace(problem), $"seed {answers.Seed}, round {round}: refused without a reason");
        }
    }

    private static T Classify<T>(Func<T> decode, byte[] bytes, RandomAnswers answers, int round)
    {
        try
        {
            return decode();
        }
        catch (Exception unhandled)
        {
            throw new Xunit.Sdk.XunitException($"seed {answers.Seed}, round {round}: {RandomAnswers.Hex(bytes)} -> {unhandled}");
        }
    }

    private int Seed()
    {
        return FuzzSeed.Choose(ciSeed: 1768401274, output.WriteLine);
    }

    private static string Failure(string command, RandomAnswers answers, int round, Exception unhandled) =>
        $"{command}, seed {answers.Seed}, round {round}: the last answer ({answers.Last}) escaped as {unhandled.GetType().Name}: {unhandled}";
}
