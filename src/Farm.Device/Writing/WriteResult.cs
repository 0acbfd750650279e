using Farm.Device.Mmc;

namespace Farm.Device.Writing;

/// <summary>A finished write: where it landed, how long it took, and the SHA-256 of the image as read.</summary>
public sealed record WriteResult(Profile Profile, long StartLba, long Blocks, string ImageSha256, TimeSpan Duration)
{
    public double AverageBytesPerSecond => Duration <= TimeSpan.Zero ? 0 : Blocks * MmcDrive.BlockSize / Duration.TotalSeconds;
}

/// <summary>A verify: the hash of what was read back from the disc and whether it matched.</summary>
public sealed record VerifyResult(bool Matches, string DiscSha256, long BlocksRead, TimeSpan Duration);
