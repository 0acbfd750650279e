using Farm.Device.Transports;

namespace Farm.Device.Simulation;

/// <summary>
/// An open handle on a simulated drive, as a file descriptor is on a real one: closing it (after a
/// crash, before re-opening) leaves the drive and its disc where they are. Commands on a closed
/// handle fail like commands on a closed descriptor.
/// </summary>
public sealed class SimulatedDriveHandle(SimulatedDrive drive) : IScsiTransport
{
    private int _closed;

    public string Name => drive.Name;

    public int MaxTransferBytes => drive.MaxTransferBytes;

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        return drive.ExecuteAsync(cdb, direction, data, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _closed, 1);
        return ValueTask.CompletedTask;
    }
}
