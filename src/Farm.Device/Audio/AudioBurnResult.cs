namespace Farm.Device.Audio;

/// <summary>Disc-at-once (the default: cue sheet, 2-second pre-gap, gapless tracks) or track-at-once.</summary>
public enum AudioWriteMode
{
    DiscAtOnce = 0,
    TrackAtOnce = 1,
}

/// <summary>How an audio disc is written.</summary>
public sealed record AudioWriterOptions
{
    public AudioWriteMode Mode { get; init; } = AudioWriteMode.DiscAtOnce;

    /// <summary>Write speed as a multiple of CD 1x (176.4 kB/s); null for the drive's fastest.</summary>
    public double? WriteSpeedX { get; init; }

    /// <summary>Read every track back with READ CD and compare it with what was staged.</summary>
    public bool Verify { get; init; } = true;
}

/// <summary>Progress of one track: blocks of it sent so far.</summary>
public sealed record AudioTrackProgress(int Track, int Tracks, long BlocksWritten, long Blocks, bool Done);

/// <summary>One written track: where it starts, its length, and the SHA-256 of its blocks as staged.</summary>
public sealed record AudioTrackResult(int Number, long StartLba, long Blocks, string Sha256)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Blocks / (double)CdAddress.FramesPerSecond);
}

/// <summary>What verify found: every track's audio read back with READ CD equal to the staged blocks (and the CD-TEXT packs with READ TOC format 5 equal to those written), or the first difference.</summary>
public sealed record AudioVerifyResult(bool Matches, int TracksCompared, string? Problem);

/// <summary>What a burn wrote: the tracks, the blocks, how long it took, the CD-TEXT packs written to the lead-in (0 without CD-TEXT), and verify.</summary>
public sealed record AudioBurnResult(AudioWriteMode Mode, IReadOnlyList<AudioTrackResult> Tracks, long BlocksWritten, TimeSpan WriteDuration, AudioVerifyResult? Verify, int CdTextPacks = 0);
