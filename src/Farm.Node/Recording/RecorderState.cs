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

    /// <summary>Held (by an operator, by the drive's own need for a person, or by its tower's alert): takes no copy.</summary>
    Paused = 10,

    /// <summary>The node cannot open the job's image at its path and fetches it from a controller (before a blank is loaded).</summary>
    FetchingImage = 11,
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
        (RecorderState.Offline, RecorderState.Paused),      // restarted while a hold is still in place
        (RecorderState.Offline, RecorderState.Unloading),   // recovery: a disc left in the drive by a crash
        (RecorderState.Offline, RecorderState.Preparing),   // recovery: a rewritable disc is resumed where it stopped
        (RecorderState.Idle, RecorderState.Loading),
        (RecorderState.Idle, RecorderState.Maintenance),
        (RecorderState.Idle, RecorderState.Paused),
        (RecorderState.Idle, RecorderState.Offline),
        (RecorderState.Idle, RecorderState.Faulted),
        (RecorderState.Loading, RecorderState.Preparing),
        (RecorderState.Loading, RecorderState.Idle),        // the tower had no blank: nothing was loaded
        (RecorderState.Loading, RecorderState.Paused),      // ...and the tower needs an operator
        (RecorderState.Loading, RecorderState.Unloading),
        (RecorderState.Loading, RecorderState.Faulted),
        (RecorderState.Loading, RecorderState.FetchingImage),
        (RecorderState.FetchingImage, RecorderState.Loading),  // the image is in the node's cache: load a blank
        (RecorderState.FetchingImage, RecorderState.Idle),     // the fetch failed or was aborted: the copy goes back
        (RecorderState.FetchingImage, RecorderState.Faulted),
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
        (RecorderState.Unloading, RecorderState.Paused),    // the failure needs an operator before the next disc
        (RecorderState.Unloading, RecorderState.Faulted),
        (RecorderState.Faulted, RecorderState.Offline),     // the supervisor restarts the actor
        (RecorderState.Faulted, RecorderState.Maintenance), // ...or gives up on it
        (RecorderState.Maintenance, RecorderState.Idle),    // an operator put it back in service
        (RecorderState.Maintenance, RecorderState.Paused),  // ...while another hold is still in place
        (RecorderState.Maintenance, RecorderState.Offline),
        (RecorderState.Maintenance, RecorderState.Faulted),
        (RecorderState.Paused, RecorderState.Idle),         // the last hold was released
        (RecorderState.Paused, RecorderState.Unloading),    // ...and the disc the arm could not take is taken now
        (RecorderState.Paused, RecorderState.Maintenance),
        (RecorderState.Paused, RecorderState.Offline),
        (RecorderState.Paused, RecorderState.Faulted),
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
    string? LastError)
{
    /// <summary>How full the host FIFO between the image reader and the drive is, 0..1 (0 when not writing).</summary>
    public double BufferFill { get; init; }

    /// <summary>How full the drive's own buffer was at its last READ BUFFER CAPACITY, 0..1; null before the first (or when not writing).</summary>
    public double? DriveBufferFill { get; init; }

    /// <summary>The write speed over the last progress interval, bytes per second (<see cref="BytesPerSecond"/> is the burn's average).</summary>
    public double CurrentBytesPerSecond { get; init; }

    /// <summary>The holds keeping a paused drive from taking copies (operator, drive, tower).</summary>
    public IReadOnlyCollection<string> Holds { get; init; } = [];
}
