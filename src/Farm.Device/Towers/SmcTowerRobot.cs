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
    private readonly SmcChanger _changer;
    private readonly SmcTowerLayout _layout;
    private readonly SemaphoreSlim _arm = new(1, 1);

    public SmcTowerRobot(SmcChanger changer, SmcTowerLayout layout)
    {
        _changer = changer ?? throw new ArgumentNullException(nameof(changer));
        _layout = (layout ?? throw new ArgumentNullException(nameof(layout))).Validate();
        DriveIds = [.. layout.Drives.Keys.Order(StringComparer.Ordinal)];
    }

    public string TowerId => _layout.TowerId;

    public IReadOnlyList<string> DriveIds { get; }

    public async Task<TowerBins> GetBinsAsync(CancellationToken cancellationToken)
    {
        await _arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slots = await _changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            int FullIn(SlotRange range) => slots.Count(slot => slot.Full && range.Contains(slot.Address));
            return new TowerBins(FullIn(_layout.Input), _layout.InputMediaType, FullIn(_layout.Output), FullIn(_layout.Reject));
        }
        finally
        {
            _arm.Release();
        }
    }

    public async Task<string> LoadBlankAsync(string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var drive = DriveAddress(driveId);
        if (!string.Equals(mediaType, _layout.InputMediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin holds {_layout.InputMediaType} blanks, not {mediaType}");
        }

        await _arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var slots = await _changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            var blank = slots.Where(slot => slot.Full && _layout.Input.Contains(slot.Address)).MinBy(slot => slot.Address)
                ?? throw new TowerException(TowerFault.InputEmpty, $"tower {TowerId}: the input bin ({_layout.Input}) is empty; load blanks");

            await _changer.MoveMediumAsync(await TransportElementAsync(cancellationToken).ConfigureAwait(false), blank.Address, drive, cancellationToken).ConfigureAwait(false);
            return blank.VolumeTag ?? $"{TowerId}:slot{blank.Address}";
        }
        finally
        {
            _arm.Release();
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
            Bins.Output => _layout.Output,
            Bins.Reject => _layout.Reject,
            _ => throw new ArgumentException($"a disc is unloaded into '{Bins.Output}' or '{Bins.Reject}', not '{bin}'", nameof(bin)),
        };

        await _arm.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var drives = await _changer.ReadElementStatusAsync(SmcElementType.DataTransfer, cancellationToken).ConfigureAwait(false);
            var status = drives.FirstOrDefault(element => element.Address == drive)
                ?? throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: the changer has no drive element {drive} (drive {driveId}); check the tower layout");
            if (!status.Full)
            {
                throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId}: drive {driveId} (element {drive}) holds no disc to unload");
            }

            var slots = await _changer.ReadElementStatusAsync(SmcElementType.Storage, cancellationToken).ConfigureAwait(false);
            var free = slots.Where(slot => !slot.Full && range.Contains(slot.Address)).MinBy(slot => slot.Address)
                ?? throw new TowerException(TowerFault.BinFull, $"tower {TowerId}: the {bin} bin ({range}) is full; empty it");

            await _changer.MoveMediumAsync(await TransportElementAsync(cancellationToken).ConfigureAwait(false), drive, free.Address, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _arm.Release();
        }
    }

    public void Dispose() => _arm.Dispose();

    private ushort DriveAddress(string driveId) =>
        _layout.Drives.TryGetValue(driveId ?? "", out var address)
            ? address
            : throw new TowerException(TowerFault.NoSuchDiscOrDrive, $"tower {TowerId} does not serve drive '{driveId}' (it serves {string.Join(", ", DriveIds)})");

    private async Task<ushort> TransportElementAsync(CancellationToken cancellationToken)
    {
        if (_layout.TransportElement is { } configured)
        {
            return configured;
        }

        var arms = await _changer.ReadElementStatusAsync(SmcElementType.MediumTransport, cancellationToken).ConfigureAwait(false);
        return arms.Count > 0
            ? arms[0].Address
            : throw new TowerException(TowerFault.ArmJam, $"tower {TowerId}: the changer reports no medium transport element (arm)");
    }
}
