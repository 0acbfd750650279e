using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Transports.Iscsi;

/// <summary>
/// SCSI commands to an iSCSI logical unit through the system's libiscsi (Debian package
/// libiscsi7): one session per transport, commands sent synchronously on a pool thread. The
/// raw sense bytes of a CHECK CONDITION are taken from the SCSI Response PDU and handed to our
/// own decoder; libiscsi's decoded sense is not used.
/// </summary>
public sealed unsafe class IscsiTransport : IScsiTransport
{
    /// <summary>
    /// Our cap per command: libiscsi splits a transfer into PDUs and R2T sequences itself, so the
    /// limit is only the memory pinned per command, and every write chunk the farm uses fits.
    /// </summary>
    public const int DefaultMaxTransferBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly IscsiUrl _url;
    private nint _context;

    private IscsiTransport(IscsiUrl url, nint context)
    {
        _url = url;
        _context = context;
    }

    public string Name => _url.ToString();

    public int MaxTransferBytes => DefaultMaxTransferBytes;

    /// <summary>
    /// Logs in to the target of <paramref name="address"/> (iscsi://host[:port]/iqn/lun). The
    /// initiator name defaults to a unique one per session: two sessions with the same initiator
    /// name and ISID would make the target drop the older one (session reinstatement).
    /// </summary>
    public static IscsiTransport Connect(string address, string? initiatorName = null, TimeSpan? loginTimeout = null)
    {
        var url = IscsiUrl.Parse(address);
        IscsiLibrary.EnsureAvailable();
        initiatorName ??= $"iqn.2025-01.org.burnfarm:initiator-{Guid.NewGuid():N}"[..52];
        var context = IscsiNative.CreateContext(initiatorName);
        if (context == 0)
        {
            throw new ScsiTransportException(TransportFailure.HostError, $"{url}: libiscsi could not create a context (out of memory?)");
        }

        try
        {
            Check(context, IscsiNative.SetTargetName(context, url.Target), url, "setting the target name");
            Check(context, IscsiNative.SetSessionType(context, IscsiNative.SessionNormal), url, "setting the session type");
            if (url.User is not null)
            {
                Check(context, IscsiNative.SetInitiatorUsernamePassword(context, url.User, url.Password ?? ""), url, "setting CHAP credentials");
            }

            // libiscsi reconnects a dropped session by itself, forever, inside the synchronous
            // call, and command timeouts do not run meanwhile: against a target that died (tgtd
            // crashing on a malformed request did exactly this) the caller would hang spinning.
            // A farm wants the failure instead: the drive goes to maintenance and is reopened.
            IscsiNative.SetNoAutoReconnect(context, 1);
            Check(context, IscsiNative.SetTimeout(context, Seconds(loginTimeout ?? TimeSpan.FromSeconds(15))), url, "setting the login timeout");
            // libiscsi's synchronous calls fail on a signal (LinuxNative.HoldSignals says why).
            int login;
            using (LinuxNative.HoldSignals())
            {
                login = IscsiNative.FullConnectSync(context, url.Portal, url.Lun);
            }

            if (login != 0)
            {
                throw new ScsiTransportException(
                    TransportFailure.DeviceGone,
                    $"{url}: cannot log in to the target at {url.Portal}: {IscsiNative.ErrorOf(context)} (is the target running, is this initiator allowed, does LUN {url.Lun} exist?)");
            }

            return new IscsiTransport(url, context);
        }
        catch
        {
            _ = IscsiNative.DestroyContext(context); // the login error is the one to report
            throw;
        }
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
            ObjectDisposedException.ThrowIf(_context == 0, this);
            using var cdbPin = cdb.Pin();
            using var dataPin = data.Pin();
            var length = direction == DataDirection.None ? 0 : data.Length;
            var task = IscsiNative.CreateTask(
                cdb.Length,
                (byte*)cdbPin.Pointer,
                direction switch { DataDirection.FromDevice => IscsiNative.XferRead, DataDirection.ToDevice => IscsiNative.XferWrite, _ => IscsiNative.XferNone },
                length);
            if (task == null)
            {
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command}: libiscsi could not allocate a task");
            }

