using Farm.Device.Mmc;

namespace Farm.Device.Writing;

/// <summary>A finished write: where it landed, how long it took, and the SHA-256 of the image as read.</summary>
public sealed record WriteResult(Profile Profile, long StartLba, long Blocks, string ImageSha256, TimeSpan Duration)
{
    /// <summary>S_OK, or a success code such as S_IMAPI_SPEEDADJUSTED.</summary>
    public Errors.ImapiError Status { get; init; } = Errors.ImapiErrors.Ok;

    /// <summary>The session the image went to (sequential media), 1 on rewritable media.</summary>
    public int SessionNumber { get; init; } = 1;

    /// <summary>The sector ranges actually sent (the whole image unless a block-range list limited it).</summary>
    public IReadOnlyList<BlockRange> WrittenRanges { get; init; } = [];

    /// <summary>The write speed selected, in kB/s, when the drive said.</summary>
    public uint? SelectedSpeedKBps { get; init; }

    /// <summary>
    /// The data phase alone: from the start of the first section (after power calibration and speed
    /// selection) to the end of SYNCHRONIZE CACHE, i.e. until the drive's buffer is on the disc.
    /// <see cref="Duration"/> also counts validation, calibration and closing.
    /// </summary>
    public TimeSpan WritePhase { get; init; }

    public double AverageBytesPerSecond => Duration <= TimeSpan.Zero ? 0 : Blocks * MmcDrive.BlockSize / Duration.TotalSeconds;
}

/// <summary>
/// A verify: the hash of what was read back from the disc and whether it matched. For a full
/// verify the hash covers exactly the image's sectors; for a quick one it covers the sampled
/// sectors (compared with the same sectors of the image), and <see cref="Problem"/> says what
/// differed.
/// </summary>
public sealed record VerifyResult(bool Matches, string DiscSha256, long BlocksRead, TimeSpan Duration)
{
    public Farm.Messages.VerifyMode Mode { get; init; } = Farm.Messages.VerifyMode.Full;

    /// <summary>What did not match, or null.</summary>
    public string? Problem { get; init; }
}

/// <summary>A write and, unless the mode was none, its verify.</summary>
public sealed record BurnResult(WriteResult Write, VerifyResult? Verify)
{
    public bool Verified => Verify is null || Verify.Matches;
}
