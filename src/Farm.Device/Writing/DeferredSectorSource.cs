namespace Farm.Device.Writing;

/// <summary>
/// A source opened at its first read, not when it is made. A drive that joins a shared image's
/// ring when it is given the job would hold the ring's start through the load and the power
/// calibration, and the drives already writing would detach it; opened at the first WRITE, it
/// joins the ring where the drives that started with it are.
/// </summary>
public sealed class DeferredSectorSource(Func<ISectorSource> open, long capacityBytes) : ISectorSource
{
    private readonly Lock gate = new();
    private ISectorSource? inner;
    private bool disposed;

    public long CapacityBytes => Volatile.Read(ref inner)?.CapacityBytes ?? capacityBytes;

    public long BufferedBytes => Volatile.Read(ref inner)?.BufferedBytes ?? 0;

    public ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken) => Opened().NextAsync(cancellationToken);

    public ValueTask<string> GetSha256Async(CancellationToken cancellationToken) => Opened().GetSha256Async(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        ISectorSource? opened;
        lock (gate)
        {
            disposed = true;
            opened = inner;
        }

        if (opened is not null)
        {
            await opened.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ISectorSource Opened()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (inner is null)
            {
                Volatile.Write(ref inner, open());
            }

            return inner;
        }
    }
}
