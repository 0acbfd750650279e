namespace Farm.Node.Recording;

/// <summary>What a drive's RecorderActor is doing (DESIGN.md section 3).</summary>
public enum RecorderState
{
    Offline = 0,
    Idle = 1,
    Loading = 2,
    Preparing = 3,
    Writing = 4,
    Closing = 5,
    Verifying = 6,
    Unloading = 7,
    Faulted = 8,
    Maintenance = 9,
}

/// <summary>
/// The allowed transitions, as a table: a transition not listed is a bug in the actor, and is
/// refused loudly rather than leaving the drive in a state nobody planned for.
/// </summary>
public static class RecorderTransitions
{
    private static readonly HashSet<(RecorderState From, RecorderState To)> Allowed =
    [
        (RecorderState.Offline, RecorderState.Idle),
        (RecorderState.Offline, RecorderState.Faulted),
        (RecorderState.Offline, RecorderState.Maintenance),
        (RecorderState.Offline, RecorderState.Unloading),   // recovery: a disc left in the drive by a crash
        (RecorderState.Idle, RecorderState.Loading),
        (RecorderState.Idle, RecorderState.Maintenance),
        (RecorderState.Idle, RecorderState.Offline),
        (RecorderState.Idle, RecorderState.Faulted),
        (RecorderState.Loading, RecorderState.Preparing),
        (RecorderState.Loading, RecorderState.Idle),        // the tower had no blank: nothing was loaded
        (RecorderState.Loading, RecorderState.Unloading),
        (RecorderState.Loading, RecorderState.Faulted),
        (RecorderState.Preparing, RecorderState.Writing),
        (RecorderState.Preparing, RecorderState.Unloading),
        (RecorderState.Preparing, RecorderState.Faulted),
        (RecorderState.Writing, RecorderState.Closing),
        (RecorderState.Writing, RecorderState.Unloading),
        (RecorderState.Writing, RecorderState.Faulted),
        (RecorderState.Closing, RecorderState.Verifying),
        (RecorderState.Closing, RecorderState.Unloading),
        (RecorderState.Closing, RecorderState.Faulted),
        (RecorderState.Verifying, RecorderState.Unloading),
        (RecorderState.Verifying, RecorderState.Faulted),
        (RecorderState.Unloading, RecorderState.Idle),
        (RecorderState.Unloading, RecorderState.Maintenance),
        (RecorderState.Unloading, RecorderState.Faulted),
        (RecorderState.Faulted, RecorderState.Offline),     // the supervisor restarts the actor
        (RecorderState.Faulted, RecorderState.Maintenance),
        (RecorderState.Maintenance, RecorderState.Idle),    // an operator put it back in service
        (RecorderState.Maintenance, RecorderState.Offline),
    ];

    public static bool IsAllowed(RecorderState from, RecorderState to) => Allowed.Contains((from, to));

    /// <summary>Every allowed transition, for tests and documentation.</summary>
    public static IReadOnlyCollection<(RecorderState From, RecorderState To)> All => Allowed;
}

/// <summary>A drive's observable status: what the console and the node's own API show.</summary>
public sealed record RecorderStatus(
    string DriveId,
    RecorderState State,
    string? JobId,
    int Copy,
    long LastWrittenLba,
    long TotalBlocks,
    double BytesPerSecond,
    string? LastError);
