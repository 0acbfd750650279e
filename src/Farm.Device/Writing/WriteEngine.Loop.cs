using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

public sealed partial class WriteEngine
{
    private async Task<WriteSectionResult> RunSectionAsync(MmcDrive drive, ISectorSource source, int startLba, int blocks, CancellationToken cancellationToken)
    {
        var started = drive.Time.GetTimestamp();
        var status = ImapiErrors.Ok;
        if (Math.Max(_startingSectorsPerSecond, _endingSectorsPerSecond) > 0)
        {
            var request = WriteSpeedRequest.SectorsPerSecond(Math.Max(_startingSectorsPerSecond, _endingSectorsPerSecond));
            status = (await SpeedSelection.ApplyAsync(drive, Medium, request, (uint)Math.Max(0, startLba + blocks - 1), _logger, cancellationToken).ConfigureAwait(false)).Status;
        }

        var chunkBytes = EffectiveChunkBytes();
        WritingLog.SectionStarted(_logger, drive.Name, blocks, startLba, UseStreamingWrite12 ? "WRITE(12) streaming" : "WRITE(10)", chunkBytes);
        var buffer = new DriveBufferWatch(this, drive, await DriveBufferBytesAsync(drive, cancellationToken).ConfigureAwait(false));
        long lba = startLba;
        long remaining = blocks;
        var timings = new WriteTimings(TimeProvider.System);
        try
        {
            while (remaining > 0)
            {
                timings.SourceAsked();
                var chunk = await source.NextAsync(cancellationToken).ConfigureAwait(false);
                timings.SourceAnswered();
                if (chunk.IsEmpty)
                {
                    throw Invalid($"{drive.Name}: the stream ended after {blocks - remaining} of the {blocks} blocks to write");
                }

                if (chunk.Length % MmcDrive.BlockSize != 0)
                {
                    throw new DeviceException(DeviceErrors.Of(
                        ImapiErrors.Df2DataStreamNotSupported, Disposition.None, $"{drive.Name}: the stream's size is not a multiple of {MmcDrive.BlockSize} (it ended with a {chunk.Length % MmcDrive.BlockSize}-byte partial sector)"));
                }

                chunk = chunk[..(int)Math.Min(chunk.Length, remaining * MmcDrive.BlockSize)];
                for (var offset = 0; offset < chunk.Length; offset += chunkBytes)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var piece = chunk.Slice(offset, Math.Min(chunkBytes, chunk.Length - offset));
                    timings.WriteStarting();
                    await drive.WriteAsync(checked((int)lba), piece, UseStreamingWrite12, cancellationToken).ConfigureAwait(false);
                    timings.WriteDone();
                    lba += piece.Length / MmcDrive.BlockSize;
                    remaining -= piece.Length / MmcDrive.BlockSize;
                    await buffer.SentAsync(piece.Length, cancellationToken).ConfigureAwait(false);
                    Report(drive, source, startLba, blocks, lba - 1, started, buffer.Last);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FlushAfterCancelAsync(drive, lba - startLba).ConfigureAwait(false);
            if (_cancelSource?.IsCancellationRequested == true)
            {
                throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.RequestCancelled, Disposition.None, $"{drive.Name}: the write was cancelled after {lba - startLba} of {blocks} blocks"));
            }

            throw;
        }
        catch (DeviceException failed)
        {
            timings.Failed();
            WritingLog.SectionFailedTimings(_logger, drive.Name, lba, failed.Error.Error.Name, timings);
            throw;
        }

