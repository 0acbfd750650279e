using System.Security.Cryptography;
using System.Text;
using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;

namespace Farm.Node.Recording;

internal sealed partial class BurnAttempt
{
    /// <summary>
    /// An audio job's WAVs checked (RIFF PCM 44.1 kHz 16-bit stereo, else an error naming the file)
    /// and staged as Redbook tracks (IRedbookDiscMaster), laid out with the 2-second pre-gap; the
    /// job's catalog number and ISRCs go to the cue sheet, its CD-TEXT with the staged tracks.
    /// </summary>
    private static async Task<StagedAudio> StageAudioAsync(IReadOnlyList<string> tracks, AudioText? text, CancellationToken cancellationToken)
    {
        var master = DiscMaster.ForAudio();
        try
        {
            if (text is not null)
            {
                master.Redbook.Disc = new AudioDiscInfo(text.Title, text.Performer, text.Catalog);
            }

            var number = 0;
            await WavStaging.StageAsync(master.Redbook, tracks, _ => TrackInfo(text, number++), cancellationToken).ConfigureAwait(false);
            return new StagedAudio(master, master.Redbook.Layout(), tracks);
        }
        catch
        {
            master.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Burns the staged tracks disc-at-once, then (unless the job says none) reads every track back
    /// and compares it with the staged audio; reports the tracks with their checksums in
    /// <see cref="DiscVerified"/>. Returns the SHA-256 over the tracks' SHA-256s, the copy's checksum.
    /// </summary>
    private async Task<string> BurnAudioAsync(AttemptInfo attempt, StagedAudio audio, string discId, CancellationToken cancellationToken)
    {
        var layout = audio.Layout;
        var verify = attempt.Verify != VerifyMode.None;
        var writer = new AudioDiscWriter(Mmc, new AudioWriterOptions { Mode = AudioWriteMode.DiscAtOnce, WriteSpeedX = _options.Writer.WriteSpeed.TimesOneX, Verify = verify });
        var persister = new ProgressPersister(this, attempt, discId);
        var started = _time.GetTimestamp();
        AudioBurnResult burned;
        try
        {
            burned = await writer.BurnAsync(layout, new TrackProgress(persister, layout, () => _time.GetElapsedTime(started)), cancellationToken).ConfigureAwait(false);
            persister.Report(new WriteProgress(WriteAction.Finalization, 0, layout.TotalBlocks, layout.LeadOutLba - 1, layout.LeadOutLba - 1, 0, 0, _time.GetElapsedTime(started)));
        }
        finally
        {
            await persister.CompleteAsync().ConfigureAwait(false);
        }

        await PersistAsync(new BurnFinished(DriveId, attempt.JobId, attempt.Copy, burned.BlocksWritten, burned.WriteDuration)).ConfigureAwait(false);
        Observe(s => s with { BufferFill = 0, CurrentBytesPerSecond = 0 });
        var tracks = burned.Tracks.Select((t, i) => new TrackChecksum(t.Number, audio.Sources[i], t.StartLba, t.Blocks, t.Duration, t.Sha256)).ToList();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(string.Concat(tracks.Select(t => t.Sha256)))));
        if (!verify)
        {
            return sha256;
        }

        MoveTo(RecorderState.Verifying);
        if (burned.Verify is not { Matches: true })
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.UnexpectedResponseFromDevice, Disposition.FailDisc,
                $"audio verify failed: {burned.Verify?.Problem ?? "the tracks were not read back"}"));
        }

        await PersistAsync(new DiscVerified(DriveId, attempt.JobId, attempt.Copy, sha256, _time.GetElapsedTime(started) - burned.WriteDuration, tracks)).ConfigureAwait(false);
        return sha256;
    }

    /// <summary>The CD-TEXT and ISRC the job gives the track at <paramref name="index"/> (0-based), if any.</summary>
    private static AudioTrackInfo TrackInfo(AudioText? text, int index) =>
        text?.Tracks is { } tracks && index < tracks.Count && tracks[index] is { } track
            ? new AudioTrackInfo(track.Title, track.Performer, track.Isrc)
            : AudioTrackInfo.None;

    /// <summary>The staged audio of one attempt; disposing it removes the stash.</summary>
    private sealed class StagedAudio(DiscMaster master, AudioDiscLayout layout, IReadOnlyList<string> sources) : IDisposable
    {
        public AudioDiscLayout Layout { get; } = layout;

        public IReadOnlyList<string> Sources { get; } = sources;

        public void Dispose() => master.Dispose();
    }

    /// <summary>Track progress as the recorder's write progress: the blocks of the tracks before, plus this one's.</summary>
    private sealed class TrackProgress(ProgressPersister persister, AudioDiscLayout layout, Func<TimeSpan> elapsed) : IProgress<AudioTrackProgress>
    {
        public void Report(AudioTrackProgress value)
        {
            var placement = layout.Tracks[value.Track - 1];
            var last = placement.StartLba + value.BlocksWritten - 1;
            persister.Report(new WriteProgress(WriteAction.WritingData, 0, layout.TotalBlocks, last, last, 0, 0, elapsed()));
        }
    }
}
