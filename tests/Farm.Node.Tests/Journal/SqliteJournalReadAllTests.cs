namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalReadAllTests
{
    [Fact]
    public async Task Reading_all_after_an_ordering_returns_only_later_events_in_global_order_across_streams()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        var a1 = await journal.AppendAsync("drive-a", 0, JournalScope.DriveEvents("drive-a", 2), "", CancellationToken.None);
        var b1 = await journal.AppendAsync("drive-b", 0, JournalScope.DriveEvents("drive-b", 1), "", CancellationToken.None);
        var a2 = await journal.AppendAsync("drive-a", 2, JournalScope.DriveEvents("drive-a", 1), "", CancellationToken.None);
        var b2 = await journal.AppendAsync("drive-b", 1, JournalScope.DriveEvents("drive-b", 2), "", CancellationToken.None);
        var offset = a1[^1].Ordering;

        var later = await journal.ReadAllAsync(offset, 100, CancellationToken.None);
        var firstTwo = await journal.ReadAllAsync(offset, 2, CancellationToken.None);

        Assert.Equal(b1.Concat(a2).Concat(b2), later);
        Assert.Equal(later.Select(e => e.Ordering).Order(), later.Select(e => e.Ordering));
        Assert.All(later, e => Assert.True(e.Ordering > offset));
        Assert.Equal(later.Take(2), firstTwo);
    }
}
