using Farm.Device.Sense;

namespace Farm.Device.Simulation;

/// <summary>What an injected fault does to the command that triggers it.</summary>
public enum FaultKind
{
    /// <summary>The command ends in CHECK CONDITION with the fault's sense instead of executing.</summary>
    Sense = 0,

    /// <summary>The command never completes: the transport throws <c>ScsiTransportException(Timeout)</c>.</summary>
    Timeout = 1,

    /// <summary>The device vanishes from the bus: the transport throws <c>ScsiTransportException(DeviceGone)</c>.</summary>
    DeviceGone = 2,

    /// <summary>The disc disappears from the drive: this and later commands get 2/3A/00.</summary>
    MediumRemoved = 3,

    /// <summary>Power loss / reset: the drive buffer's content is lost, the command gets 6/29/00.</summary>
    PowerLoss = 4,
}

/// <summary>A fault to inject; build one with the factory methods.</summary>
public sealed record Fault
{
    private Fault(FaultKind kind, SenseCode sense, ushort? progress)
    {
        Kind = kind;
        Sense = sense;
        Progress = progress;
    }

    public FaultKind Kind { get; }

    /// <summary>The sense reported (for <see cref="FaultKind.Sense"/>).</summary>
    public SenseCode Sense { get; }

    /// <summary>The sense-key specific progress indication to report, if any.</summary>
    public ushort? Progress { get; }

    public static Fault WithSense(SenseKey key, byte asc, byte ascq, ushort? progress = null) =>
        new(FaultKind.Sense, new SenseCode(key, asc, ascq), progress);

    public static Fault WithSense(SenseCode sense, ushort? progress = null) => new(FaultKind.Sense, sense, progress);

    public static Fault Timeout() => new(FaultKind.Timeout, default, null);

    public static Fault DeviceGone() => new(FaultKind.DeviceGone, default, null);

    public static Fault MediumRemoved() => new(FaultKind.MediumRemoved, SenseCode.MediumNotPresent, null);

    public static Fault PowerLoss() => new(FaultKind.PowerLoss, SenseCode.PowerOnOrReset, null);

    public override string ToString() => Kind == FaultKind.Sense ? $"sense {Sense}" : Kind.ToString();
}

/// <summary>
/// When an injected fault fires: on a command with <see cref="OperationCode"/> (any command when
/// null), once the disc is recorded up to <see cref="RecordedUpTo"/> (its next writable address,
/// or one past the last recorded block on overwritable media, is at least that LBA), after
/// <see cref="SkipMatches"/> matching commands have passed untouched.
/// </summary>
public sealed record FaultTrigger
{
    public byte? OperationCode { get; init; }

    public long? RecordedUpTo { get; init; }

    public int SkipMatches { get; init; }

    /// <summary>Fires on the next command, whatever it is.</summary>
    public static FaultTrigger AnyCommand => new();

    /// <summary>Fires on the next command with operation code <paramref name="operationCode"/>.</summary>
    public static FaultTrigger On(byte operationCode) => new() { OperationCode = operationCode };

    /// <summary>Only once the disc is recorded up to <paramref name="lba"/> (e.g. "mid-write at 1 GiB").</summary>
    public FaultTrigger WhenRecordedUpTo(long lba) => this with { RecordedUpTo = lba };

    /// <summary>Lets <paramref name="matchingCommands"/> matching commands pass first.</summary>
    public FaultTrigger After(int matchingCommands)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(matchingCommands);
        return this with { SkipMatches = matchingCommands };
    }

    internal bool Matches(byte operationCode, long recordedUpTo) =>
        (OperationCode is null || OperationCode == operationCode) && (RecordedUpTo is null || recordedUpTo >= RecordedUpTo);
}

/// <summary>
/// The scriptable faults of one drive. Safe to call from any thread while the drive runs (a test
/// injecting a fault in the middle of a burn); faults are checked in injection order, and at most
/// one fires per command.
/// </summary>
public sealed class SimulatedDriveFaults
{
    private readonly Lock gate = new();
    private readonly List<Injection> injections = [];
    private long fired;

    /// <summary>Faults injected and not yet used up.</summary>
    public int Pending
    {
        get
        {
            lock (gate)
            {
                return injections.Count;
            }
        }
    }

    /// <summary>How many commands a fault has hit.</summary>
    public long Fired => Interlocked.Read(ref fired);

    /// <summary>The fault hits the first command matching <paramref name="trigger"/>, then is gone.</summary>
    public void InjectOnce(FaultTrigger trigger, Fault fault) => Add(trigger, fault, persistent: false);

    /// <summary>The fault hits every command matching <paramref name="trigger"/> until <see cref="Clear"/>.</summary>
    public void InjectPersistent(FaultTrigger trigger, Fault fault) => Add(trigger, fault, persistent: true);

    public void Clear()
    {
        lock (gate)
        {
            injections.Clear();
        }
    }

    internal Fault? Match(byte operationCode, long recordedUpTo)
    {
        lock (gate)
        {
            foreach (var injection in injections)
            {
                if (!injection.Trigger.Matches(operationCode, recordedUpTo))
                {
                    continue;
                }

                injection.Seen++;
                if (injection.Seen <= injection.Trigger.SkipMatches)
                {
                    continue;
                }

                if (!injection.Persistent)
                {
                    injections.Remove(injection);
                }

                Interlocked.Increment(ref fired);
                return injection.Fault;
            }

            return null;
        }
    }

    private void Add(FaultTrigger trigger, Fault fault, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(fault);
        lock (gate)
        {
            injections.Add(new Injection(trigger, fault, persistent));
        }
    }

    private sealed class Injection(FaultTrigger trigger, Fault fault, bool persistent)
    {
        public FaultTrigger Trigger { get; } = trigger;

        public Fault Fault { get; } = fault;

        public bool Persistent { get; } = persistent;

        public int Seen { get; set; }
    }
}
