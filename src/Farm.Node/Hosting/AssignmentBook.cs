using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Node.Hosting;

/// <summary>
/// The controller's assignments that are still current, folded from the controller's stream: an
/// assignment stops being current once the controller recorded its outcome (verified, failed,
/// re-queued) or ended the job. A node carries out only current assignments, so a decision the
/// controller has since overtaken is never burned. Aborts the controller asked for are kept with
/// the assignment they stop, so a node restarted from a snapshot still carries them out.
/// </summary>
public sealed record AssignmentBook(ImmutableDictionary<(string JobId, int Copy), CopyAssigned> Current)
{
    public static readonly AssignmentBook Empty = new(ImmutableDictionary<(string, int), CopyAssigned>.Empty);

    /// <summary>Aborts asked for current assignments, by the assignment they stop.</summary>
    public ImmutableDictionary<(string JobId, int Copy), CopyAbortRequested> Aborts { get; init; } = ImmutableDictionary<(string, int), CopyAbortRequested>.Empty;

    public static AssignmentBook Apply(AssignmentBook book, IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(book);
        return farmEvent switch
        {
            CopyAssigned e => book with { Current = book.Current.SetItem((e.JobId, e.Copy), e), Aborts = book.Aborts.Remove((e.JobId, e.Copy)) },
            CopyAbortRequested e when book.Current.TryGetValue((e.JobId, e.Copy), out var current) && current.Attempt == e.Attempt =>
                book with { Aborts = book.Aborts.SetItem((e.JobId, e.Copy), e) },
            CopyVerified e => Remove(book, e.JobId, e.Copy, e.Attempt),
            CopyFailed e => Remove(book, e.JobId, e.Copy, e.Attempt),
            JobCompleted e => RemoveJob(book, e.JobId),
            JobFailed e => RemoveJob(book, e.JobId),
            _ => book,
        };
    }

    /// <summary>The book as a snapshot holds it (JSON has no tuple keys): the current assignments and their aborts.</summary>
    public AssignmentBookSnapshot ToSnapshot(long afterOrdering) =>
        new(afterOrdering, [.. Current.Values.OrderBy(a => a.JobId, StringComparer.Ordinal).ThenBy(a => a.Copy)], [.. Aborts.Values]);

    public static AssignmentBook FromSnapshot(AssignmentBookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var book = snapshot.Current.Aggregate(Empty, (b, a) => Apply(b, a));
        return snapshot.Aborts.Aggregate(book, (b, a) => Apply(b, a));
    }

    private static AssignmentBook Remove(AssignmentBook book, string jobId, int copy, int attempt) =>
        book.Current.TryGetValue((jobId, copy), out var current) && current.Attempt == attempt
            ? book with { Current = book.Current.Remove((jobId, copy)), Aborts = book.Aborts.Remove((jobId, copy)) }
            : book;

    private static AssignmentBook RemoveJob(AssignmentBook book, string jobId) => book with
    {
        Current = book.Current.RemoveRange(book.Current.Keys.Where(k => k.JobId == jobId)),
        Aborts = book.Aborts.RemoveRange(book.Aborts.Keys.Where(k => k.JobId == jobId)),
    };
}

/// <summary>A node's tail position and the assignments current there: where a restarted node reads on from.</summary>
public sealed record AssignmentBookSnapshot(long AfterOrdering, IReadOnlyList<CopyAssigned> Current, IReadOnlyList<CopyAbortRequested> Aborts);
