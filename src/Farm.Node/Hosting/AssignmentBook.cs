using System.Collections.Immutable;
using Farm.Messages;
using Farm.Messages.Jobs;

namespace Farm.Node.Hosting;

/// <summary>
/// The controller's assignments that are still current, folded from the controller's stream: an
/// assignment stops being current once the controller recorded its outcome (verified, failed,
/// re-queued) or ended the job. A node carries out only current assignments, so a decision the
/// controller has since overtaken is never burned.
/// </summary>
public sealed record AssignmentBook(ImmutableDictionary<(string JobId, int Copy), CopyAssigned> Current)
{
    public static readonly AssignmentBook Empty = new(ImmutableDictionary<(string, int), CopyAssigned>.Empty);

    public static AssignmentBook Apply(AssignmentBook book, IFarmEvent farmEvent)
    {
        ArgumentNullException.ThrowIfNull(book);
        return farmEvent switch
        {
            CopyAssigned e => book with { Current = book.Current.SetItem((e.JobId, e.Copy), e) },
            CopyVerified e => Remove(book, e.JobId, e.Copy, e.Attempt),
            CopyFailed e => Remove(book, e.JobId, e.Copy, e.Attempt),
            JobCompleted e => book with { Current = book.Current.RemoveRange(book.Current.Keys.Where(k => k.JobId == e.JobId)) },
            JobFailed e => book with { Current = book.Current.RemoveRange(book.Current.Keys.Where(k => k.JobId == e.JobId)) },
            _ => book,
        };
    }

    private static AssignmentBook Remove(AssignmentBook book, string jobId, int copy, int attempt) =>
        book.Current.TryGetValue((jobId, copy), out var current) && current.Attempt == attempt
            ? book with { Current = book.Current.Remove((jobId, copy)) }
            : book;
}
