namespace Farm.Device.Audio;

/// <summary>Stages WAV files as tracks: the clean entry point for jobs and the CLI.</summary>
public static class WavStaging
{
    /// <summary>Blocks read from a WAV per AddBlocks call (about 150 KB).</summary>
    private const int ChunkBlocks = 64;

    /// <summary>
    /// Checks every file first (so a bad one is reported before anything is staged), then stages
    /// each as an open-ended track: its data chunk in whole blocks, the last completed with silence.
    /// </summary>
    public static async Task<IReadOnlyList<StagedAudioTrack>> StageAsync(
        RedbookStager stager, IReadOnlyList<string> paths, Func<WavFile, AudioTrackInfo>? describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stager);
        ArgumentNullException.ThrowIfNull(paths);
        var files = paths.Select(WavFile.Open).ToList();
        var staged = new List<StagedAudioTrack>(files.Count);
        foreach (var wav in files)
        {
            staged.Add(await StageOneAsync(stager, wav, describe?.Invoke(wav) ?? AudioTrackInfo.None, cancellationToken).ConfigureAwait(false));
        }

        return staged;
    }

    public static async Task<StagedAudioTrack> StageOneAsync(RedbookStager stager, WavFile wav, AudioTrackInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stager);
        ArgumentNullException.ThrowIfNull(wav);
        stager.CreateTrack(info: info);
        var buffer = new byte[ChunkBlocks * CdAddress.BlockBytes];
        var data = wav.OpenData();
        await using (data.ConfigureAwait(false))
        {
            long left = wav.DataBytes;
            while (left > 0)
            {
                int want = (int)Math.Min(buffer.Length, left);
                await data.ReadExactlyAsync(buffer.AsMemory(0, want), cancellationToken).ConfigureAwait(false);
                left -= want;
                int whole = (want + CdAddress.BlockBytes - 1) / CdAddress.BlockBytes * CdAddress.BlockBytes;
                buffer.AsSpan(want, whole - want).Clear();
                stager.AddBlocks(buffer.AsSpan(0, whole));
            }
        }

        return stager.CloseTrack();
    }
}
