using Farm.Device.Errors;
using Farm.Device.Sbc;
using Farm.Device.Transports;
using Farm.Messages;

namespace Farm.Device.Mmc;

public sealed partial class MmcDrive
{
    /// <summary>Bytes in one logical block of every data medium the farm writes.</summary>
    public const int BlockSize = 2048;

    /// <summary>
    /// Writes whole blocks at <paramref name="lba"/>. A drive whose buffer is full answers
    /// 2/04/08 LONG WRITE IN PROGRESS: that is throttling, not an error (growisofs, libburn), so the
    /// same WRITE is sent again after a short wait.
    /// </summary>
    public Task WriteAsync(int lba, ReadOnlyMemory<byte> blocks, bool streamingWrite12, CancellationToken cancellationToken) =>
        WriteBlocksAsync(lba, blocks, BlockSize, streamingWrite12, cancellationToken);

    /// <summary>
    /// WRITE of whole <paramref name="blockSize"/>-byte blocks (2048 user data, or 2352 CD-DA when
    /// page 05h says data block type 0), retried while the drive answers LONG WRITE IN PROGRESS.
    /// </summary>
    private async Task WriteBlocksAsync(int lba, ReadOnlyMemory<byte> blocks, int blockSize, bool streamingWrite12, CancellationToken cancellationToken)
    {
        if (blocks.Length == 0 || blocks.Length % blockSize != 0)
        {
            throw new ArgumentException($"a WRITE carries whole {blockSize}-byte blocks, not {blocks.Length} bytes", nameof(blocks));
        }

        var count = blocks.Length / blockSize;
        var cdb = streamingWrite12 ? SbcCommands.Write12(lba, (uint)count, streaming: true) : SbcCommands.Write10(lba, checked((ushort)count));

        // The transport only reads from a ToDevice buffer; the cast avoids copying the payload.
        var payload = System.Runtime.InteropServices.MemoryMarshal.AsMemory(blocks);
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                await ExecuteAsync(cdb, DataDirection.ToDevice, payload, _options.DataTimeout, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DeviceException busy) when (busy.Error.Disposition == Disposition.WaitAndRetry && _time.GetElapsedTime(started) < _options.LongOperationLimit)
            {
                await Task.Delay(_options.ReadyPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads whole blocks at <paramref name="lba"/> into <paramref name="destination"/>.</summary>
    public async Task ReadAsync(int lba, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.Length == 0 || destination.Length % BlockSize != 0)
        {
            throw new ArgumentException($"a READ returns whole {BlockSize}-byte blocks, not {destination.Length} bytes", nameof(destination));
        }

        var count = destination.Length / BlockSize;
        var cdb = count <= ushort.MaxValue ? SbcCommands.Read10(lba, (ushort)count) : SbcCommands.Read12(lba, (uint)count);
        var result = await ExecuteAsync(cdb, DataDirection.FromDevice, destination, _options.DataTimeout, cancellationToken).ConfigureAwait(false);
        CheckFilled(cdb, result, destination.Length);
    }

    /// <summary>A READ whose data phase came back short: the drive lied about what it holds.</summary>
    private static void CheckFilled(Cdb cdb, ScsiResult result, int length)
    {
        if (result.Residual != 0)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.RecorderInvalidResponseFromDevice,
                Disposition.FailDisc,
                $"{cdb.Name}: the drive returned {length - result.Residual} of {length} bytes"));
        }
    }

    /// <summary>SYNCHRONIZE CACHE with Immed, then TEST UNIT READY until the buffer is on the disc.</summary>
    public async Task SynchronizeCacheAsync(CancellationToken cancellationToken)
    {
        await ExecuteAsync(SbcCommands.SynchronizeCache(immediate: true), DataDirection.None, Memory<byte>.Empty, _options.DataTimeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilReadyAsync(afterMediumChange: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>CLOSE TRACK/SESSION with Immed, then TEST UNIT READY until done: closing can take minutes.</summary>
    public async Task CloseAsync(CloseFunction function, ushort number, CancellationToken cancellationToken)
    {
        await ExecuteAsync(MmcCommands.CloseTrackSession(function, number, immediate: true), DataDirection.None, Memory<byte>.Empty, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        await WaitUntilReadyAsync(afterMediumChange: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls TEST UNIT READY while the drive says "wait" (becoming ready, long write, format in
    /// progress). Right after a disc was loaded (<paramref name="afterMediumChange"/>) unit
    /// attentions are expected (6/28/00 medium changed, 6/29/00 reset) and consumed; at any other
    /// time they mean the disc's state is unknown and are thrown. Any other error, or still not
    /// ready after <see cref="MmcDriveOptions.LongOperationLimit"/>, is thrown.
    /// </summary>
    public async Task WaitUntilReadyAsync(bool afterMediumChange, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                await TestUnitReadyAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (DeviceException waiting) when (IsTransient(waiting.Error, afterMediumChange))
            {
                if (_time.GetElapsedTime(started) >= _options.LongOperationLimit)
                {
                    throw new DeviceException(DeviceErrors.Of(
                        ImapiErrors.RecorderCommandTimeout,
                        Disposition.DriveToMaintenance,
                        $"{Name}: still not ready after {_options.LongOperationLimit}: {waiting.Error.Message}"));
                }

                await Task.Delay(_options.ReadyPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(DeviceError error, bool afterMediumChange) =>
        error.Disposition is Disposition.WaitAndRetry or Disposition.RetryCommand
        || (afterMediumChange && error.Sense is { Key: Sense.SenseKey.UnitAttention });
}
