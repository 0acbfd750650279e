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

    /// <summary>
    /// The drive hangs: the command never answers, so it waits its whole timeout on the drive's
    /// clock and the transport then throws <c>ScsiTransportException(Timeout)</c>.
    /// </summary>
    Hang = 5,

    /// <summary>The disc was swapped under the host (6/28/00): the buffer's content never reaches the old disc.</summary>
    MediumChanged = 6,
}

/// <summary>
/// What the drive is doing when a command arrives, for faults scripted "during" an operation.
/// A command is in the phase of the long operation still running (TEST UNIT READY polls during a
/// close are <see cref="Closing"/>), else in its own command's phase (WRITE is
/// <see cref="Writing"/>), else <see cref="Formatting"/> while a DVD+RW formats in the
/// background, else <see cref="Idle"/>.
/// </summary>
public enum DrivePhase
{
    Idle = 0,
    Writing = 1,
    Flushing = 2,
    Closing = 3,
    Formatting = 4,
    Blanking = 5,
    Calibrating = 6,
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

    /// <summary>The command hangs until its timeout (on the drive's clock) expires.</summary>
    public static Fault Hang() => new(FaultKind.Hang, default, null);

    /// <summary>6/28/00 NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED, with the buffer lost.</summary>
    public static Fault MediumChanged() => new(FaultKind.MediumChanged, SenseCode.MediumMayHaveChanged, null);

    public override string ToString() => Kind == FaultKind.Sense ? $"sense {Sense}" : Kind.ToString();
}

/// <summary>
/// The scriptable faults of one drive. Safe to call from any thread while the drive runs (a test
/// injecting a fault in the middle of a burn); faults are checked in injection order, and at most
/// one fires per command.
/// </summary>
public sealed class SimulatedDriveFaults
{
    private readonly Lock _gate = new();
    private readonly List<Injection> _injections = [];
    private long _fired;

    /// <summary>Faults injected and not yet used up.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _injections.Count;
            }
        }
    }

    /// <summary>How many commands a fault has hit.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>The fault hits the first command matching <paramref name="trigger"/>, then is gone.</summary>
    public void InjectOnce(FaultTrigger trigger, Fault fault) => Add(trigger, fault, persistent: false);

    /// <summary>The fault hits every command matching <paramref name="trigger"/> until <see cref="Clear"/>.</summary>
    public void InjectPersistent(FaultTrigger trigger, Fault fault) => Add(trigger, fault, persistent: true);

    public void Clear()
    {
        lock (_gate)
        {
            _injections.Clear();
        }
    }

    internal Fault? Match(byte operationCode, long recordedUpTo, DrivePhase phase)
    {
        lock (_gate)
        {
            foreach (var injection in _injections)
            {
                if (!injection.Trigger.Matches(operationCode, recordedUpTo, phase))
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
                    _injections.Remove(injection);
                }

                Interlocked.Increment(ref _fired);
                return injection.Fault;
            }

            return null;
        }
    }

    private void Add(FaultTrigger trigger, Fault fault, bool persistent)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate)
        {
            _injections.Add(new Injection(trigger, fault, persistent));
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
