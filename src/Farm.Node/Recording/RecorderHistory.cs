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
    bool Unloaded);

/// <summary>
/// What a RecorderActor knows from its own stream: the attempts it already took (so a decision
/// delivered twice is carried out once), the attempt a crash left open, failures in a row and
/// whether the drive is in maintenance. Built by the pure <see cref="Apply"/>, on replay and live.
/// </summary>
public sealed record RecorderHistory(
    ImmutableHashSet<(string JobId, int Copy, int Attempt)> Taken,
    OpenAttempt? Open,
    int ConsecutiveFailures,
    bool InMaintenance)
{
    public static readonly RecorderHistory Empty = new([], null, 0, false);

    public static RecorderHistory Replay(IEnumerable<IFarmEvent> events) => events.Aggregate(Empty, Apply);

    public static RecorderHistory Apply(RecorderHistory history, IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(history);
        return farmEvent switch
        {
            BurnAssigned e => history with
            {
                Taken = history.Taken.Add((e.JobId, e.Copy, e.Attempt)),
                Open = new OpenAttempt(e.JobId, e.Copy, e.Attempt, e.TotalBlocks, "Loading", null, -1, false, false, null, false),
            },
            DiscLoaded e => WithOpen(history, o => o with { DiscId = e.DiscId, Phase = "Preparing" }),
            BurnStarted e => WithOpen(history, o => o with { Phase = "Writing", LastPersistedLba = e.StartLba - 1 }),
            SectorsWritten e => WithOpen(history, o => o with { LastPersistedLba = e.LastWrittenLba }),
            BurnClosing e => WithOpen(history, o => o with { Phase = "Closing", LastPersistedLba = e.LastWrittenLba }),
            BurnFinished e => WithOpen(history, o => o with { Phase = "Verifying", LastPersistedLba = e.Blocks - 1 }),
            DiscVerified e => WithOpen(history, o => o with { Verified = true, Sha256 = e.Sha256 }),
            BurnFailed => WithOpen(history, o => o with { Failed = true }) with { ConsecutiveFailures = history.ConsecutiveFailures + 1 },
            DiscInterrupted => history with { ConsecutiveFailures = history.ConsecutiveFailures + 1, Open = history.Open is null ? null : history.Open with { Failed = true } },
            DiscUnloaded e => WithOpen(history, o => o with { Unloaded = true, Phase = "Unloading" }) is var unloaded && e.Bin == Bins.Output
                ? unloaded with { ConsecutiveFailures = 0 }
                : unloaded,
            DriveIdle => history with { Open = null, InMaintenance = false },
            DriveEnteredMaintenance => history with { Open = null, InMaintenance = true },
            _ => history,
        };
    }

    private static RecorderHistory WithOpen(RecorderHistory history, Func<OpenAttempt, OpenAttempt> change) =>
        history.Open is null ? history : history with { Open = change(history.Open) };
}
