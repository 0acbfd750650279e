using System.Threading.Channels;
using Farm.Device.Writing;

namespace Farm.Benchmarks;

/// <summary>
/// For <c>farm-bench pipeline --no-hash</c> only: the image read ahead in 1 MiB chunks through a
/// bounded queue of the same size as the pipeline's FIFO, as <see cref="StreamSectorSource"/>
/// does, but with no SHA-256, so the difference between the two runs is what the hash costs.
/// A product burn always hashes (the verify compares against it); this source reports no hash.
/// </summary>
internal sealed class UnhashedImageSource : ISectorSource
{
    private const int ChunkBytes = 1024 * 1024;
    private readonly FileStream _file;
    private readonly Channel<byte[]> _free;
    private readonly Channel<(byte[] Buffer, int Length)> _filled;
    private readonly CancellationTokenSource _stop = new();
    private byte[]? _handedOut;
    private Task? _reader;

    public UnhashedImageSource(string path, int fifoBytes)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true);
        var slots = fifoBytes / ChunkBytes;
        _free = Channel.CreateUnbounded<byte[]>();
        _filled = Channel.CreateBounded<(byte[], int)>(slots);
        for (var i = 0; i < slots + 1; i++)
        {
            _free.Writer.TryWrite(new byte[ChunkBytes]);
        }

        CapacityBytes = (long)slots * ChunkBytes;
    }

    public long CapacityBytes { get; }

    public long BufferedBytes => (long)_filled.Reader.Count * ChunkBytes;

    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken)
    {
        if (_handedOut is { } previous)
        {
            _free.Writer.TryWrite(previous);
        }

        _reader ??= Task.Run(ReadAllAsync, CancellationToken.None);
        if (!await _filled.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) || !_filled.Reader.TryRead(out var chunk))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        _handedOut = chunk.Buffer;
        return chunk.Buffer.AsMemory(0, chunk.Length);
    }

    public ValueTask<string> GetSha256Async(CancellationToken cancellationToken) => ValueTask.FromResult("not hashed (--no-hash)");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_reader is not null)
        {
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReadAllAsync()
    {
        try
        {
            while (true)
            {
                var buffer = await _free.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var filled = await _file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, _stop.Token).ConfigureAwait(false);
                if (filled == 0)
                {
                    break;
                }

                await _filled.Writer.WriteAsync((buffer, filled), _stop.Token).ConfigureAwait(false);
            }

            _filled.Writer.TryComplete();
        }
        catch (Exception failure)
        {
            _filled.Writer.TryComplete(failure);
        }
    }
}
