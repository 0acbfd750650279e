using Farm.Device.Towers;
using Farm.Messages;
using Farm.Messages.Towers;
using Farm.Node.Actors;
using Farm.Node.Journal;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Towers;

/// <summary>The tower needs an operator (<paramref name="Held"/>) or no longer does; its drives pause and resume with it.</summary>
public sealed record TowerHoldChanged(string TowerId, bool Held, string Why);

/// <summary>
/// One tower's arm, bins and printer. Moves arrive as messages and run one at a time on the
/// actor's loop, so two drives can never send the arm two ways at once; every move, bin level,
/// label and alert is an event in the stream "tower-{id}". A fault a person must fix (input empty,
/// a bin full, arm jam, two discs picked, printer fault) raises an alert that stands until an
/// operator clears it; while any stands the tower is held and its drives take no copies.
/// </summary>
public sealed partial class TowerActor : Actor<TowerActor.Command>
{
    /// <summary>Orders for the tower; each carries the completion its sender awaits.</summary>
    public abstract record Command;

    /// <summary>Put a blank of this media type into the drive; completes with the disc's id.</summary>
    public sealed record LoadBlank(string DriveId, string MediaType, TaskCompletionSource<string> Done) : Command;

    /// <summary>Take the drive's disc to a bin; <paramref name="DiscId"/> as the drive last knew it; a <paramref name="Label"/> is printed on the way to the output bin.</summary>
    public sealed record Unload(string DriveId, string DiscId, string Bin, string? Reason, TaskCompletionSource Done) : Command
    {
        public string? Label { get; init; }
    }

    /// <summary>An operator dealt with <paramref name="Alert"/>; completes with null when cleared, or why it still stands.</summary>
    public sealed record ClearAlert(string Alert, string By, TaskCompletionSource<string?> Done) : Command;

    private readonly ITowerRobot robot;
    private readonly IJournal journal;
    private readonly ILogger logger;
    private readonly Action<TowerHoldChanged>? onHoldChanged;
    private StreamAppender? stream;
    private TowerHistory history = TowerHistory.Empty;

    public TowerActor(ITowerRobot robot, IJournal journal, ActorContext context, Action<TowerHoldChanged>? onHoldChanged = null)
        : base($"tower-{robot?.TowerId}", context)
    {
        this.robot = robot ?? throw new ArgumentNullException(nameof(robot));
        this.journal = journal ?? throw new ArgumentNullException(nameof(journal));
        this.onHoldChanged = onHoldChanged;
        logger = context.Logger;
    }

    public string TowerId => robot.TowerId;

    public IReadOnlyList<string> DriveIds => robot.DriveIds;

    public static string StreamIdOf(string towerId) => $"tower-{towerId}";

    /// <summary>The alerts standing (alert -> message); replaced atomically, readable from any thread.</summary>
    public IReadOnlyDictionary<string, string> Alerts => Volatile.Read(ref history).Alerts;

