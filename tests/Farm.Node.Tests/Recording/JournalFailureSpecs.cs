using Akka.Persistence;
using Akka.Persistence.TestKit;
using Farm.Messages.Drives;
using Farm.Node.Cluster;
using Farm.Node.Recording;
using Farm.Node.Tests.Akka;
using Xunit.Abstractions;

namespace Farm.Node.Tests.Recording;

/// <summary>
/// The node's journal failing under a drive (Akka.Persistence.TestKit): the recorder crashes on the
/// failed write or recovery, its supervisor starts it again with back-off (re-opening the device),
/// and once the journal works again the drive is back, with nothing lost.
/// </summary>
public sealed class JournalFailureSpecs(ITestOutputHelper output) : NodeSpec(output, SpecJournal.Failing)
{
    private static readonly RigOptions Patient = new()
    {
        Supervision = new SupervisionOptions(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), 2.0, 1000, TimeSpan.FromMinutes(5)),
    };

    private ITestJournal Journal => TestJournal.FromRef(global::Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(FarmPersistence.NodeJournalId));

    [Fact]
    public async Task Failed_writes_restart_the_drive_with_back_off_until_the_journal_takes_them_again()
    {
        await Journal.OnWrite.FailIf(write => write.PersistenceId == NodeRig.DriveSource());
        await using var rig = await NodeRig.StartAsync(this, Patient, Folder);
        await AwaitConditionAsync(() => Task.FromResult(rig.OpensOf(NodeRig.DriveIdOf(1)) >= 3), Dilated(Patience));
        Assert.Empty(rig.DriveEvents()); // nothing the journal refused was reported

        await Journal.OnWrite.Pass();
        await rig.WaitForStateAsync(RecorderState.Idle);
        rig.Tell(NodeRig.Assignment(rig.Image(256)));
        await rig.WaitForDriveAsync<DiscUnloaded>();

        Assert.IsType<DriveCameOnline>(rig.DriveEvents()[0]);
        Assert.DoesNotContain(rig.DriveEvents(), e => e is DriveEnteredMaintenance);
    }

    /// <summary>Fails the replay of the drive's events while <see cref="Failing"/>, counting the attempts.</summary>
    private sealed class FailingReplay : IJournalInterceptor
    {
        private int _attempts;

        public volatile bool Failing = true;

        public int Attempts => Volatile.Read(ref _attempts);

        public Task InterceptAsync(IPersistentRepresentation message)
        {
            if (message.PersistenceId == NodeRig.DriveSource() && Failing)
            {
                Interlocked.Increment(ref _attempts);
                throw new InvalidOperationException("the node's disk is not readable (injected)");
            }

            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_failed_recovery_is_retried_with_back_off_and_the_drive_comes_back_when_the_journal_reads_again()
    {
        var log = new ReportLog();
        await using (var rig = await NodeRig.StartAsync(this, Patient, Folder, log))
        {
            await rig.WaitForStateAsync(RecorderState.Idle);
            await rig.StopAsync();
        }

        var replay = new FailingReplay();
        await Journal.OnRecovery.SetInterceptorAsync(replay);
        await using var again = await NodeRig.StartAsync(this, Patient, Folder, log);
        await AwaitConditionAsync(() => Task.FromResult(replay.Attempts >= 3), Dilated(Patience));
        Assert.Equal(0, again.OpensOf(NodeRig.DriveIdOf(1))); // a recorder that cannot recover never opens the device
        Assert.NotEqual(RecorderState.Idle, (await again.StatusAsync()).State);

        replay.Failing = false;
        await again.WaitForDriveAsync<DriveCameOnline>(nth: 2);
        await again.WaitForStateAsync(RecorderState.Idle);
        Assert.Equal(1, again.OpensOf(NodeRig.DriveIdOf(1)));
    }
}
