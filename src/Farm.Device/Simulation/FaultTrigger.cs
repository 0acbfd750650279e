namespace Farm.Device.Simulation;

/// <summary>
/// When an injected fault fires: on a command with <see cref="OperationCode"/> (any command when
/// null), in <see cref="Phase"/> (any phase when null), once the disc is recorded up to
/// <see cref="RecordedUpTo"/> (its next writable address, or one past the last recorded block on
/// overwritable media, is at least that LBA), after <see cref="SkipMatches"/> matching commands
/// have passed untouched.
/// </summary>
public sealed record FaultTrigger
{
    public byte? OperationCode { get; init; }

    public DrivePhase? Phase { get; init; }

    public long? RecordedUpTo { get; init; }

    public int SkipMatches { get; init; }

    /// <summary>Fires on the next command, whatever it is.</summary>
    public static FaultTrigger AnyCommand => new();

    /// <summary>Fires on the next command with operation code <paramref name="operationCode"/>.</summary>
    public static FaultTrigger On(byte operationCode) => new() { OperationCode = operationCode };

    /// <summary>Fires on the next command in <paramref name="phase"/> ("during close", "during format").</summary>
    public static FaultTrigger During(DrivePhase phase) => new() { Phase = phase };

    /// <summary>Only in <paramref name="phase"/>.</summary>
    public FaultTrigger In(DrivePhase phase) => this with { Phase = phase };

    /// <summary>Only once the disc is recorded up to <paramref name="lba"/> (e.g. "mid-write at 1 GiB").</summary>
    public FaultTrigger WhenRecordedUpTo(long lba) => this with { RecordedUpTo = lba };

    /// <summary>
    /// Only once <paramref name="percent"/> % of an image of <paramref name="imageBlocks"/> blocks
    /// written from <paramref name="startLba"/> is recorded ("while writing after 40 % of the image").
    /// </summary>
    public FaultTrigger WhenImageWritten(long startLba, long imageBlocks, double percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startLba);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageBlocks);
        if (double.IsNaN(percent) || percent is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "percent must be within 0..100");
        }

        return WhenRecordedUpTo(startLba + (long)Math.Ceiling(imageBlocks * percent / 100));
    }

    /// <summary>Lets <paramref name="matchingCommands"/> matching commands pass first.</summary>
    public FaultTrigger After(int matchingCommands)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(matchingCommands);
        return this with { SkipMatches = matchingCommands };
    }

    internal bool Matches(byte operationCode, long recordedUpTo, DrivePhase phase) =>
        (OperationCode is null || OperationCode == operationCode)
        && (Phase is null || Phase == phase)
        && (RecordedUpTo is null || recordedUpTo >= RecordedUpTo);
}
