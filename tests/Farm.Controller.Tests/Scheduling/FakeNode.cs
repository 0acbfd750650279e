using Akka.Actor;
using Akka.Delivery;
using Akka.TestKit;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Farm.Messages.Towers;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>A node as the controller sees one: a probe for its commands, and a real ProducerController for its reports.</summary>
internal sealed class FakeNode
{
    private readonly TestKitBase _kit;
    private readonly ActorSystem _system;
    private readonly string _nodeId;
    private readonly IActorRef _producer;
    private readonly TestProbe _producing;
    private readonly Dictionary<string, long> _sequence = new(StringComparer.Ordinal);

    public FakeNode(TestKitBase kit, string nodeId, ActorSystem? on = null)
    {
        _kit = kit;
        _nodeId = nodeId;
        _system = on ?? kit.Sys;
        Commands = new TestProbe(_system, new Akka.TestKit.Xunit2.XunitAssertions());
        _producing = kit.CreateTestProbe();
        _producer = _system.ActorOf(ProducerController.Create<NodeReportBatch>(_system, $"node-{nodeId}-{Guid.NewGuid():N}", Akka.Util.Option<Props>.None));
        _producer.Tell(new ProducerController.Start<NodeReportBatch>(_producing.Ref));
    }

    public TestProbe Commands { get; }

    /// <summary>Registers from this node's system: through remoting when that is another system, as from another process.</summary>
    public TestProbe Register(IActorRef controller)
    {
        var replies = new TestProbe(_system, new Akka.TestKit.Xunit2.XunitAssertions());
        var register = new RegisterNode(_nodeId, Commands.Ref, _producer, []);
        if (_system == _kit.Sys)
        {
            controller.Tell(register, replies.Ref);
        }
        else
        {
            var remotePath = new RootActorPath(Akka.Cluster.Cluster.Get(_kit.Sys).SelfAddress) / controller.Path.Elements;
            _system.ActorSelection(remotePath).Tell(register, replies.Ref);
        }

        return replies;
    }

    /// <summary>Reports a tower with blanks and an idle drive, and waits until the controller applied them.</summary>
    public void ReportsTowerWithIdleDrive(IActorRef controller, string towerId, string driveId)
    {
        Report($"tower-{towerId}", new TowerBinsReported(towerId, 10, "DVD+R", 0, 0));
        Report($"drive-{driveId}", new DriveCameOnline(driveId, _nodeId, towerId, "SIM", "DRIVE"));
        Report($"drive-{driveId}", new DriveIdle(driveId));
        _kit.AwaitAssert(() => Assert.Equal(DriveStatus.Idle, controller.Ask<FarmState>(GetFarmState.Instance, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult().Drives.GetValueOrDefault(driveId)?.Status), TimeSpan.FromSeconds(10));
    }

    /// <summary>Sends one report, alone in its batch, when the producer asks for the next; returns its sequence number.</summary>
    public long Report(string sourceId, IFarmEvent farmEvent, long? sequenceNr = null) =>
        Batch([(sourceId, farmEvent, sequenceNr)])[0].SequenceNr;

    /// <summary>
    /// Sends the reports as one batch when the producer asks for the next (a report without a
    /// sequence number gets its source's next one); returns them as sent. When
    /// <paramref name="confirmedTo"/> is given, it is told the batch's delivery number once the
    /// controller confirmed the batch.
    /// </summary>
    public IReadOnlyList<NodeReport> Batch(IReadOnlyList<(string SourceId, IFarmEvent Event, long? SequenceNr)> reports, IActorRef? confirmedTo = null)
    {
        var batch = new NodeReportBatch([.. reports.Select(r => new NodeReport(_nodeId, r.SourceId, r.SequenceNr ?? (_sequence[r.SourceId] = _sequence.GetValueOrDefault(r.SourceId) + 1), r.Event))]);
        var next = _producing.ExpectMsg<ProducerController.RequestNext<NodeReportBatch>>(TimeSpan.FromSeconds(10));
        next.SendNextTo.Tell(confirmedTo is null ? batch : new ProducerController.MessageWithConfirmation<NodeReportBatch>(batch, confirmedTo));
        return batch.Reports;
    }
}
