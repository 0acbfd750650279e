using Farm.Device.Mmc;
using Farm.Device.Simulation;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// A write sequence per profile family, as the open tools send it, through <see cref="MmcDrive"/>
/// to the simulator, then read back: CD-R TAO, DVD-R incremental and disc-at-once, DVD+R, DVD+RW
/// and BD-RE after a format, BD-R, and a DVD-RW blanked and written again.
/// </summary>
public sealed class ProfileFamilyBurnTests
{
    private const int Blocks = 160;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_cd_r_track_at_once_burn_reads_back_and_its_run_out_blocks_differ_from_the_image()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        await rig.Mmc.ModeSelectWriteParametersAsync(
            WriteParameters.DataDefaults with { WriteType = WriteType.TrackAtOnce, TrackMode = TrackMode.DataUninterrupted }, None);
        await rig.Mmc.SendOpcAsync(None);

        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        Assert.Equal(DiscStatus.Complete, (await rig.Mmc.ReadDiscInformationAsync(None)).Status);
        Assert.Equal((uint)(Blocks + 2 - 1), (await rig.Mmc.ReadCapacityAsync(None)).LastLogicalBlockAddress);
        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
        Assert.NotEqual(Pattern(Blocks, 2), await rig.ReadAsync(Blocks, 2)); // a verify up to READ CAPACITY would fail here
    }

    [Fact]
    public async Task A_cd_r_track_at_once_track_is_followed_by_link_and_run_in_blocks_before_the_next_track()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        await rig.Mmc.ModeSelectWriteParametersAsync(
            WriteParameters.DataDefaults with { WriteType = WriteType.TrackAtOnce, TrackMode = TrackMode.DataUninterrupted }, None);
        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);

        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        var next = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, None);

        Assert.Equal((uint)(Blocks + 2 + 5), next.NextWritableAddress);
    }

    [Fact]
    public async Task A_dvd_minus_r_incremental_burn_finalises_and_reads_back()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { LinkSizeValid = true, LinkSize = 16 }, None);

        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        Assert.Equal(DiscStatus.Complete, (await rig.Mmc.ReadDiscInformationAsync(None)).Status);
        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
    }

    [Fact]
    public async Task A_dvd_minus_r_disc_at_once_burn_fills_its_reserved_track_and_reads_back()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRSequential);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { WriteType = WriteType.SessionAtOnce }, None);

        await rig.Mmc.ReserveTrackAsync(Blocks, None);
        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        Assert.Equal(DiscStatus.Complete, (await rig.Mmc.ReadDiscInformationAsync(None)).Status);
        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
    }

    [Fact]
    public async Task A_dvd_plus_r_burn_leaves_the_disc_appendable_and_a_second_session_follows()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);
        var next = await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, None);
        await rig.WritePatternAsync((int)next.NextWritableAddress, 32, seed: 7);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 2, None);
        await rig.Mmc.CloseAsync(CloseFunction.FinalizeMinimalRadius, 0, None);

        var disc = await rig.Mmc.ReadDiscInformationAsync(None);
        Assert.Equal(DiscStatus.Complete, disc.Status);
        Assert.Equal(2, disc.NumberOfSessions);
        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
        Assert.Equal(Pattern(next.NextWritableAddress, 32, seed: 7), await rig.ReadAsync((int)next.NextWritableAddress, 32));
    }

    [Fact]
    public async Task A_dvd_plus_rw_burn_after_a_basic_format_reads_back()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusRw, unformatted: true);

        await rig.Mmc.FormatAsync(FormatDescriptor.DvdPlusRwBasic(), immediate: true, None);
        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);

        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
        Assert.Equal(FormatState.Usable, rig.Disc.Formatting);
    }

    [Fact]
    public async Task A_bd_r_burn_with_streaming_writes_finalises_and_reads_back()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRSequential);

        for (int lba = 0; lba < Blocks; lba += 32)
        {
            await rig.Mmc.WriteAsync(lba, Pattern(lba, 32), streamingWrite12: true, None);
        }

        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.FinalizeDisc, 0, None);

        Assert.Equal(DiscStatus.Complete, (await rig.Mmc.ReadDiscInformationAsync(None)).Status);
        Assert.Equal(Pattern(0, Blocks), await rig.ReadAsync(0, Blocks));
    }

    [Fact]
    public async Task A_bd_re_burn_after_a_format_reads_back()
    {
        await using var rig = await MmcRig.StartAsync(Profile.BdRe, unformatted: true);
        var offered = (await rig.Mmc.ReadFormatCapacitiesAsync(None)).Offered(FormatType.BdReWithSpareAreas)!;

        await rig.Mmc.FormatAsync(FormatDescriptor.From(offered, (byte)BdFormatSubtype.QuickCertification), immediate: true, None);
        await rig.WritePatternAsync(4096, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);

        Assert.Equal(Pattern(4096, Blocks), await rig.ReadAsync(4096, Blocks));
    }

    [Fact]
    public async Task A_finalised_dvd_minus_rw_blanked_is_written_again_from_lba_0()
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdRwSequential);
        await rig.WritePatternAsync(0, Blocks);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        await rig.Mmc.BlankAsync(BlankingType.Minimal, immediate: true, None);
        Assert.Equal(0u, (await rig.Mmc.ReadTrackInformationAsync(TrackAddressType.TrackNumber, 0xFF, None)).NextWritableAddress);
        await rig.WritePatternAsync(0, 48, seed: 9);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        Assert.Equal(Pattern(0, 48, seed: 9), await rig.ReadAsync(0, 48));
        Assert.Equal((uint)47, (await rig.Mmc.ReadCapacityAsync(None)).LastLogicalBlockAddress);
    }

    [Fact]
    public async Task A_cd_r_with_multi_session_allowed_stays_appendable_after_closing_the_session()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        await rig.Mmc.ModeSelectWriteParametersAsync(WriteParameters.DataDefaults with { MultiSession = MultiSession.NextSessionAllowed }, None);

        await rig.WritePatternAsync(0, 32);
        await rig.Mmc.SynchronizeCacheAsync(None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, None);
        await rig.Mmc.CloseAsync(CloseFunction.CloseSession, 0, None);

        Assert.Equal(DiscStatus.Incomplete, (await rig.Mmc.ReadDiscInformationAsync(None)).Status);
    }
}
