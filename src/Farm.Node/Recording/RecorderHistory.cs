using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Drives;

namespace Farm.Node.Recording;

/// <summary>An attempt the drive's journal shows as started but not finished.</summary>
public sealed record OpenAttempt(
    string JobId,
    int Copy,
    int Attempt,
    long TotalBlocks,
    string Phase,
    string? DiscId,
    long LastPersistedLba,
    bool Failed,
    bool Verified,
    string? Sha256,
    bool Unloaded)
{
    /// <summary>The image, verify mode and resume permission the drive accepted (absent in older journals).</summary>
    public string? ImagePath { get; init; }

    public VerifyMode Verify { get; init; } = VerifyMode.Full;

    public bool AllowResume { get; init; }

    public string? Label { get; init; }

    /// <summary>The medium loaded for this attempt ("DVD+RW"), once the tower loaded one.</summary>
    public string? MediaType { get; init; }

    /// <summary>How many times this attempt was resumed after an interruption.</summary>
    public int Resumes { get; init; }

    /// <summary>The controller's answer on whether the verified disc counts (null: not answered yet).</summary>
    public bool? Counted { get; init; }

    /// <summary>Why the verified disc does not count, when it does not.</summary>
    public string? NotCountedWhy { get; init; }
}

/// <summary>
/// What a RecorderActor knows from its own stream: the attempts it already took (so a decision
/// delivered twice is carried out once), the attempt a crash left open, failures in a row, whether
/// the drive is in maintenance and which holds keep it paused. Built by the pure
/// <see cref="Apply"/>, on replay and live.
/// </summary>
public sealed record RecorderHistory(
    ImmutableHashSet<(string JobId, int Copy, int Attempt)> Taken,
    OpenAttempt? Open,
    int ConsecutiveFailures,
    bool InMaintenance)
{
    public static readonly RecorderHistory Empty = new([], null, 0, false);

    /// <summary>Hold -> why; the drive takes copies only when this is empty.</summary>
    public ImmutableSortedDictionary<string, string> Holds { get; init; } = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);

    public static RecorderHistory Replay(IEnumerable<IFarmEvent> events) => events.Aggregate(Empty, Apply);

    public static RecorderHistory Apply(RecorderHistory history, IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(history);
        return farmEvent switch
        {
            BurnAssigned e => history with
            {
                Taken = history.Taken.Add((e.JobId, e.Copy, e.Attempt)),
                Open = new OpenAttempt(e.JobId, e.Copy, e.Attempt, e.TotalBlocks, "Loading", null, -1, false, false, null, false)
                {
                    ImagePath = e.ImagePath,
                    Verify = e.Verify,
                    AllowResume = e.AllowResume,
                    Label = e.Label,
                },
            },
            DiscLoaded e => WithOpen(history, o => o with { DiscId = e.DiscId, Phase = "Preparing", MediaType = e.Profile }),
            BurnResumed e => WithOpen(history, o => o with { Phase = "Preparing", Resumes = o.Resumes + 1 }),
            BurnStarted e => WithOpen(history, o => o with { Phase = "Writing", LastPersistedLba = Math.Max(o.LastPersistedLba, e.StartLba - 1) }),
            SectorsWritten e => WithOpen(history, o => o with { LastPersistedLba = e.LastWrittenLba }),
            BurnClosing e => WithOpen(history, o => o with { Phase = "Closing", LastPersistedLba = e.LastWrittenLba }),
            BurnFinished e => WithOpen(history, o => o with { Phase = "Verifying", LastPersistedLba = e.Blocks - 1 }),
            DiscVerified e => WithOpen(history, o => o with { Verified = true, Sha256 = e.Sha256 }),
            DiscCountAnswered e => WithOpen(history, o => o with { Counted = e.Counted, NotCountedWhy = e.Why }),
            BurnFailed e when !e.CountsAgainstDrive() => history, // refused (never taken) or aborted by an operator: no failure of this drive
            BurnFailed => WithOpen(history, o => o with { Failed = true }) with { ConsecutiveFailures = history.ConsecutiveFailures + 1 },
            DiscInterrupted => history with { ConsecutiveFailures = history.ConsecutiveFailures + 1, Open = history.Open is null ? null : history.Open with { Failed = true } },
            DiscUnloaded e => WithOpen(history, o => o with { Unloaded = true, Phase = "Unloading" }) is var unloaded && e.Bin == Bins.Output
                ? unloaded with { ConsecutiveFailures = 0 }
                : unloaded,
            DriveIdle => history with { Open = null, InMaintenance = false },
            DriveEnteredMaintenance => history with { Open = null, InMaintenance = true },
            DriveLeftMaintenance => history with { InMaintenance = false, ConsecutiveFailures = 0 },
            DrivePaused e => history with { Open = OpenAfterPause(history.Open), Holds = history.Holds.SetItem(e.Hold, e.Why) },
            DriveResumed e => history with { Holds = history.Holds.Remove(e.Hold) },
            _ => history,
        };
    }

    // A drive pauses only between discs: an attempt still open then is over (failed and binned).
    private static OpenAttempt? OpenAfterPause(OpenAttempt? open) => open is { Unloaded: true } or { Failed: true, DiscId: null } ? null : open;

    private static RecorderHistory WithOpen(RecorderHistory history, Func<OpenAttempt, OpenAttempt> change) =>
        history.Open is null ? history : history with { Open = change(history.Open) };
}