        WritingLog.SectionTimings(_logger, drive.Name, timings);
        var sha256 = await source.GetSha256Async(cancellationToken).ConfigureAwait(false);
        var elapsed = drive.Time.GetElapsedTime(started);
        WritingLog.SectionFinished(_logger, drive.Name, blocks, elapsed);
        return new WriteSectionResult(status, startLba, blocks, sha256, elapsed);
    }

    private void Report(MmcDrive drive, ISectorSource source, long startLba, long blocks, long lastWritten, long started, BufferCapacity? driveBuffer)
    {
        if (Update is not { } handler)
        {
            return;
        }

        var elapsed = drive.Time.GetElapsedTime(started);
        var used = source.BufferedBytes;
        var lastRead = Math.Min(startLba + blocks - 1, lastWritten + (used / MmcDrive.BlockSize));
        handler(this, new WriteProgress(WriteAction.WritingData, startLba, blocks, lastRead, lastWritten, source.CapacityBytes, used, elapsed)
        {
            Remaining = EstimateRemaining(blocks, lastWritten - startLba + 1, elapsed),
            DriveBuffer = driveBuffer,
        });
    }

    /// <summary>
    /// Time left: from the speeds set (a linear ramp from starting to ending sectors per second,
    /// as a CAV drive accelerates), else from the average rate so far; null before any data.
    /// </summary>
    private TimeSpan? EstimateRemaining(long blocks, long written, TimeSpan elapsed)
    {
        var left = blocks - written;
        if (left <= 0)
        {
            return TimeSpan.Zero;
        }

        if (_startingSectorsPerSecond > 0 || _endingSectorsPerSecond > 0)
        {
            double start = _startingSectorsPerSecond > 0 ? _startingSectorsPerSecond : _endingSectorsPerSecond;
            double end = _endingSectorsPerSecond > 0 ? _endingSectorsPerSecond : _startingSectorsPerSecond;
            var now = start + ((end - start) * written / blocks);
            return TimeSpan.FromSeconds(left / ((now + end) / 2));
        }

        return written <= 0 || elapsed <= TimeSpan.Zero ? null : TimeSpan.FromSeconds(left * elapsed.TotalSeconds / written);
    }

    /// <summary>The drive buffer size that decides when polling may start.</summary>
    private async Task<long> DriveBufferBytesAsync(MmcDrive drive, CancellationToken cancellationToken)
    {
        if (_options.DriveBufferBytes is { } known)
        {
            return known;
        }

        try
        {
            var capabilities = await drive.ReadCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            return capabilities.BufferSizeKiB > 0 ? capabilities.BufferSizeKiB * 1024L : _options.FallbackDriveBufferBytes;
        }
        catch (DeviceException)
        {
            return _options.FallbackDriveBufferBytes;
        }
    }

    /// <summary>After a cancel: SYNCHRONIZE CACHE so the buffered blocks reach the disc and the drive accepts the next command sequence.</summary>
    private async Task FlushAfterCancelAsync(MmcDrive drive, long written)
    {
        WritingLog.Cancelled(_logger, drive.Name, written);
        if (written <= 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.CancelFlushTimeout, drive.Time);
        try
        {
            await drive.SynchronizeCacheAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is DeviceException or OperationCanceledException)
        {
            WritingLog.CancelFlushFailed(_logger, drive.Name, failure.Message);
        }
    }

    /// <summary>Decides when READ BUFFER CAPACITY may be sent, sends it throttled, and remembers the last answer.</summary>
    private sealed class DriveBufferWatch(WriteEngine engine, MmcDrive drive, long driveBufferBytes)
    {
        private long _sent;
        private bool _usable = true;
        private long _lastPoll;

        public BufferCapacity? Last { get; private set; }

        public async Task SentAsync(int bytes, CancellationToken cancellationToken)
        {
            _sent += bytes;
            if (!_usable || _sent < driveBufferBytes)
            {
                return;
            }

            if (Last is not null && drive.Time.GetElapsedTime(_lastPoll) < engine._options.DriveBufferPollInterval)
            {
                return;
            }

            _lastPoll = drive.Time.GetTimestamp();
            try
            {
                Last = await drive.ReadBufferCapacityAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DeviceException refused)
            {
                // A drive that refuses the poll still writes; the progress just lacks its buffer.
                _usable = false;
                WritingLog.BufferPollDisabled(engine._logger, drive.Name, refused.Error);
            }
        }
    }
}
