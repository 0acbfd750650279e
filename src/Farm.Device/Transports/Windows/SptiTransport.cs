using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Transports.Windows;

/// <summary>
/// SCSI pass-through on Windows (SPTI): CreateFile on \\.\CdRomN, then one
/// IOCTL_SCSI_PASS_THROUGH_DIRECT per command with the sense buffer behind the structure. The
/// data moves through a buffer of this transport aligned as the adapter demands
/// (IOCTL_STORAGE_QUERY_PROPERTY, AlignmentMask), since DIRECT hands the pages to the adapter's
/// DMA. With <c>exclusiveCallerName</c> the drive is locked with IOCTL_CDROM_EXCLUSIVE_ACCESS so
/// Explorer, IMAPI and other burners cannot send it commands; the lock goes with the handle.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed unsafe class SptiTransport : IScsiTransport
{
    private readonly SafeFileHandle _handle;
    private readonly Lock _gate = new();
    private byte* _bounce;

    private SptiTransport(string name, SafeFileHandle handle, int maxTransferBytes, int alignment)
    {
        Name = name;
        _handle = handle;
        MaxTransferBytes = maxTransferBytes;
        _bounce = (byte*)NativeMemory.AlignedAlloc((nuint)maxTransferBytes, (nuint)alignment);
    }

    public string Name { get; }

    public int MaxTransferBytes { get; }

    /// <summary>Opens \\.\CdRomN read-write, shared (the class driver requires sharing), and optionally locks it.</summary>
    public static SptiTransport Open(string device, string? exclusiveCallerName = "BurnFarm")
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        if (exclusiveCallerName is not null && !SptiErrors.IsValidCallerName(exclusiveCallerName, out var problem))
        {
            throw new ArgumentException(problem, nameof(exclusiveCallerName));
        }

        var handle = WindowsNative.CreateFile(device, WindowsNative.GenericRead | WindowsNative.GenericWrite, WindowsNative.FileShareRead | WindowsNative.FileShareWrite, 0, WindowsNative.OpenExisting, 0, 0);
        if (handle.IsInvalid)
        {
            var error = Marshal.GetLastPInvokeError();
            handle.Dispose();
            throw SptiErrors.ForOpen(error, device);
        }

        try
        {
            var (maxTransfer, alignment) = QueryAdapter(handle);
            if (exclusiveCallerName is not null)
            {
                LockExclusive(handle, device, exclusiveCallerName);
            }

            return new SptiTransport(device, handle, maxTransfer, alignment);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>\\.\CdRom0, \\.\CdRom1... that open now (gaps are skipped; the scan stops at <paramref name="limit"/>).</summary>
    public static IReadOnlyList<string> Enumerate(int limit = 32)
    {
        var found = new List<string>();
        for (var index = 0; index < limit; index++)
        {
            var device = $@"\\.\CdRom{index}";
            using var probe = WindowsNative.CreateFile(device, 0, WindowsNative.FileShareRead | WindowsNative.FileShareWrite, 0, WindowsNative.OpenExisting, 0, 0);
            if (!probe.IsInvalid)
            {
                found.Add(device);
            }
        }

        return found;
    }

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PassThroughChecks.Validate(cdb, direction, data, MaxTransferBytes, Name);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<ScsiResult>(Task.Run(() => Execute(cdb, direction, data, timeout), CancellationToken.None));
    }

    private ScsiResult Execute(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout)
    {
        var command = PassThroughChecks.CommandName(cdb.Span);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_bounce == null, this);
            var length = direction == DataDirection.None ? 0 : data.Length;
            if (direction == DataDirection.ToDevice)
            {
                data.Span.CopyTo(new Span<byte>(_bounce, length));
            }

            var sptd = new ScsiPassThroughDirect();
            sptd.Length = (ushort)sizeof(ScsiPassThroughDirect);
            sptd.CdbLength = (byte)cdb.Length;
            sptd.SenseInfoLength = ScsiPassThroughDirectWithSense.SenseLength;
            sptd.DataIn = direction switch { DataDirection.ToDevice => 0, DataDirection.FromDevice => 1, _ => 2 };
            sptd.DataTransferLength = (uint)length;
            sptd.TimeOutValue = (uint)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, 108000);
            sptd.DataBuffer = length == 0 ? 0 : (nint)_bounce;
            sptd.SenseInfoOffset = (uint)Marshal.OffsetOf<ScsiPassThroughDirectWithSense>(nameof(ScsiPassThroughDirectWithSense.Sense));
            cdb.Span.CopyTo(new Span<byte>(sptd.Cdb, 16));
            var request = new ScsiPassThroughDirectWithSense { PassThrough = sptd };

            var size = (uint)sizeof(ScsiPassThroughDirectWithSense);
            if (!WindowsNative.DeviceIoControl(_handle, WindowsIoctl.ScsiPassThroughDirect, &request, size, &request, size, out _, 0))
            {
                throw SptiErrors.ForIoctl(Marshal.GetLastPInvokeError(), Name, command);
            }

            // On return DataTransferLength holds the bytes actually moved.
            var moved = (int)Math.Min(request.PassThrough.DataTransferLength, (uint)length);
            if (direction == DataDirection.FromDevice)
            {
                new ReadOnlySpan<byte>(_bounce, moved).CopyTo(data.Span);
            }

            if ((ScsiStatus)request.PassThrough.ScsiStatus == ScsiStatus.CheckCondition)
            {
                var senseLength = Math.Min((int)request.PassThrough.SenseInfoLength, ScsiPassThroughDirectWithSense.SenseLength);
                return ScsiResult.CheckCondition(new ReadOnlySpan<byte>(request.Sense, senseLength).ToArray());
            }

            return new ScsiResult((ScsiStatus)request.PassThrough.ScsiStatus, ReadOnlyMemory<byte>.Empty, length - moved);
        }
    }

    private static (int MaxTransfer, int Alignment) QueryAdapter(SafeFileHandle handle)
    {
        var query = new StoragePropertyQuery { PropertyId = StoragePropertyQuery.StorageAdapterProperty, QueryType = StoragePropertyQuery.PropertyStandardQuery };
        var descriptor = new StorageAdapterDescriptor();
        if (!WindowsNative.DeviceIoControl(handle, WindowsIoctl.StorageQueryProperty, &query, (uint)sizeof(StoragePropertyQuery), &descriptor, (uint)sizeof(StorageAdapterDescriptor), out var returned, 0)
            || returned < (uint)Marshal.OffsetOf<StorageAdapterDescriptor>(nameof(StorageAdapterDescriptor.AdapterUsesPio)))
        {
            return (SptiAdapterLimits.FallbackMaxTransferBytes, 8);
        }

        return SptiAdapterLimits.From(descriptor.MaximumTransferLength, descriptor.AlignmentMask);
    }

    private static void LockExclusive(SafeFileHandle handle, string device, string callerName)
    {
        var request = new CdromExclusiveLock { RequestType = CdromExclusiveLock.LockDevice };
        var name = Encoding.ASCII.GetBytes(callerName);
        name.CopyTo(new Span<byte>(request.CallerName, CdromExclusiveLock.CallerLength));
        if (!WindowsNative.DeviceIoControl(handle, WindowsIoctl.CdromExclusiveAccess, &request, (uint)sizeof(CdromExclusiveLock), null, 0, out _, 0))
        {
            var error = Marshal.GetLastPInvokeError();
            throw error == Win32Errors.ErrorAccessDenied
                ? new ScsiTransportException(TransportFailure.AccessDenied, $"{device}: another program holds the drive's exclusive lock (IOCTL_CDROM_EXCLUSIVE_ACCESS); close it or wait for it to finish")
                : SptiErrors.ForIoctl(error, device, "IOCTL_CDROM_EXCLUSIVE_ACCESS");
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            // Closing the handle releases the exclusive lock (ntddcdrm.h): no unlock call is needed.
            _handle.Dispose();
            if (_bounce != null)
            {
                NativeMemory.AlignedFree(_bounce);
                _bounce = null;
            }
        }

        return ValueTask.CompletedTask;
    }
}
