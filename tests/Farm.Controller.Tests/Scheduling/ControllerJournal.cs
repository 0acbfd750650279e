using Akka.Actor;
using Akka.Persistence;
using Farm.Messages;
using Farm.Node.Cluster;

namespace Farm.Controller.Tests.Scheduling;

/// <summary>
/// The controller's own stream read and written from outside it: replays what is there, appends
/// <paramref name="append"/> (a journal as an earlier incarnation left it), then tells
/// <paramref name="replyTo"/> every event the stream held before, in order, and stops.
/// </summary>
public sealed class ControllerJournal : ReceivePersistentActor
{
    private readonly List<IFarmEvent> _replayed = [];

    public ControllerJournal(IReadOnlyList<IFarmEvent> append, IActorRef replyTo)
    {
        Recover<IFarmEvent>(_replayed.Add);
        Recover<RecoveryCompleted>(_ =>
        {
            if (append.Count == 0)
            {
                replyTo.Tell(new Read([.. _replayed]));
                Context.Stop(Self);
                return;
            }

            var left = append.Count;
            PersistAll(append, _ =>
            {
                if (--left == 0)
                {
                    replyTo.Tell(new Read([.. _replayed]));
                    Context.Stop(Self);
                }
            });
        });
    }

    public override string PersistenceId => FarmControllerKey.PersistenceId;

    public static Props Props(IReadOnlyList<IFarmEvent> append, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new ControllerJournal(append, replyTo));

    /// <summary>The events the stream held when it was read.</summary>
    public sealed record Read(IReadOnlyList<IFarmEvent> Events);
}
