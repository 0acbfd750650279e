namespace Farm.Device.Towers;

/// <summary>The bins of a tower as its sensors report them.</summary>
public sealed record TowerBins(int InputBlanks, string InputMediaType, int Output, int Reject);

/// <summary>Why an arm move did not happen; each maps to what the farm does next.</summary>
public enum TowerFault
{
    /// <summary>The input bin has no blank of the media asked for: the tower's drives wait for an operator.</summary>
    InputEmpty = 0,

    /// <summary>The output (or reject) bin is full: the operator must empty it.</summary>
    BinFull = 1,

    /// <summary>The arm stopped mid-move: needs an operator before anything else moves.</summary>
    ArmJam = 2,

    /// <summary>Two discs came up stuck together: the pick is retried after the operator separates them.</summary>
    PickedTwice = 3,

    /// <summary>The drive named is not in this tower, or its tray has no disc to take.</summary>
    NoSuchDiscOrDrive = 4,
}

/// <summary>An arm move that failed, with the fault and a sentence for the operator.</summary>
public sealed class TowerException : Exception
{
    public TowerException(TowerFault fault, string message) : base(message) => Fault = fault;

    public TowerException() : this(TowerFault.ArmJam, "tower fault") { }

    public TowerException(string message) : this(TowerFault.ArmJam, message) { }

    public TowerException(string message, Exception inner) : base(message, inner) => Fault = TowerFault.ArmJam;

    public TowerFault Fault { get; }
}

/// <summary>
/// A robotic tower: bins of blanks, an output and a reject bin, one arm serving several drives.
/// Implemented by the simulated tower and (later) the SCSI Media Changer driver. Moves are
/// serialised by the implementation: one arm, one move at a time.
/// </summary>
public interface ITowerRobot
{
    string TowerId { get; }

    /// <summary>The drives this tower's arm serves, by drive id.</summary>
    IReadOnlyList<string> DriveIds { get; }

    Task<TowerBins> GetBinsAsync(CancellationToken cancellationToken);

    /// <summary>Moves a blank of <paramref name="mediaType"/> from the input bin into the drive; returns the disc's id.</summary>
    Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken);

    /// <summary>Takes the disc out of the drive into the output or the reject bin (<see cref="Farm.Messages.Bins"/>).</summary>
    Task UnloadAsync(string driveId, string bin, CancellationToken cancellationToken);
}

/// <summary>
/// A tower whose input bin the farm cannot count by itself after an operator refilled it (the
/// simulated one): told how many blanks are in it now. A SCSI changer counts its own slots.
/// </summary>
public interface IOperatorRefilledBins
{
    void InputRefilled(int blanksNow);
}