            // Data-in lands directly in the caller's pinned buffer; data-out is read from it.
            if (direction == DataDirection.FromDevice && IscsiNative.AddDataInBuffer(task, length, (byte*)dataPin.Pointer) != 0)
            {
                IscsiNative.FreeTask(task);
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command}: libiscsi refused the data-in buffer");
            }

            var dataOut = new IscsiData { Size = (nuint)length, Data = (byte*)dataPin.Pointer };
            if (IscsiNative.SetTimeout(_context, Seconds(timeout)) != 0)
            {
                IscsiNative.FreeTask(task);
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command}: libiscsi refused a {timeout} timeout");
            }

            // libiscsi's wait for the answer, poll(2), ends the session on a signal: held off meanwhile.
            ScsiTaskHead* done;
            using (LinuxNative.HoldSignals())
            {
                done = IscsiNative.ScsiCommandSync(_context, _url.Lun, task, direction == DataDirection.ToDevice ? &dataOut : null);
            }

            if (done == null)
            {
                // The session failed under the command. libiscsi may still hold the task in its
                // queues, so it is not freed here (a small leak on a dead session beats a
                // use-after-free); the context is torn down on dispose.
                throw new ScsiTransportException(TransportFailure.DeviceGone, $"{Name}: {command}: the iSCSI session was lost: {IscsiNative.ErrorOf(_context)}");
            }

            try
            {
                return Interpret(done, command);
            }
            finally
            {
                IscsiNative.FreeTask(done);
            }
        }
    }

    private ScsiResult Interpret(ScsiTaskHead* task, string command)
    {
        switch (task->Status)
        {
            case IscsiNative.StatusTimeout:
                throw new ScsiTransportException(TransportFailure.Timeout, $"{Name}: {command} timed out");
            case IscsiNative.StatusCancelled:
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command} was cancelled by libiscsi: {IscsiNative.ErrorOf(_context)}");
            case IscsiNative.StatusError:
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command} failed in the iSCSI layer: {IscsiNative.ErrorOf(_context)}");
            case (int)ScsiStatus.CheckCondition:
                return ScsiResult.CheckCondition(RawSense(task->DataInData, task->DataInSize));
            case < 0 or > 0xFF:
                throw new ScsiTransportException(TransportFailure.HostError, $"{Name}: {command}: libiscsi returned status {task->Status:X}h");
            default:
                var residual = task->ResidualStatus == IscsiNative.ResidualUnderflow ? (int)Math.Min(task->Residual, int.MaxValue) : 0;
                return new ScsiResult((ScsiStatus)task->Status, ReadOnlyMemory<byte>.Empty, residual);
        }
    }

    /// <summary>
    /// The sense bytes of a SCSI Response data segment: a big-endian SenseLength, then that many
    /// bytes (RFC 7143 11.4.7.2). Bounded by the segment's size whatever the length field claims.
    /// </summary>
    internal static byte[] RawSense(byte* segment, int segmentSize) =>
        segment == null || segmentSize < 0 ? [] : RawSense(new ReadOnlySpan<byte>(segment, segmentSize));

    internal static byte[] RawSense(ReadOnlySpan<byte> segment)
    {
        if (segment.Length < 2)
        {
            return [];
        }

        var declared = BinaryPrimitives.ReadUInt16BigEndian(segment);
        return segment.Slice(2, Math.Min(declared, segment.Length - 2)).ToArray();
    }

    private static int Seconds(TimeSpan timeout) => (int)Math.Clamp(Math.Ceiling(timeout.TotalSeconds), 1, int.MaxValue);

    private static void Check(nint context, int result, IscsiUrl url, string what)
    {
        if (result != 0)
        {
            throw new ScsiTransportException(TransportFailure.HostError, $"{url}: libiscsi failed {what}: {IscsiNative.ErrorOf(context)}");
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_context != 0)
            {
                // Best effort: a dead session cannot log out, and destroying the context is what frees it.
                using (LinuxNative.HoldSignals())
                {
                    _ = IscsiNative.LogoutSync(_context);
                }

                _ = IscsiNative.DestroyContext(_context);
                _context = 0;
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Checks once per call that libiscsi can be loaded, and says which package provides it.</summary>
internal static class IscsiLibrary
{
    public static void EnsureAvailable()
    {
        if (!NativeLibrary.TryLoad(IscsiNative.Library, typeof(IscsiLibrary).Assembly, null, out var handle))
        {
            throw new ScsiTransportException(TransportFailure.HostError, MissingLibraryMessage(IscsiNative.Library));
        }

        // The runtime keeps its own reference for the P/Invokes; this probe's reference is released.
        NativeLibrary.Free(handle);
    }

    public static string MissingLibraryMessage(string library) =>
        $"iSCSI needs the shared library {library}, which is not installed or not on the loader path: "
        + "install the Debian/Ubuntu package libiscsi7 (sudo apt-get install libiscsi7); other distributions call it libiscsi";
}
