namespace Farm.Device.Writing;

/// <summary>
/// A source opened at its first read, not when it is made. A drive that joins a shared image's
/// ring when it is given the job would hold the ring's start through the load and the power
/// calibration, and the drives already writing would detach it; opened at the first WRITE, it
/// joins the ring where the drives that started with it are.
/// </summary>
public sealed class DeferredSectorSource(Func<ISectorSource> open, long capacityBytes) : ISectorSource
{
    private readonly Lock _gate = new();
    private ISectorSource? _inner;
    private bool _disposed;

    public long CapacityBytes => Volatile.Read(ref _inner)?.CapacityBytes ?? capacityBytes;

    public long BufferedBytes => Volatile.Read(ref _inner)?.BufferedBytes ?? 0;

    public ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken) => Opened().NextAsync(cancellationToken);

    public ValueTask<string> GetSha256Async(CancellationToken cancellationToken) => Opened().GetSha256Async(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        ISectorSource? opened;
        lock (_gate)
        {
            _disposed = true;
            opened = _inner;
        }

        if (opened is not null)
        {
            await opened.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ISectorSource Opened()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_inner is null)
            {
                Volatile.Write(ref _inner, open());
            }

            return _inner;
        }
    }
}
