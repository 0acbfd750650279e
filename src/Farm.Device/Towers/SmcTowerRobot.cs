using Farm.Messages;

namespace Farm.Device.Towers;

/// <summary>
/// A disc tower driven through a SCSI media changer: blanks are moved from the input slots into
/// a drive, finished discs from the drive into the output or reject slots. The element status is
/// read before every move (the changer is the truth; an operator may have refilled a bin), and
/// moves are serialised: one arm, one move at a time.
/// </summary>
public sealed class SmcTowerRobot : ITowerRobot, IDisposable
{
    private readonly SmcChanger changer;
    private readonly SmcTowerLayout layout;
    private readonly SemaphoreSlim arm = new(1, 1);

    public SmcTowerRobot(SmcChanger changer, SmcTowerLayout layout)
    {
        this.changer = changer ?? throw new ArgumentNullException(nameof(changer));
        this.layout = (layout ?? throw new ArgumentNullException(nameof(layout))).Validate();
        DriveIds = [.. layout.Drives.Keys.Order(StringComparer.Ordinal)];
    }

    public string TowerId => layout.TowerId;

    public IReadOnlyList<string> DriveIds { get; }

    public async Task<TowerBins> GetBinsAsync(CancellationToken cancellationToken)
    {
        await arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slots = await changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            int FullIn(SlotRange range) => slots.Count(slot => slot.Full && range.Contains(slot.Address));
            return new TowerBins(FullIn(layout.Input), layout.InputMediaType, FullIn(layout.Output), FullIn(layout.Reject));
        }
        finally
        {
            arm.Release();
        }
    }

    public async Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var drive = DriveAddress(driveId);
        if (!string.Equals(mediaType, layout.InputMediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin holds {layout.InputMediaType} blanks, not {mediaType}");
        }

        await arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slots = await changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            var blank = slots.Where(slot => slot.Full && layout.Input.Contains(slot.Address)).MinBy(slot => slot.Address)
                ?? throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin ({layout.Input}) is empty; load blanks");

            await changer.MoveMediumAsync(await TransportElementAsync(cancellationToken).ConfigureAwait(false), blank.Address, drive, cancellationToken).ConfigureAwait(false);
            return blank.VolumeTag ?? $"{TowerId}:slot{blank.Address}";
        }
        finally
        {
            arm.Release();
        }
    }

    /// <summary>
    /// Moves the disc in the drive to the output or reject bin. The drive's tray must already be
    /// open or the disc released (the RecorderActor ejects before it asks for an unload).
    /// </summary>
    public async Task UnloadAsync(string driveId, string bin, CancellationToken cancellationToken)
    {
        var drive = DriveAddress(driveId);
        var range = bin switch
        {
            Bins.Output => layout.Output,
            Bins.Reject => layout.Reject,
            _ => throw new ArgumentException($"a disc is unloaded into '{Bins.Output}' or '{Bins.Reject}', not '{bin}'", nameof(bin)),
        };

        await arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var drives = await changer.ReadElementStatusAsync(SmcElementType.DataTransfer, cancellationToken).ConfigureAwait(false);
            var status = drives.FirstOrDefault(element => element.Address == drive)
                ?? throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: the changer has no drive element {drive} (drive {driveId}); check the tower layout");
            if (!status.Full)
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} (element {drive}) holds no disc to unload");
            }

            var slots = await changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            var free = slots.Where(slot => !slot.Full && range.Contains(slot.Address)).MinBy(slot => slot.Address)
                ?? throw new TowerException(TowerFault.BinFull, $"tower {TowerId}: the {bin} bin ({range}) is full; empty it");

            await changer.MoveMediumAsync(await TransportElementAsync(cancellationToken).ConfigureAwait(false), drive, free.Address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            arm.Release();
        }
    }

    public void Dispose() => arm.Dispose();

    private ushort DriveAddress(string driveId) =>
        layout.Drives.TryGetValue(driveId ?? "", out var address)
            ? address
            : throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId} does not serve drive '{driveId}' (it serves {string.Join(", ", DriveIds)})");

    private async Task<ushort> TransportElementAsync(CancellationToken cancellationToken)
    {
        if (layout.TransportElement is { } configured)
        {
            return configured;
        }

        var arms = await changer.ReadElementStatusAsync(SmcElementType.MediumTransport, cancellationToken).ConfigureAwait(false);
        return arms.Count > 0
            ? arms[0].Address
            : throw new TowerException(TowerFault.ArmJam, $"tower {TowerId}: the changer reports no medium transport element (arm)");
    }
}
