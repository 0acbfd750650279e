using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// SCSI pass-through on Linux: <c>ioctl(fd, SG_IO, &amp;sg_io_hdr)</c> on /dev/srN or /dev/sgN.
/// The device is opened read-write (SG_IO on sr needs write access for writing commands) with
/// O_EXCL, so no mount or other burner shares the drive, and O_NONBLOCK, so the open succeeds
/// with an empty tray. Each command blocks in the kernel until the drive answers or the
/// timeout passes; it runs on a pool thread so the caller's thread is not held.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class SgIoTransport : IScsiTransport
{
    /// <summary>The largest sense the sg driver returns (SCSI_SENSE_BUFFERSIZE is 96; SPC allows 252).</summary>
    private const int SenseBytes = 252;

    private readonly SafeFileHandle _handle;

    private SgIoTransport(string name, SafeFileHandle handle, int maxTransferBytes)
    {
        Name = name;
        _handle = handle;
        MaxTransferBytes = maxTransferBytes;
    }

    public string Name { get; }

    public int MaxTransferBytes { get; }

    /// <summary>Opens <paramref name="device"/> (/dev/srN, /dev/sgN or a link to one).</summary>
    public static SgIoTransport Open(string device, string sysRoot = "/sys")
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        var fd = LinuxNative.Open(device, LinuxNative.ReadWrite | LinuxNative.Exclusive | LinuxNative.NonBlocking | LinuxNative.CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var group = errno is LinuxNative.EAccess or LinuxNative.EPerm ? LinuxOpenErrors.GroupOf(device) : null;
            throw LinuxOpenErrors.ForOpen(errno, device, group);
        }

        // The transfer limit belongs to the node the link points at (/dev/cdrom -> sr0).
        var node = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device;
        return new SgIoTransport(device, new SafeFileHandle(fd, ownsHandle: true), LinuxDriveDiscovery.MaxTransferBytes(node, sysRoot));
    }

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PassThroughChecks.Validate(cdb, direction, data, MaxTransferBytes, Name);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return new ValueTask<ScsiResult>(Task.Run(() => Execute(cdb, direction, data, timeout), CancellationToken.None));
    }

    private ScsiResult Execute(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout)
    {
        var command = PassThroughChecks.CommandName(cdb.Span);
        var sense = stackalloc byte[SenseBytes];

        // Pinning is enough: without SG_FLAG_DIRECT_IO the sg driver copies through its own
        // kernel buffer, so the user buffer needs no particular alignment.
        using var cdbPin = cdb.Pin();
        using var dataPin = data.Pin();
        var header = new SgIoHeader
        {
            InterfaceId = SgIo.InterfaceId,
            DxferDirection = SgIo.DirectionOf(direction),
            CmdLen = (byte)cdb.Length,
            MxSbLen = SenseBytes,
            DxferLen = direction == DataDirection.None ? 0u : (uint)data.Length,
            Dxferp = direction == DataDirection.None ? 0 : (nint)dataPin.Pointer,
            Cmdp = (nint)cdbPin.Pointer,
            Sbp = (nint)sense,
            Timeout = PassThroughChecks.TimeoutMilliseconds(timeout),
        };

        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var fd = (int)_handle.DangerousGetHandle();
            int result;
            int errno;
            do
            {
                result = LinuxNative.IoctlSgIo(fd, SgIo.Request, &header);
                errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (result < 0 && errno == LinuxNative.EIntr);

            if (result < 0)
            {
                throw LinuxOpenErrors.ForIoctl(errno, Name, command);
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }

        var senseLength = Math.Min((int)header.SbLenWr, SenseBytes);
        return SgIoOutcome.Interpret(Name, command, header.Status, header.HostStatus, header.DriverStatus, header.Resid, new ReadOnlySpan<byte>(sense, senseLength));
    }

    public ValueTask DisposeAsync()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }
}
