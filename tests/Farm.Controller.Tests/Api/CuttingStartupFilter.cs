using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// In front of the real API: records the Range header of every <c>GET /api/images/...</c> and the
/// bytes sent, and cuts the connection of the first such answer after <paramref name="cutAfter"/>
/// bytes (as a network drop would), so a test sees a download resume.
/// </summary>
internal sealed class CuttingStartupFilter(long cutAfter) : IStartupFilter
{
    private int _requests;
    private long _sent;

    /// <summary>The Range header of each image request, in order ("" when none).</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    /// <summary>Bytes of images the server sent.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api/images", StringComparison.Ordinal))
            {
                await nextMiddleware(context);
                return;
            }

            Ranges.Enqueue(context.Request.Headers.Range.ToString());
            var limit = Interlocked.Increment(ref _requests) == 1 ? cutAfter : long.MaxValue;
            var original = context.Response.Body;
            context.Response.Body = new CuttingStream(original, limit, context, this);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                context.Response.Body = original;
            }
        });
        next(app);
    };

    private sealed class CuttingStream(Stream inner, long limit, HttpContext context, CuttingStartupFilter owner) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var room = (int)Math.Min(buffer.Length, limit - _written);
            await inner.WriteAsync(buffer[..room], cancellationToken);
            _written += room;
            Interlocked.Add(ref owner._sent, room);
            if (room < buffer.Length)
            {
                await inner.FlushAsync(cancellationToken);
                context.Abort();
                throw new IOException($"the test cut the download after {_written} bytes");
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
