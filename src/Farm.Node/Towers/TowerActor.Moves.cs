using Farm.Device.Towers;
using Farm.Messages;
using Farm.Messages.Towers;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Towers;

// The arm's moves: robot I/O off the mailbox, deciding the events on a private view of the history.
public sealed partial class TowerActor
{
    /// <summary>The events one move decided, with the history as they leave it (so a second alert in one move is not raised twice).</summary>
    private sealed class Move(TowerHistory start)
    {
        public List<IFarmEvent> Events { get; } = [];

        public TowerHistory View { get; private set; } = start;

        /// <summary>Why the hold ends, when this move clears the last alert.</summary>
        public string? ReleasedBecause { get; set; }

        public void Add(IFarmEvent farmEvent)
        {
            Events.Add(farmEvent);
            View = TowerHistory.Apply(View, farmEvent);
        }
    }

    private async Task<object?> LoadAsync(Move move, TowerProtocol.LoadBlank load)
    {
        try
        {
            var discId = await Robot.LoadBlankAsync(load.DriveId, load.MediaType, CancellationToken.None).ConfigureAwait(false);
            move.Add(new DiscPicked(TowerId, load.DriveId, discId, load.MediaType));
            await ReportBinsAsync(move, CancellationToken.None).ConfigureAwait(false);
            return new TowerProtocol.BlankLoaded(discId);
        }
        catch (TowerException fault)
        {
            RaiseAlert(move, fault, Bins.Input);
            return new TowerProtocol.ArmFailed(fault.Fault, fault.Message);
        }
    }

    private async Task<object?> UnloadAsync(Move move, TowerProtocol.Unload unload)
    {
        try
        {
            await Robot.UnloadAsync(unload.DriveId, unload.Bin, CancellationToken.None).ConfigureAwait(false);
            move.Add(new DiscBinned(TowerId, unload.DriveId, unload.DiscId, unload.Bin, unload.Reason));
            if (unload.Label is { } label && unload.Bin == Bins.Output)
            {
                await PrintAsync(move, unload.DriveId, unload.DiscId, label).ConfigureAwait(false);
            }

            await ReportBinsAsync(move, CancellationToken.None).ConfigureAwait(false);
            return new TowerProtocol.Unloaded(unload.DiscId, unload.Bin);
        }
        catch (TowerException fault)
        {
            RaiseAlert(move, fault, unload.Bin);
            return new TowerProtocol.ArmFailed(fault.Fault, fault.Message);
        }
    }

    /// <summary>
    /// Prints the label between the drive and the output bin. A failed print does not undo the
    /// disc (it is good and binned); it raises an alert, so the operator reloads the printer and
    /// relabels that disc.
    /// </summary>
    private async Task PrintAsync(Move move, string driveId, string discId, string label)
    {
        if (Robot is not ILabelPrinter { HasPrinter: true } printer)
        {
            // The controller gives labelled copies only to towers that report a printer; one that
            // gets here was assigned before this tower said it has none.
            LogNoPrinter(TowerId, discId);
            return;
        }

        try
        {
            var took = await printer.PrintAsync(driveId, discId, label, CancellationToken.None).ConfigureAwait(false);
            move.Add(new LabelPrinted(TowerId, driveId, discId, label, took));
        }
        catch (LabelPrinterException failed)
        {
            Raise(move, TowerAlerts.PrinterFault, $"{failed.Message} (disc {discId} is in the output bin without its label)");
        }
    }

    /// <summary>An operator refilled the input bin: a simulated bin is told its count, then the input-empty alert is cleared and the bins reported.</summary>
    private async Task<object?> RefilledAsync(Move move, TowerProtocol.Refilled refilled)
    {
        (Robot as IOperatorRefilledBins)?.InputRefilled(refilled.InputBlanks);
        if (!move.View.Alerts.ContainsKey(TowerAlerts.InputEmpty))
        {
            await ReportBinsAsync(move, CancellationToken.None).ConfigureAwait(false);
            return new TowerProtocol.AlertAnswer(null);
        }

        return new TowerProtocol.AlertAnswer(await ClearAsync(move, TowerAlerts.InputEmpty, refilled.By).ConfigureAwait(false));
    }

    /// <summary>Null when cleared (or not standing), else why the alert still stands.</summary>
    private async Task<string?> ClearAsync(Move move, string alert, string by)
    {
        if (!move.View.Alerts.ContainsKey(alert))
        {
            return null;
        }

        var bins = await Robot.GetBinsAsync(CancellationToken.None).ConfigureAwait(false);
        if (alert == TowerAlerts.InputEmpty && bins.InputBlanks <= 0)
        {
            return $"tower {TowerId}: the input bin is still empty; load {bins.InputMediaType} blanks first";
        }

        move.Add(new TowerAlertCleared(TowerId, alert, by));
        move.ReleasedBecause = $"{alert} cleared by {by}";
        LogAlertCleared(TowerId, alert, by);
        await ReportBinsAsync(move, CancellationToken.None).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Whether this tower prints labels: its robot drives a fitted printer. A SCSI media changer's
    /// tower never does (the farm has no driver for a changer tower's printer), so the controller
    /// refuses labelled jobs no printing tower can take instead of burning them unlabelled.
    /// </summary>
    private bool CanPrintLabels => Robot is ILabelPrinter { HasPrinter: true };

    /// <summary>Reports the bins; the "bin empty" sensor raises its alert when the last blank is gone.</summary>
    private async Task ReportBinsAsync(Move move, CancellationToken cancellationToken)
    {
        var bins = await Robot.GetBinsAsync(cancellationToken).ConfigureAwait(false);
        move.Add(new TowerBinsReported(TowerId, bins.InputBlanks, bins.InputMediaType, bins.Output, bins.Reject, CanPrintLabels));
        if (bins.InputBlanks <= 0)
        {
            Raise(move, TowerAlerts.InputEmpty, $"tower {TowerId}: the input bin is empty; load {bins.InputMediaType} blanks and clear the alert");
        }
    }

    private void RaiseAlert(Move move, TowerException fault, string bin)
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
        if (alert is not null)
        {
            Raise(move, alert, fault.Message);
        }
    }

    private void Raise(Move move, string alert, string message)
    {
        if (move.View.Alerts.ContainsKey(alert))
        {
            return;
        }

        move.Add(new TowerAlertRaised(TowerId, alert, message));
        LogAlertRaised(TowerId, alert, message);
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Tower {TowerId}: {Fault}: {Detail}")]
    private partial void LogTowerFault(string towerId, TowerFault fault, string detail);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Tower {TowerId}: alert {Alert}: {Message}")]
    private partial void LogAlertRaised(string towerId, string alert, string message);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Tower {TowerId}: alert {Alert} cleared by {By}")]
    private partial void LogAlertCleared(string towerId, string alert, string by);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Tower {TowerId}: disc {DiscId} has a label but the tower has no printer; it is binned unlabelled")]
    private partial void LogNoPrinter(string towerId, string discId);
}
