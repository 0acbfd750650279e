using Farm.Device.Audio;
using Farm.Device.Mmc;
using Farm.Device.Tests.Simulation;
using Farm.Device.Transports;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>The simulated drive's checks on CD-DA, each the sense a strict drive gives.</summary>
public sealed class CdDaSimulatorTests : IDisposable
{
    private readonly TempDirectory _temp = new("farm-cdda-sim");

    public void Dispose() => _temp.Dispose();

    private static readonly WriteParameters Sao = new()
    {
        WriteType = WriteType.SessionAtOnce,
        TrackMode = TrackMode.Audio,
        DataBlockType = DataBlockType.Raw2352,
    };

    private static AudioDiscLayout Layout(DiscMaster master, long blocks = 400)
    {
        master.Redbook.CreateTrack();
        master.Redbook.AddBlocks(new byte[blocks * CdAddress.BlockBytes]);
        master.Redbook.CloseTrack();
        return master.Redbook.Layout();
    }

    private static async Task<MmcRig> SaoRigAsync()
    {
        var rig = await MmcRig.StartAsync(Profile.CdR);
        await rig.Mmc.ModeSelectWriteParametersAsync(Sao, CancellationToken.None);
        return rig;
    }

    [Fact]
    public async Task A_cue_sheet_before_page_05h_says_sao_is_a_command_sequence_error()
    {
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        Assert.Equal("5/2C/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(CueSheet.For(Layout(master)), CancellationToken.None)));
    }

    [Fact]
    public async Task A_cue_sheet_with_a_track_under_four_seconds_is_invalid()
    {
        await using var rig = await SaoRigAsync();
        // Lead-in, track 1 index 0 at 00:00:00, index 1 at 00:02:00, lead-out at 00:05:00 (3 seconds).
        var sheet = Bytes("01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00  01 AA 01 01 00 00 05 00");

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(sheet, CancellationToken.None)));
    }

    [Fact]
    public async Task A_cue_sheet_with_a_data_track_or_a_skipped_track_number_is_invalid()
    {
        await using var rig = await SaoRigAsync();
        var dataTrack = Bytes("41 00 00 01 00 00 00 00  41 01 00 10 00 00 00 00  41 01 01 10 00 00 02 00  41 AA 01 01 00 00 10 00");
        var skipped = Bytes("01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00  01 03 01 00 00 00 08 00  01 AA 01 01 00 00 20 00");

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(dataTrack, CancellationToken.None)));
        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(skipped, CancellationToken.None)));
    }

    [Fact]
    public async Task A_cue_sheet_not_a_multiple_of_eight_is_a_parameter_list_length_error()
    {
        await using var rig = await SaoRigAsync();

        Assert.Equal("5/1A/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(new byte[12], CancellationToken.None)));
    }

    [Fact]
    public async Task A_lead_out_beyond_the_disc_is_invalid()
    {
        await using var rig = await SaoRigAsync();
        // Lead-out at 80:00:00, past the simulated CD-R's 359,847 blocks.
        var sheet = Bytes("01 00 00 01 00 00 00 00  01 01 00 00 00 00 00 00  01 01 01 00 00 00 02 00  01 AA 01 01 00 50 00 00");

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.SendCueSheetAsync(sheet, CancellationToken.None)));
    }

    [Fact]
    public async Task Sao_writes_must_start_at_the_pregap_and_follow_the_cue_sheet()
    {
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        await using var rig = await SaoRigAsync();
        await rig.Mmc.SendCueSheetAsync(CueSheet.For(Layout(master)), CancellationToken.None);
        var block = new byte[CdAddress.BlockBytes];

        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteAudioAsync(0, block, CancellationToken.None)));
        await rig.Mmc.WriteAudioAsync(-150, block, CancellationToken.None);
        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteAudioAsync(-148, block, CancellationToken.None)));
    }

    [Fact]
    public async Task A_2048_byte_write_while_page_05h_says_cd_da_is_refused_for_its_size()
    {
        await using var rig = await SaoRigAsync();
        var transport = rig.Drive;
        byte[] cdb = [0x2A, 0, 0xFF, 0xFF, 0xFF, 0x6A, 0, 0, 1, 0];

        var result = await transport.ExecuteAsync(cdb, DataDirection.ToDevice, new byte[2048], TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(0x24, result.Sense.Span[12]);
    }

    [Fact]
    public async Task Audio_tracks_refuse_read_10_and_data_tracks_refuse_read_cd()
    {
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        await new AudioDiscWriter(rig.Mmc).BurnAsync(Layout(master), null, CancellationToken.None);

        Assert.Equal("5/64/00", await MmcRig.SenseOfAsync(() => rig.Mmc.ReadAsync(0, new byte[2048], CancellationToken.None)));
        Assert.Equal("5/21/00", await MmcRig.SenseOfAsync(() => rig.Mmc.ReadCdAudioAsync(400, new byte[CdAddress.BlockBytes], CancellationToken.None)));

        await using var data = await MmcRig.StartAsync(Profile.CdR);
        await data.WritePatternAsync(0, 16);
        await data.Mmc.SynchronizeCacheAsync(CancellationToken.None);
        await data.Mmc.CloseAsync(CloseFunction.CloseTrack, 1, CancellationToken.None);
        await data.Mmc.CloseAsync(CloseFunction.CloseSession, 0, CancellationToken.None);
        Assert.Equal("5/64/00", await MmcRig.SenseOfAsync(() => data.Mmc.ReadCdAudioAsync(0, new byte[CdAddress.BlockBytes], CancellationToken.None)));
    }

    [Fact]
    public async Task Read_toc_of_a_blank_disc_is_an_invalid_field()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        Assert.Equal("5/24/00", await MmcRig.SenseOfAsync(() => rig.Mmc.ReadTocAsync(CancellationToken.None)));
    }

    private static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
