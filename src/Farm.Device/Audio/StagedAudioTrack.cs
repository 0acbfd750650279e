namespace Farm.Device.Audio;

/// <summary>
/// One closed track of a staged audio disc: where its blocks are in the stash, how many the host
/// added, and its metadata.
/// </summary>
/// <param name="Number">Track number, 1 to 99.</param>
/// <param name="StashBlock">Index of its first block in the stash.</param>
/// <param name="Blocks">Blocks of audio staged (a track created with N blocks has exactly N).</param>
/// <param name="Info">CD-TEXT and ISRC.</param>
public sealed record StagedAudioTrack(int Number, long StashBlock, long Blocks, AudioTrackInfo Info)
{
    /// <summary>Blocks it occupies on the disc: Red Book's 4-second minimum, padded with silence.</summary>
    public long DiscBlocks => Math.Max(Blocks, CdAddress.MinimumTrackBlocks);

    public TimeSpan Duration => TimeSpan.FromSeconds(Blocks / (double)CdAddress.FramesPerSecond);
}