    public async Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        Send(new LoadBlank(driveId, mediaType, done));
        return await done.Task.ConfigureAwait(false);
    }

    public Task UnloadAsync(string driveId, string discId, string bin, string? reason, CancellationToken cancellationToken) =>
        UnloadAsync(driveId, discId, bin, reason, null, cancellationToken);

    public async Task UnloadAsync(string driveId, string discId, string bin, string? reason, string? label, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        Send(new Unload(driveId, discId, bin, reason, done) { Label = label });
        await done.Task.ConfigureAwait(false);
    }

    /// <summary>An operator says <paramref name="alert"/> is dealt with; null when cleared, else why it still stands.</summary>
    public async Task<string?> ClearAlertAsync(string alert, string by, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)).ConfigureAwait(false);
        Send(new ClearAlert(alert, by, done));
        return await done.Task.ConfigureAwait(false);
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
        (stream, var past) = await StreamAppender.OpenAsync(journal, StreamIdOf(TowerId), "tower", cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref history, TowerHistory.Replay(past.Select(e => e.Event)));
        if (history.Alerts.Count > 0)
        {
            // Alerts outlive a restart: the drives of a held tower stay paused.
            onHoldChanged?.Invoke(new TowerHoldChanged(TowerId, true, Describe(history.Alerts)));
        }

        await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task HandleAsync(Command message, CancellationToken cancellationToken)
    {
        try
        {
            await HandleCommandAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception crash) when (crash is not TowerException)
        {
            // The supervisor restarts the actor and drops this message: answer its sender first,
            // or the drive waiting for the arm would wait forever.
            _ = message switch
            {
                LoadBlank load => load.Done.TrySetException(crash),
                Unload unload => unload.Done.TrySetException(crash),
                ClearAlert clear => clear.Done.TrySetException(crash),
                _ => false,
            };
            throw;
        }
    }

    private async Task HandleCommandAsync(Command message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case LoadBlank load:
                try
                {
                    var discId = await robot.LoadBlankAsync(load.DriveId, load.MediaType, cancellationToken).ConfigureAwait(false);
                    await PersistAsync(new DiscPicked(TowerId, load.DriveId, discId, load.MediaType), cancellationToken).ConfigureAwait(false);
                    await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
                    load.Done.TrySetResult(discId);
                }
                catch (TowerException fault)
                {
                    await RaiseAlertAsync(fault, Bins.Input, cancellationToken).ConfigureAwait(false);
                    load.Done.TrySetException(fault);
                }

                break;

            case Unload unload:
                try
                {
                    await robot.UnloadAsync(unload.DriveId, unload.Bin, cancellationToken).ConfigureAwait(false);
                    await PersistAsync(new DiscBinned(TowerId, unload.DriveId, unload.DiscId, unload.Bin, unload.Reason), cancellationToken).ConfigureAwait(false);
                    if (unload.Label is { } label && unload.Bin == Bins.Output)
                    {
                        await PrintAsync(unload.DriveId, unload.DiscId, label, cancellationToken).ConfigureAwait(false);
                    }

                    await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
                    unload.Done.TrySetResult();
                }
                catch (TowerException fault)
                {
                    await RaiseAlertAsync(fault, unload.Bin, cancellationToken).ConfigureAwait(false);
                    unload.Done.TrySetException(fault);
                }

                break;

            case ClearAlert clear:
                clear.Done.TrySetResult(await ClearAsync(clear.Alert, clear.By, cancellationToken).ConfigureAwait(false));
                break;
        }
    }

    /// <summary>
    /// Prints the label between the drive and the output bin. A failed print does not undo the
    /// disc (it is good and binned); it raises an alert, so the operator reloads the printer and
    /// relabels that disc.
    /// </summary>
    private async Task PrintAsync(string driveId, string discId, string label, CancellationToken cancellationToken)
    {
        if (robot is not ILabelPrinter { HasPrinter: true } printer)
        {
            return;
        }

        try
        {
            var took = await printer.PrintAsync(driveId, discId, label, cancellationToken).ConfigureAwait(false);
            await PersistAsync(new LabelPrinted(TowerId, driveId, discId, label, took), cancellationToken).ConfigureAwait(false);
        }
        catch (LabelPrinterException failed)
        {
            await RaiseAsync(TowerAlerts.PrinterFault, $"{failed.Message} (disc {discId} is in the output bin without its label)", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> ClearAsync(string alert, string by, CancellationToken cancellationToken)
    {
        if (!history.Alerts.ContainsKey(alert))
        {
            return null;
        }

        var bins = await robot.GetBinsAsync(cancellationToken).ConfigureAwait(false);
        if (alert == TowerAlerts.InputEmpty && bins.InputBlanks <= 0)
        {
            return $"tower {TowerId}: the input bin is still empty; load {bins.InputMediaType} blanks first";
        }

        await PersistAsync(new TowerAlertCleared(TowerId, alert, by), cancellationToken).ConfigureAwait(false);
        LogAlertCleared(TowerId, alert, by);
        await ReportBinsAsync(cancellationToken).ConfigureAwait(false);
        if (history.Alerts.Count == 0)
        {
            onHoldChanged?.Invoke(new TowerHoldChanged(TowerId, false, $"{alert} cleared by {by}"));
        }

        return null;
    }

    private StreamAppender Stream => stream ?? throw new InvalidOperationException($"tower {TowerId} has not started");

    private async Task PersistAsync(IFarmEvent farmEvent, CancellationToken cancellationToken)
    {
        await Stream.AppendAsync(farmEvent, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref history, TowerHistory.Apply(history, farmEvent));
    }

    /// <summary>Reports the bins; the "bin empty" sensor raises its alert when the last blank is gone.</summary>
    private async Task ReportBinsAsync(CancellationToken cancellationToken)
    {
        var bins = await robot.GetBinsAsync(cancellationToken).ConfigureAwait(false);
        await PersistAsync(new TowerBinsReported(TowerId, bins.InputBlanks, bins.InputMediaType, bins.Output, bins.Reject), cancellationToken).ConfigureAwait(false);
        if (bins.InputBlanks <= 0)
        {
            await RaiseAsync(TowerAlerts.InputEmpty, $"tower {TowerId}: the input bin is empty; load {bins.InputMediaType} blanks and clear the alert", cancellationToken).ConfigureAwait(false);
        }
    }

    private Task RaiseAlertAsync(TowerException fault, string bin, CancellationToken cancellationToken)
    {
        LogTowerFault(TowerId, fault.Fault, fault.Message);
        var alert = fault.Fault switch
        {
            TowerFault.InputEmpty => TowerAlerts.InputEmpty,
            TowerFault.BinFull => bin == Bins.Reject ? TowerAlerts.RejectFull : TowerAlerts.OutputFull,
            TowerFault.ArmJam => TowerAlerts.ArmJam,
            TowerFault.PickedTwice => TowerAlerts.PickedTwice,
            _ => null, // a wrong drive or an empty tray is the drive's failure, not the tower's
        };
        return alert is null ? Task.CompletedTask : RaiseAsync(alert, fault.Message, cancellationToken);
    }

    private async Task RaiseAsync(string alert, string message, CancellationToken cancellationToken)
    {
        if (history.Alerts.ContainsKey(alert))
        {
            return;
        }

        var wasHeld = history.Alerts.Count > 0;
        await PersistAsync(new TowerAlertRaised(TowerId, alert, message), cancellationToken).ConfigureAwait(false);
        LogAlertRaised(TowerId, alert, message);
        if (!wasHeld)
        {
            onHoldChanged?.Invoke(new TowerHoldChanged(TowerId, true, message));
        }
    }

    private static string Describe(System.Collections.Immutable.ImmutableSortedDictionary<string, string> alerts) => string.Join("; ", alerts.Values);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Tower {TowerId}: {Fault}: {Detail}")]
    private partial void LogTowerFault(string towerId, TowerFault fault, string detail);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Tower {TowerId}: alert {Alert}: {Message}")]
    private partial void LogAlertRaised(string towerId, string alert, string message);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Tower {TowerId}: alert {Alert} cleared by {By}")]
    private partial void LogAlertCleared(string towerId, string alert, string by);
}
