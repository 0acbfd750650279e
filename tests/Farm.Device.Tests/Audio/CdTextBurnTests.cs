using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Tests.Simulation;
using Farm.Device.Transports;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>
/// CD-TEXT in the lead-in of a disc-at-once audio CD, written through the real MmcDrive to the
/// strict simulated drive and read back with READ TOC/PMA/ATIP format 5.
/// </summary>
public sealed class CdTextBurnTests : IDisposable
{
    private static readonly WriteParameters Sao = new()
    {
        WriteType = WriteType.SessionAtOnce,
        TrackMode = TrackMode.Audio,
        DataBlockType = DataBlockType.Raw2352,
    };

    private readonly TempDirectory _temp = new("farm-cdtext-burn");

    public void Dispose() => _temp.Dispose();

    /// <summary>Two tracks (6 s and 4 s of a tone) with album and track titles and performers.</summary>
    private DiscMaster Album()
    {
        var master = DiscMaster.ForAudio(_temp.FullPath);
        master.Redbook.Disc = new AudioDiscInfo("Farm Sessions", "The Burners", "0123456789012");
        master.Redbook.CreateTrack(info: new AudioTrackInfo("Opening", "The Burners", "USRC17607839"));
        master.Redbook.AddBlocks(TestWav.Samples(450 * CdAddress.BlockBytes, seed: 3));
        master.Redbook.CloseTrack();
        master.Redbook.CreateTrack(info: new AudioTrackInfo("Closing", "Guest"));
        master.Redbook.AddBlocks(TestWav.Samples(300 * CdAddress.BlockBytes, seed: 5));
        master.Redbook.CloseTrack();
        return master;
    }

    /// <summary>One silent 4-second track, no CD-TEXT.</summary>
    private DiscMaster WithoutCdText()
    {
        var master = DiscMaster.ForAudio(_temp.FullPath);
        master.Redbook.CreateTrack();
        master.Redbook.AddBlocks(new byte[300 * CdAddress.BlockBytes]);
        master.Redbook.CloseTrack();
        return master;
    }

    private static async Task<MmcRig> SaoRigWithCueSheetAsync(AudioDiscLayout layout)
    {
        var rig = await MmcRig.StartAsync(Profile.CdR);
        await rig.Mmc.ModeSelectWriteParametersAsync(Sao, CancellationToken.None);
        await rig.Mmc.SendCueSheetAsync(CueSheet.For(layout), CancellationToken.None);
        return rig;
    }

    /// <summary>Lead-in blocks <paramref name="first"/> on as the writer sends them.</summary>
    private static byte[] LeadInBlocks(AudioDiscLayout layout, long first, int blocks)
    {
        var data = new byte[blocks * CdTextLeadIn.BlockBytes];
        CdTextLeadIn.Fill(CdTextLeadIn.ToSymbols(CdTextPacks.For(layout)), first, data);
        return data;
    }

    [Fact]
    public async Task A_disc_at_once_burn_writes_the_cd_text_that_read_toc_format_5_gives_back()
    {
        using var master = Album();
        var layout = master.Redbook.Layout();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        var result = await new AudioDiscWriter(rig.Mmc).BurnAsync(layout, null, CancellationToken.None);

        Assert.True(result.Verify!.Matches, result.Verify.Problem);
        var packs = await rig.Mmc.ReadCdTextAsync(CancellationToken.None);
        Assert.Equal(CdTextPacks.For(layout), packs);
        Assert.Equal(result.CdTextPacks * CdTextPacks.PackBytes, packs.Length);
        Assert.Equal(["Farm Sessions", "Opening", "Closing"], CdTextPacks.Decode(packs, CdTextPacks.TypeTitle));
        Assert.Equal(["The Burners", "The Burners", "Guest"], CdTextPacks.Decode(packs, CdTextPacks.TypePerformer));
        Assert.Equal(["0123456789012", "USRC17607839", string.Empty], CdTextPacks.Decode(packs, CdTextPacks.TypeUpcIsrc));
        // The lead-in ran from the ATIP's 97:26:66 (LBA -11634) to -151 at 96 bytes a block, then the audio at 2352.
        Assert.Equal((11634L - 150) * 96 + ((150 + 750) * 2352L), rig.Drive.BytesWritten);
        Assert.Equal([(1, 0L), (2, 450L), (0xAA, 750L)], (await rig.Mmc.ReadTocAsync(CancellationToken.None)).Select(t => (t.Number, t.StartLba)));
    }

    [Fact]
    public void The_cue_sheet_announces_cd_text_with_lead_in_data_form_41h_and_without_it_keeps_01h()
    {
        using var master = Album();
        Assert.Equal(0x41, CueSheet.For(master.Redbook.Layout()).Chunk(8).First(e => e[0] == 0x01)[3]);

        using var plain = WithoutCdText();
        Assert.Equal(0x01, CueSheet.For(plain.Redbook.Layout()).Chunk(8).First(e => e[0] == 0x01)[3]);
    }

