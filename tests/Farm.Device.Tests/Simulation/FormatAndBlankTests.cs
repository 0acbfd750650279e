using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using Farm.Testing;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>FORMAT UNIT, READ FORMAT CAPACITIES and BLANK on the simulator (MMC-6), with progress on a manual clock.</summary>
public sealed class FormatAndBlankTests
{
    private static readonly byte[] TestUnitReady = [0x00, 0, 0, 0, 0, 0];

    private static SimulatedDriveOptions Timed => new() { QuickFormatDuration = TimeSpan.FromSeconds(30), BackgroundFormatStartDuration = TimeSpan.FromSeconds(4) };

    [Fact]
    public async Task A_fresh_dvd_plus_rw_reads_as_an_empty_unformatted_disc()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusRw, unformatted: true);

        var info = await rig.Mmc.ReadDiscInformationAsync(CancellationToken.None);
        var capacities = await rig.Mmc.ReadFormatCapacitiesAsync(CancellationToken.None);

        Assert.Equal(DiscStatus.Empty, info.Status);
        Assert.Equal(0, await BackgroundFormatStatusAsync(rig.Drive));
        Assert.Equal(CapacityDescriptorType.Unformatted, capacities.DescriptorType);
        Assert.NotNull(capacities.Offered(FormatType.DvdPlusRwBasic));
    }

    [Theory]
    [InlineData(Profile.DvdPlusRw)]
    [InlineData(Profile.BdRe)]
    public async Task Writing_an_unformatted_disc_is_medium_not_formatted(Profile profile)
    {
        await using var rig = await MmcRig.StartAsync(profile, unformatted: true);

        Assert.Equal("5/30/10", await MmcRig.SenseOfAsync(() => rig.WritePatternAsync(0, 16)));
    }

    [Fact]
    public async Task A_dvd_plus_rw_basic_format_reports_format_in_progress_then_formats_in_the_background_while_writable()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed, clock);
        drive.Insert(SimulatedDisc.Unformatted(Profiles.Get(Profile.DvdPlusRw), "rw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);

        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdPlusRwBasic(), immediate: true)));
        clock.Advance(TimeSpan.FromSeconds(2));
        var busy = await drive.RunAsync(TestUnitReady);
        AssertSense(busy, SenseKey.NotReady, 0x04, 0x04);
        Assert.InRange(Progress(busy)!.Value, 30_000, 36_000);

        clock.Advance(TimeSpan.FromSeconds(2));
        AssertGood(await drive.RunAsync(TestUnitReady));
        Assert.Equal(0b10, await BackgroundFormatStatusAsync(drive));
        AssertGood(await drive.WriteAsync(Write10(1000, 16), Pattern(1000, 16)));
        Assert.Equal(FormatState.BackgroundFormatInProgress, drive.CurrentDisc!.Formatting);
    }

    [Fact]
    public async Task A_background_format_runs_to_completion_and_get_event_status_reports_it()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed, clock);
        drive.Insert(SimulatedDisc.Unformatted(Profiles.Get(Profile.DvdPlusRw), "rw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);
        await MediaEventAsync(drive); // new media
        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdPlusRwBasic(), immediate: true)));

        clock.Advance(TimeSpan.FromHours(1)); // 4.7 GB at 8x takes about 7 minutes

        Assert.Equal(0b11, await BackgroundFormatStatusAsync(drive));
        Assert.Equal(MediaEventCode.BackgroundFormatCompleted, (await MediaEventAsync(drive)).Code);
    }

    [Fact]
    public async Task Close_function_000b_stops_de_icing_and_a_format_with_restart_resumes_it()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed with { CloseTrackDuration = TimeSpan.Zero }, clock);
        drive.Insert(SimulatedDisc.Unformatted(Profiles.Get(Profile.DvdPlusRw), "rw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);
        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdPlusRwBasic(), immediate: true)));
        clock.Advance(TimeSpan.FromSeconds(10));

        AssertGood(await drive.RunAsync(Close(0b000)));
        Assert.Equal(0b01, await BackgroundFormatStatusAsync(drive));

        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdPlusRwBasic(restart: true), immediate: true)));
        Assert.Equal(0b10, await BackgroundFormatStatusAsync(drive));
    }

    [Fact]
    public async Task A_format_restart_without_a_stopped_format_is_an_invalid_field_in_the_parameter_list()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusRw, unformatted: true);

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.FormatAsync(FormatDescriptor.DvdPlusRwBasic(restart: true), immediate: false, CancellationToken.None)));
    }

    [Fact]
    public async Task Request_sense_during_a_format_reports_format_in_progress_with_progress()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed, clock);
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.DvdRwSequential), "rw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);
        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdMinusRw(quick: true, 2_297_888), immediate: true)));
        clock.Advance(TimeSpan.FromSeconds(15));

        var sense = await drive.ReadDataAsync([0x03, 0, 0, 0, 18, 0], 18);

        Assert.Equal((byte)SenseKey.NotReady, sense[2]);
        Assert.Equal([0x04, 0x04], sense[12..14]);
        Assert.InRange((sense[16] << 8) | sense[17], 30_000, 36_000);
        AssertSense(await drive.RunAsync(ReadDiscInformation(), new byte[34]), SenseKey.NotReady, 0x04, 0x04);
    }

    [Fact]
    public async Task A_format_without_immed_holds_the_command_until_the_format_is_done()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed, clock);
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.DvdRwSequential), "rw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);

        var format = drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.DvdMinusRw(quick: true, 2_297_888), immediate: false)).AsTask();
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(format.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));

        AssertGood(await format);
        Assert.Equal(Profile.DvdRwRestrictedOverwrite, drive.CurrentDisc!.Profile.Profile);
    }

    [Fact]
    public async Task A_dvd_minus_rw_quick_format_turns_it_into_restricted_overwrite_written_anywhere()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRwSequential);
        var offered = (await rig.Mmc.ReadFormatCapacitiesAsync(CancellationToken.None)).Offered(FormatType.DvdMinusRwQuick)!;

        await rig.Mmc.FormatAsync(FormatDescriptor.From(offered), immediate: true, CancellationToken.None);
        await rig.WritePatternAsync(5000, 32);

        Assert.Equal(Profile.DvdRwRestrictedOverwrite, await rig.Mmc.GetCurrentProfileAsync(CancellationToken.None));
        Assert.Equal(Pattern(5000, 32), await rig.ReadAsync(5000, 32));
    }

    [Theory]
    [InlineData(FormatType.Full, 11_826_176)]
    [InlineData(FormatType.BdReWithSpareAreas, 11_826_176)]
    [InlineData(FormatType.BdReWithoutSpareAreas, 12_219_392)]
    public async Task A_bd_re_format_sets_the_capacity_of_its_format_type(FormatType type, long capacity)
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRe, unformatted: true);
        var offered = (await rig.Mmc.ReadFormatCapacitiesAsync(CancellationToken.None)).Offered(type)!;

        await rig.Mmc.FormatAsync(FormatDescriptor.From(offered, type == FormatType.BdReWithSpareAreas ? (byte)BdFormatSubtype.QuickCertification : (byte)0), immediate: false, CancellationToken.None);

        Assert.Equal((uint)(capacity - 1), (await rig.Mmc.ReadCapacityAsync(CancellationToken.None)).LastLogicalBlockAddress);
        Assert.Equal(CapacityDescriptorType.Formatted, (await rig.Mmc.ReadFormatCapacitiesAsync(CancellationToken.None)).DescriptorType);
    }

    [Fact]
    public async Task A_bd_re_quick_reformat_of_an_unformatted_disc_is_an_invalid_field_in_the_parameter_list()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRe, unformatted: true);

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.FormatAsync(
            FormatDescriptor.BdRe(spareAreas: true, 11_826_176, BdFormatSubtype.QuickReformat), immediate: false, CancellationToken.None)));
    }

    [Theory]
    [InlineData(Profile.DvdPlusR)]
    [InlineData(Profile.CdR)]
    [InlineData(Profile.BdRSequential)]
    public async Task Formatting_a_write_once_medium_is_an_invalid_field_in_the_parameter_list(Profile profile)
    {
        await using var rig = await MmcRig.StartAsync(profile);

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.FormatAsync(FormatDescriptor.DvdPlusRwBasic(), immediate: false, CancellationToken.None)));
    }

    [Fact]
    public async Task A_format_for_a_number_of_blocks_the_medium_does_not_offer_is_an_invalid_field_in_the_parameter_list()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRwSequential);

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.FormatAsync(FormatDescriptor.DvdMinusRw(quick: true, 1000), immediate: false, CancellationToken.None)));
    }

    [Fact]
    public async Task A_format_list_without_its_descriptor_is_a_parameter_list_length_error()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        AssertSense(await drive.WriteAsync(FormatUnit, [0x00, 0x02, 0x00, 0x08]), SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    [Fact]
    public async Task A_minimal_blank_with_immed_reports_operation_in_progress_with_progress_and_leaves_the_cd_rw_blank()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(new SimulatedDriveOptions { MinimalBlankDuration = TimeSpan.FromSeconds(60), CloseTrackDuration = TimeSpan.Zero, FinalizeDuration = TimeSpan.Zero, WriteSpeedX = 1000 }, clock);
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.CdRw), "cdrw", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        var flush = drive.RunAsync(SynchronizeCache());
        clock.Advance(TimeSpan.FromSeconds(1));
        AssertGood(await flush);
        AssertGood(await drive.RunAsync(Close(0b001, 1)));
        AssertGood(await drive.RunAsync(Close(0b010)));

        AssertGood(await drive.RunAsync([0xA1, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        clock.Advance(TimeSpan.FromSeconds(45));
        var busy = await drive.RunAsync(TestUnitReady);
        AssertSense(busy, SenseKey.NotReady, 0x04, 0x07);
        Assert.InRange(Progress(busy)!.Value, 47_000, 51_000);
        clock.Advance(TimeSpan.FromSeconds(15));

        AssertGood(await drive.RunAsync(TestUnitReady));
        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);
        Assert.Equal((int)DiscStatus.Empty, info[2] & 0x03);
        Assert.Equal(0L, drive.CurrentDisc!.NextWritableAddress);
    }

    [Fact]
    public async Task A_full_blank_returns_a_restricted_overwrite_dvd_minus_rw_to_sequential_recording()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRwRestrictedOverwrite);
        await rig.WritePatternAsync(0, 16);

        await rig.Mmc.BlankAsync(BlankingType.Full, immediate: true, CancellationToken.None);

        Assert.Equal(Profile.DvdRwSequential, await rig.Mmc.GetCurrentProfileAsync(CancellationToken.None));
        Assert.Equal(DiscStatus.Empty, (await rig.Mmc.ReadDiscInformationAsync(CancellationToken.None)).Status);
    }

    /// <summary>
    /// BLANK on media that cannot be blanked answers 5/24/00: the opcode is supported (the drive
    /// writes CD-RW and DVD-RW), and MMC-6 rejects a blanking type the medium does not support as
    /// an invalid field in the CDB.
    /// </summary>
    [Theory]
    [InlineData(Profile.DvdPlusR)]
    [InlineData(Profile.DvdPlusRw)]
    [InlineData(Profile.CdR)]
    [InlineData(Profile.BdRe)]
    public async Task Blank_on_a_medium_that_cannot_be_blanked_is_an_invalid_field_in_the_cdb(Profile profile)
    {
        await using var rig = await MmcRig.StartAsync(profile);

        Assert.Equal("5/24/00", await MmcRig.SenseOfAsync(() => rig.Mmc.BlankAsync(BlankingType.Minimal, immediate: false, CancellationToken.None)));
    }

    [Fact]
    public async Task A_blanking_type_the_simulator_does_not_implement_is_an_invalid_field_in_the_cdb()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdRw);

        Assert.Equal("5/24/00", await MmcRig.SenseOfAsync(() => rig.Mmc.BlankAsync(BlankingType.Session, immediate: false, CancellationToken.None)));
    }

    [Fact]
    public async Task A_power_loss_during_a_format_leaves_the_disc_unformatted()
    {
        var clock = new ManualTimeProvider();
        await using var drive = new SimulatedDrive(Timed, clock);
        drive.Insert(SimulatedDisc.Unformatted(Profiles.Get(Profile.BdRe), "bd", new MemoryMediaStore()));
        await drive.RunAsync(TestUnitReady);
        drive.Faults.InjectOnce(FaultTrigger.During(DrivePhase.Formatting).After(1), Fault.PowerLoss());
        AssertGood(await drive.WriteAsync(FormatUnit, FormatList(FormatDescriptor.BdRe(spareAreas: false, 12_219_392), immediate: true)));
        clock.Advance(TimeSpan.FromSeconds(10));

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.UnitAttention, 0x29, 0x00);
        clock.Advance(TimeSpan.FromMinutes(5));

        AssertGood(await drive.RunAsync(TestUnitReady));
        Assert.Equal(FormatState.Unformatted, drive.CurrentDisc!.Formatting);
    }

    private static byte[] FormatUnit => [0x04, 0x11, 0, 0, 0, 0];

    private static byte[] FormatList(FormatDescriptor descriptor, bool immediate) => descriptor.ToParameterList(immediate);

    /// <summary>READ DISC INFORMATION byte 7 bits 1-0.</summary>
    private static async Task<int> BackgroundFormatStatusAsync(SimulatedDrive drive) =>
        (await drive.ReadDataAsync(ReadDiscInformation(), 34))[7] & 0x03;

    private static async Task<MediaEvent> MediaEventAsync(SimulatedDrive drive)
    {
        var data = await drive.ReadDataAsync(MmcCommands.GetEventStatusNotification(NotificationClasses.Media).Bytes.ToArray(), 8);
        Assert.True(MediaEvent.TryParse(data, out var mediaEvent, out var problem), problem);
        return mediaEvent;
    }
}
