using Farm.Device.Audio;
using Farm.Device.Mmc;
using Farm.Device.Tests.Simulation;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>
/// Audio discs written through the real MmcDrive to the strict simulated drive and read back with
/// READ TOC/PMA/ATIP (formats 0, 1, 2) and READ CD.
/// </summary>
public sealed class AudioBurnTests : IDisposable
{
    private readonly TempDirectory _temp = new("farm-audio-burn");

    public void Dispose() => _temp.Dispose();

    private DiscMaster TwoTracks(long firstBlocks = 450, long secondBlocks = 320)
    {
        var master = DiscMaster.ForAudio(_temp.FullPath);
        var stager = master.Redbook;
        stager.CreateTrack();
        stager.AddBlocks(TestWav.Samples(firstBlocks * CdAddress.BlockBytes, seed: 11));
        stager.CloseTrack();
        stager.CreateTrack();
        stager.AddBlocks(TestWav.Samples(secondBlocks * CdAddress.BlockBytes, seed: 13));
        stager.CloseTrack();
        return master;
    }

    [Fact]
    public async Task Disc_at_once_writes_a_finalised_disc_whose_toc_and_audio_match_the_staging()
    {
        using var master = TwoTracks();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);
        var reported = new List<AudioTrackProgress>();

        var result = await new AudioDiscWriter(rig.Mmc).BurnAsync(master.Redbook.Layout(), new SyncProgress(reported), CancellationToken.None);

        Assert.True(result.Verify!.Matches, result.Verify.Problem);
        Assert.Equal(2, result.Verify.TracksCompared);
        Assert.Equal(150 + 450 + 320, result.BlocksWritten);
        Assert.Contains(reported, p => p is { Track: 2, Tracks: 2, Done: true });
        var toc = await rig.Mmc.ReadTocAsync(CancellationToken.None);
        Assert.Equal([(1, 0L), (2, 450L), (0xAA, 770L)], toc.Select(t => (t.Number, t.StartLba)));
        Assert.All(toc, t => Assert.True(t.IsAudio));
        Assert.Equal(DiscStatus.Complete, (await rig.Mmc.ReadDiscInformationAsync(CancellationToken.None)).Status);
        var session = await rig.Mmc.ReadSessionInfoAsync(CancellationToken.None);
        Assert.Equal((1, 1, 1, 0L), session);
        var full = await rig.Mmc.ReadFullTocAsync(CancellationToken.None);
        Assert.Equal([0xA0, 0xA1, 0xA2, 1, 2], full.Select(e => e.Point));
        Assert.Equal((byte)1, full[0].PMin);
        Assert.Equal((byte)2, full[1].PMin);
        // Lead-out at LBA 770 = MSF 00:12:20 (770 + 150 frames).
        Assert.Equal(((byte)0, (byte)12, (byte)20), (full[2].PMin, full[2].PSec, full[2].PFrame));
        Assert.Equal(((byte)0, (byte)8, (byte)0), (full[4].PMin, full[4].PSec, full[4].PFrame));
    }

    [Fact]
    public async Task Track_at_once_closes_each_track_and_the_session_and_verifies()
    {
        using var master = TwoTracks();
        await using var rig = await MmcRig.StartAsync(Profile.CdRw);

        var result = await new AudioDiscWriter(rig.Mmc, new AudioWriterOptions { Mode = AudioWriteMode.TrackAtOnce }).BurnAsync(master.Redbook.Layout(), null, CancellationToken.None);

        Assert.True(result.Verify!.Matches, result.Verify.Problem);
        var toc = await rig.Mmc.ReadTocAsync(CancellationToken.None);
        Assert.Equal(3, toc.Count);
        Assert.Equal(0, toc[0].StartLba);
        Assert.True(toc[1].StartLba >= 450);
    }

    [Fact]
    public async Task A_disc_too_small_is_discfull_before_the_first_write()
    {
        // 359,847 blocks on the simulated CD-R; one track of 360,000 does not fit.
        using var master = DiscMaster.ForAudio(_temp.FullPath, CdAddress.Minutes80 + 1000);
        master.Redbook.CreateTrack(blocks: CdAddress.Minutes80);
        master.Redbook.CloseTrack();
        await using var rig = await MmcRig.StartAsync(Profile.CdR);

        var error = await Assert.ThrowsAsync<Farm.Device.Errors.DeviceException>(() =>
            new AudioDiscWriter(rig.Mmc).BurnAsync(master.Redbook.Layout(), null, CancellationToken.None));

        Assert.Equal(Farm.Device.Errors.ImapiErrors.V1DiscFull, error.Error.Error);
        Assert.Equal(0, rig.Drive.BytesWritten);
    }

    [Fact]
    public async Task A_dvd_is_refused_as_medium_invalidtype()
    {
        using var master = TwoTracks();
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);

        var error = await Assert.ThrowsAsync<Farm.Device.Errors.DeviceException>(() =>
            new AudioDiscWriter(rig.Mmc).BurnAsync(master.Redbook.Layout(), null, CancellationToken.None));

        Assert.Equal(Farm.Device.Errors.ImapiErrors.V1MediumInvalidType, error.Error.Error);
    }

    /// <summary>Progress reported on the writer's thread (Progress&lt;T&gt; would post to the pool).</summary>
    private sealed class SyncProgress(List<AudioTrackProgress> into) : IProgress<AudioTrackProgress>
    {
        public void Report(AudioTrackProgress value) => into.Add(value);
    }
}