    [Fact]
    public async Task A_blank_cd_reports_the_atip_lead_in_start_97_26_66()
    {
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        var info = await rig.Mmc.ReadDiscInformationAsync(CancellationToken.None);

        Assert.Equal(0x00_61_1A_42u, info.LastSessionLeadInStart);
        Assert.Equal(-11634, CdAddress.FromLeadInMsf(info.LastSessionLeadInStart));
    }

    [Fact]
    public async Task A_lead_in_pack_with_a_bad_crc_is_an_invalid_field_in_the_parameter_list()
    {
        using var master = Album();
        var layout = master.Redbook.Layout();
        await using var rig = await SaoRigWithCueSheetAsync(layout);
        await rig.Mmc.WriteLeadInAsync(-11634, LeadInBlocks(layout, 0, 2), CancellationToken.None);
        var next = LeadInBlocks(layout, 2, 1);
        next[30] ^= 0x01; // a text symbol of the block's second pack: its CRC no longer matches

        Assert.Equal("5/26/00", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteLeadInAsync(-11632, next, CancellationToken.None)));
        await rig.Mmc.WriteLeadInAsync(-11632, LeadInBlocks(layout, 2, 1), CancellationToken.None);
    }

    [Fact]
    public async Task The_lead_in_starts_at_the_atip_lead_in_start_and_comes_before_the_pregap()
    {
        using var master = Album();
        var layout = master.Redbook.Layout();
        await using var rig = await SaoRigWithCueSheetAsync(layout);

        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteAudioAsync(-150, new byte[CdAddress.BlockBytes], CancellationToken.None)));
        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteLeadInAsync(-11633, LeadInBlocks(layout, 0, 1), CancellationToken.None)));
        for (int block = 0; block < 11634 - 150; block += 341)
        {
            // 341 blocks of 96 bytes: what one 32 KiB WRITE carries.
            int count = Math.Min(341, 11634 - 150 - block);
            await rig.Mmc.WriteLeadInAsync(-11634 + block, LeadInBlocks(layout, block, count), CancellationToken.None);
        }

        await rig.Mmc.WriteAudioAsync(-150, new byte[CdAddress.BlockBytes], CancellationToken.None);
    }

    [Fact]
    public async Task Lead_in_blocks_without_a_cue_sheet_announcing_cd_text_are_refused()
    {
        using var plain = WithoutCdText();
        using var master = Album();
        await using var rig = await SaoRigWithCueSheetAsync(plain.Redbook.Layout());

        Assert.Equal("5/21/02", await MmcRig.SenseOfAsync(() => rig.Mmc.WriteLeadInAsync(-11634, LeadInBlocks(master.Redbook.Layout(), 0, 1), CancellationToken.None)));
    }

    [Fact]
    public async Task Read_toc_format_5_of_a_disc_without_cd_text_is_an_invalid_field()
    {
        using var plain = WithoutCdText();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        await new AudioDiscWriter(rig.Mmc).BurnAsync(plain.Redbook.Layout(), null, CancellationToken.None);

        Assert.Equal("5/24/00", await MmcRig.SenseOfAsync(() => rig.Mmc.ReadCdTextAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task Track_at_once_with_cd_text_is_refused_as_invalid_argument_before_any_command()
    {
        using var master = Album();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        var error = await Assert.ThrowsAsync<DeviceException>(() =>
            new AudioDiscWriter(rig.Mmc, new AudioWriterOptions { Mode = AudioWriteMode.TrackAtOnce }).BurnAsync(master.Redbook.Layout(), null, CancellationToken.None));

        Assert.Equal(ImapiErrors.InvalidArgument, error.Error.Error);
        Assert.Contains("track-at-once cannot write a lead-in", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, rig.Drive.BytesWritten);
        Assert.Equal(DiscStatus.Empty, (await rig.Mmc.ReadDiscInformationAsync(CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Verify_fails_naming_the_pack_when_read_toc_format_5_does_not_give_back_what_was_written()
    {
        using var master = Album();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        var mmc = new MmcDrive(new TextAlteringTransport(rig.Drive), TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });

        var result = await new AudioDiscWriter(mmc).BurnAsync(master.Redbook.Layout(), null, CancellationToken.None);

        Assert.False(result.Verify!.Matches);
        Assert.Equal("CD-TEXT pack 0 (type 80h, track 0) was not read back (READ TOC format 5) as written", result.Verify.Problem);
    }

    /// <summary>A drive that reads the lead-in wrongly: the first CD-TEXT pack's first character comes back changed.</summary>
    private sealed class TextAlteringTransport(IScsiTransport inner) : IScsiTransport
    {
        public string Name => inner.Name;

        public int MaxTransferBytes => inner.MaxTransferBytes;

        public async ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var result = await inner.ExecuteAsync(cdb, direction, data, timeout, cancellationToken);
            if (cdb.Span[0] == 0x43 && (cdb.Span[2] & 0x0F) == 5 && data.Length > 8)
            {
                data.Span[4 + CdTextPacks.PackLayout.Text] ^= 0x20;
            }

            return result;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
