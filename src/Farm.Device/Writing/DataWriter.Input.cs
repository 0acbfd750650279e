using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

public sealed partial class DataWriter
{
    /// <summary>
    /// What a write reads from: an image file, a caller's stream or a caller's source. It opens a
    /// read-ahead source per range to write, and can hash the whole input when only ranges were
    /// written (the result always carries the image's hash).
    /// </summary>
    private abstract class Input : IAsyncDisposable
    {
        public abstract long Blocks { get; }

        public virtual IReadOnlyList<BlockRange>? Ranges => null;

        public abstract ISectorSource Open(long startBlock, long blocks, int chunkBytes, int fifoBytes);

        public virtual Task<string> HashAllAsync(CancellationToken cancellationToken) =>
            throw new InvalidOperationException("this input is written whole");

        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public static ImageInput FromImage(ImageSource image) => new ImageInput(image);

        public static StreamInput FromStream(Stream stream)
        {
            long length;
            try
            {
                length = stream.Length - stream.Position;
            }
            catch (NotSupportedException)
            {
                throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.Df2DataStreamNotSupported, Disposition.None, "the stream's size cannot be known (it does not seek); its size must be a multiple of 2048"));
            }

            return length <= 0 || length % MmcDrive.BlockSize != 0
                ? throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.Df2DataStreamNotSupported, Disposition.None, $"the stream holds {length:N0} bytes, which is not a positive multiple of {MmcDrive.BlockSize}"))
                : new StreamInput(stream, length / MmcDrive.BlockSize);
        }

        public static SourceInput FromSource(ISectorSource source, long blocks) =>
            blocks > 0 ? new SourceInput(source, blocks) : throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.InvalidArgument, Disposition.None, $"the number of blocks to write must be positive, not {blocks}"));

        protected static async Task<string> HashAsync(Stream stream, CancellationToken cancellationToken)
        {
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private sealed class ImageInput(ImageSource image) : Input
    {
        public override long Blocks => image.Blocks;

        public override IReadOnlyList<BlockRange>? Ranges => image.ChangedRanges;

        public override ISectorSource Open(long startBlock, long blocks, int chunkBytes, int fifoBytes) =>
            StreamSectorSource.OpenImage(image, startBlock * MmcDrive.BlockSize, blocks * MmcDrive.BlockSize, chunkBytes, fifoBytes);

        public override async Task<string> HashAllAsync(CancellationToken cancellationToken)
        {
            var stream = image.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                return await HashAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class StreamInput(Stream stream, long blocks) : Input
    {
        private readonly long _origin = stream.Position;

        public override long Blocks => blocks;

        public override ISectorSource Open(long startBlock, long count, int chunkBytes, int fifoBytes)
        {
            if (startBlock != 0)
            {
                stream.Position = _origin + (startBlock * MmcDrive.BlockSize);
            }

            return new StreamSectorSource(stream, count * MmcDrive.BlockSize, chunkBytes, fifoBytes, ownsStream: false);
        }
    }

    private sealed class SourceInput(ISectorSource source, long blocks) : Input
    {
        public override long Blocks => blocks;

        public override ISectorSource Open(long startBlock, long count, int chunkBytes, int fifoBytes) => new Borrowed(source);

        /// <summary>The caller's source, not disposed by the writer.</summary>
        private sealed class Borrowed(ISectorSource inner) : ISectorSource
        {
            public long CapacityBytes => inner.CapacityBytes;

            public long BufferedBytes => inner.BufferedBytes;

            public ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancellationToken) => inner.NextAsync(cancellationToken);

            public ValueTask<string> GetSha256Async(CancellationToken cancellationToken) => inner.GetSha256Async(cancellationToken);

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
