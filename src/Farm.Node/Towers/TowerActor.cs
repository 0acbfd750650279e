using Farm.Device.Towers;
using Farm.Messages;
using Farm.Messages.Towers;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Towers;

/// <summary>
/// One tower's arm and bins. Moves arrive as messages and run one at a time on the actor's loop,
/// so two drives can never send the arm two ways at once; every move and bin level is an event
/// in the stream "tower-{id}".
/// </summary>
public sealed partial class TowerActor : Actor<TowerActor.Command>
{
    /// <summary>Orders for the arm; each carries the completion its sender awaits.</summary>
    public abstract record Command;

    /// <summary>Put a blank of this media type into the drive; completes with the disc's id.</summary>
    public sealed record LoadBlank(string DriveId, string MediaType, TaskCompletionSource<string> Done) : Command;

    /// <summary>Take the drive's disc to a bin; <paramref name="DiscId"/> as the drive last knew it.</summary>
    public sealed record Unload(string DriveId, string DiscId, string Bin, string? Reason, TaskCompletionSource Done) : Command;

    private readonly ITowerRobot robot;
    private readonly IJournal journal;
    private readonly ILogger logger;
    private StreamAppender? stream;

    public TowerActor(ITowerRobot robot, IJournal journal, ActorContext context)
        : base($"tower-{robot?.TowerId}", context)
    {
        this.robot = robot ?? throw new ArgumentNullException(nameof(robot));
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        logger = context.Logger;
    }

    public string TowerId => robot.TowerId;

    public static string StreamIdOf(string towerId) => $"tower-{towerId}";

    public async Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        Send(new LoadBlank(driveId, mediaType, done));
        return await done.Task.ConfigureAwait(false);
    }

    public async Task UnloadAsync(string driveId, string discId, string bin, string? reason, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        Send(new Unload(driveId, discId, bin, reason, done));
        await done.Task.ConfigureAwait(false);
    }

    private void Send(Command command)
    {
        if (!Tell(command))
        {
            throw new TowerException(TowerFault.ArmJam, $"tower {TowerId} is stopped; no arm move is possible");
        }
    }

    protected override async Task StartedAsync(CancellationToken cancellationToken)
    {
        (stream, _) = await StreamAppender.OpenAsync(journal, StreamIdOf(TowerId), "tower", cancellationToken).ConfigureAwait(false);
        await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task HandleAsync(Command message, CancellationToken cancellationToken)
    {
        try
        {
            await MoveArmAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception crash) when (crash is not TowerException)
        {
            // The supervisor restarts the actor and drops this message: answer its sender first,
            // or the drive waiting for the arm would wait forever.
            _ = message switch
            {
                LoadBlank load => load.Done.TrySetException(crash),
                Unload unload => unload.Done.TrySetException(crash),
                _ => false,
            };
            throw;
        }
    }

    private async Task MoveArmAsync(Command message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case LoadBlank load:
                try
                {
                    var discId = await robot.LoadBlankAsync(load.DriveId, load.MediaType, cancellationToken).ConfigureAwait(false);
                    await Stream.AppendAsync(new DiscPicked(TowerId, load.DriveId, discId, load.MediaType), cancellationToken).ConfigureAwait(false);
                    await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
                    load.Done.TrySetResult(discId);
                }
                catch (TowerException fault)
                {
                    await RaiseAlertAsync(fault, cancellationToken).ConfigureAwait(false);
                    load.Done.TrySetException(fault);
                }

                break;

            case Unload unload:
                try
                {
                    await robot.UnloadAsync(unload.DriveId, unload.Bin, cancellationToken).ConfigureAwait(false);
                    await Stream.AppendAsync(new DiscBinned(TowerId, unload.DriveId, unload.DiscId, unload.Bin, unload.Reason), cancellationToken).ConfigureAwait(false);
                    await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
                    unload.Done.TrySetResult();
                }
                catch (TowerException fault)
                {
                    await RaiseAlertAsync(fault, cancellationToken).ConfigureAwait(false);
                    unload.Done.TrySetException(fault);
                }

                break;
        }
    }

    private StreamAppender Stream => stream ?? throw new InvalidOperationException($"tower {TowerId} has not started");

    private async Task ReportBinsAsync(CancellationToken cancellationToken)
    {
        var bins = await robot.GetBinsAsync(cancellationToken).ConfigureAwait(false);
        await Stream.AppendAsync(new TowerBinsReported(TowerId, bins.InputBlanks, bins.InputMediaType, bins.Output, bins.Reject), cancellationToken).ConfigureAwait(false);
    }

    private async Task RaiseAlertAsync(TowerException fault, CancellationToken cancellationToken)
    {
        LogTowerFault(TowerId, fault.Fault, fault.Message);
        await Stream.AppendAsync(new TowerAlertRaised(TowerId, fault.Fault.ToString(), fault.Message), cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Tower {TowerId}: {Fault}: {Detail}")]
    private partial void LogTowerFault(string towerId, TowerFault fault, string detail);
}
