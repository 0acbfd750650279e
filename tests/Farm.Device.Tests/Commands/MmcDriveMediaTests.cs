using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Transports;

namespace Farm.Device.Tests.Commands;

/// <summary>The MmcDrive methods for mode pages, speeds and media preparation, against a scripted transport.</summary>
public class MmcDriveMediaTests
{
    private const byte TestUnitReady = 0x00;

    private static readonly MmcDriveOptions FastPolling = new() { ReadyPollInterval = TimeSpan.FromMilliseconds(1) };

    private static MmcDrive Drive(ScriptedTransport transport) => new(transport, TimeProvider.System, FastPolling);

    private static ScsiResult Good(byte[] cdb, Memory<byte> data) => ScsiResult.Good();

    [Fact]
    public async Task Mode_select_sends_the_write_parameters_page_with_pf_and_its_length()
    {
        var transport = new ScriptedTransport(Good);

        await Drive(transport).ModeSelectWriteParametersAsync(WriteParameters.DataDefaults, CancellationToken.None);

        var sent = Assert.Single(transport.Sent);
        Bytes.Equal("55 10 00 00 00 00 00 00 3C 00", sent.Cdb);
        Assert.Equal(DataDirection.ToDevice, sent.Direction);
        Assert.Equal(WriteParameters.DataDefaults.ToModeSelectParameterList(), sent.DataOut);
    }

    [Fact]
    public async Task Mode_sense_of_write_parameters_parses_what_the_drive_answers()
    {
        var page = (WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }).ToModeSelectParameterList();
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, page));

        var parameters = await Drive(transport).ModeSenseWriteParametersAsync(CancellationToken.None);

        Assert.Equal(WriteType.SessionAtOnce, parameters.WriteType);
        Bytes.Equal("5A 00 05 00 00 00 00 00 3C 00", transport.Sent[0].Cdb);
    }

    [Fact]
    public async Task A_garbled_capabilities_page_is_an_invalid_response_error_with_the_bytes()
    {
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, Bytes.Of("00 0A 00 00 00 00 00 00 2A 02 00 00")));

        var failure = await Assert.ThrowsAsync<DeviceException>(() => Drive(transport).ReadCapabilitiesAsync(CancellationToken.None));

        Assert.Equal(ImapiErrors.RecorderInvalidResponseFromDevice, failure.Error.Error);
        Assert.Contains("2A 02", failure.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Format_with_immed_sends_the_format_list_then_polls_until_the_format_is_done()
    {
        var polls = 0;
        var transport = new ScriptedTransport((cdb, data) =>
            cdb[0] == TestUnitReady && ++polls < 3
                ? ScsiResult.CheckCondition(SenseBuilder.Fixed(SenseKey.NotReady, 0x04, 0x04, progress: 0x8000))
                : ScsiResult.Good());

        await Drive(transport).FormatAsync(FormatDescriptor.DvdPlusRwBasic(), immediate: true, CancellationToken.None);

        Bytes.Equal("04 11 00 00 00 00", transport.Sent[0].Cdb);
        Bytes.Equal("00 02 00 08 FF FF FF FF 98 00 00 00", transport.Sent[0].DataOut);
        Assert.Equal([TestUnitReady, TestUnitReady, TestUnitReady], transport.Sent.Skip(1).Select(c => c.OperationCode));
    }

    [Fact]
    public async Task Blank_without_immed_does_not_poll()
    {
        var transport = new ScriptedTransport(Good);

        await Drive(transport).BlankAsync(BlankingType.Minimal, immediate: false, CancellationToken.None);

        var sent = Assert.Single(transport.Sent);
        Bytes.Equal("A1 01 00 00 00 00 00 00 00 00 00 00", sent.Cdb);
        Assert.Equal(DataDirection.None, sent.Direction);
    }

    [Fact]
    public async Task Blank_with_immed_polls_through_operation_in_progress()
    {
        var polls = 0;
        var transport = new ScriptedTransport((cdb, data) =>
            cdb[0] == TestUnitReady && ++polls < 2
                ? ScsiResult.CheckCondition(SenseBuilder.Fixed(SenseKey.NotReady, 0x04, 0x07))
                : ScsiResult.Good());

        await Drive(transport).BlankAsync(BlankingType.Full, immediate: true, CancellationToken.None);

        Assert.Equal([0xA1, TestUnitReady, TestUnitReady], transport.Sent.Select(c => c.OperationCode));
    }

    [Fact]
    public async Task Set_streaming_sends_one_28_byte_performance_descriptor()
    {
        var transport = new ScriptedTransport(Good);
        var performance = StreamingPerformance.ForSpeeds(2_294_920, 0x1000_0000, 11_080);

        await Drive(transport).SetStreamingAsync(performance, CancellationToken.None);

        Bytes.Equal("B6 00 00 00 00 00 00 00 00 00 1C 00", transport.Sent[0].Cdb);
        Assert.Equal(performance.ToBytes(), transport.Sent[0].DataOut);
    }

    [Fact]
    public async Task Get_write_speeds_parses_the_descriptors_the_drive_returned()
    {
        var answer = Bytes.Of("00 00 00 14 00 00 00 00" + "00 00 00 00 00 23 05 3F 00 00 2B 48 00 00 2B 48");
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, answer));

        var speeds = await Drive(transport).GetWriteSpeedsAsync(CancellationToken.None);

        Assert.Equal(11_080u, Assert.Single(speeds).WriteSpeedKBps);
    }

    [Fact]
    public async Task Read_format_capacities_returns_the_offered_formats()
    {
        var answer = Bytes.Of("00 00 00 10 00 23 05 40 01 00 08 00 00 23 05 40 98 00 00 00");
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, answer));

        var capacities = await Drive(transport).ReadFormatCapacitiesAsync(CancellationToken.None);

        Assert.NotNull(capacities.Offered(FormatType.DvdPlusRwBasic));
    }

    [Fact]
    public async Task Get_media_event_reports_media_present()
    {
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, Bytes.Of("00 06 04 10 02 02 00 00")));

        var media = await Drive(transport).GetMediaEventAsync(CancellationToken.None);

        Assert.True(media.MediaPresent);
        Bytes.Equal("4A 01 00 00 10 00 00 00 08 00", transport.Sent[0].Cdb);
    }

    [Fact]
    public async Task Request_sense_returns_the_progress_of_an_operation_in_progress()
    {
        var sense = SenseBuilder.Fixed(SenseKey.NotReady, 0x04, 0x04, progress: 0x4000);
        var transport = new ScriptedTransport((cdb, data) => ScriptedTransport.Reply(data, sense));

        var decoded = await Drive(transport).RequestSenseAsync(CancellationToken.None);

        Assert.Equal(0.25, decoded.ProgressFraction);
        Bytes.Equal("03 00 00 00 FC 00", transport.Sent[0].Cdb);
    }

    [Fact]
    public async Task Reserve_track_opc_and_cd_speed_send_their_cdbs_without_data()
    {
        var transport = new ScriptedTransport(Good);
        var drive = Drive(transport);

        await drive.ReserveTrackAsync(2_294_920, CancellationToken.None);
        await drive.SendOpcAsync(CancellationToken.None);
        await drive.SetCdSpeedAsync(MmcCommands.MaximumSpeed, 2816, RotationControl.ConstantLinearVelocity, CancellationToken.None);

        Assert.Equal([0x53, 0x54, 0xBB], transport.Sent.Select(c => c.OperationCode));
        Assert.All(transport.Sent, c => Assert.Equal(DataDirection.None, c.Direction));
    }
}
