using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Node.Journal;

namespace Farm.Node.Tests.Journal;

public sealed class SqliteJournalAppendTests
{
    [Fact]
    public async Task Replaying_a_stream_returns_the_appended_events_in_order_with_sequence_one_to_n()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        var reason = new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, "buffer underrun");
        IFarmEvent[] events =
        [
            new JobSubmitted("job-1", "/images/a.iso", 2_295_104, 8, VerifyMode.Full, "DVD+R", 5, scope.Time.GetUtcNow()),
            new BurnFinished("drive-1", "job-1", 1, 2_295_104, TimeSpan.FromMinutes(7.5)),
            new BurnFailed("drive-1", "job-1", 2, 1, "Writing", 1234, reason),
            new CopyFailed("job-1", 2, 1, "drive-1", reason, DiscId: null),
        ];

        await journal.AppendAsync("drive-1", 0, events, "drive", CancellationToken.None);
        var replayed = await journal.ReadStreamAsync("drive-1", 1, CancellationToken.None);

        Assert.Equal(events, replayed.Select(e => e.Event));
        Assert.Equal([1L, 2L, 3L, 4L], replayed.Select(e => e.SequenceNr));
        Assert.All(replayed, e => Assert.Equal(EventTypes.ManifestOf(e.Event), e.Manifest));
        Assert.Equal(4, await journal.HighestSequenceNrAsync("drive-1", CancellationToken.None));
    }

    [Fact]
    public async Task Appending_with_a_stale_expected_sequence_throws_and_writes_nothing()
    {
        await using var scope = new JournalScope();
        var journal = await scope.OpenAsync();
        await journal.AppendAsync("controller", 0, JournalScope.DriveEvents("drive-1", 3), "", CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<JournalConcurrencyException>(
            () => journal.AppendAsync("controller", 1, JournalScope.DriveEvents("drive-2", 2), "", CancellationToken.None));

        Assert.Equal(("controller", 1L, 3L), (conflict.PersistenceId, conflict.ExpectedSequenceNr, conflict.ActualSequenceNr));
        var stream = await journal.ReadStreamAsync("controller", 1, CancellationToken.None);
        Assert.Equal(3, stream.Count);
        Assert.All(stream, e => Assert.Equal("drive-1", ((SectorsWritten)e.Event).DriveId));
    }

    [Fact]
    public async Task Two_journals_on_one_file_racing_at_the_same_expected_sequence_let_exactly_one_win()
    {
        await using var scope = new JournalScope();
        var first = await scope.OpenAsync();
        var second = await scope.OpenAsync();

        for (var round = 0; round < 20; round++)
        {
            var expected = (long)round;
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = new[] { (first, "drive-a"), (second, "drive-b") }.Select(racer => Task.Run(async () =>
            {
                await start.Task;
                try
                {
                    await racer.Item1.AppendAsync("controller", expected, JournalScope.DriveEvents(racer.Item2, 1), "", CancellationToken.None);
                    return true;
                }
                catch (JournalConcurrencyException)
                {
                    return false;
                }
            })).ToList();
            start.SetResult();

            var won = await Task.WhenAll(attempts);

            Assert.Single(won, w => w);
        }

        var stream = await first.ReadStreamAsync("controller", 1, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), stream.Select(e => e.SequenceNr));
    }
}
