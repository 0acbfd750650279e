namespace Farm.Device.Transports;

/// <summary>Why a command never produced a SCSI status.</summary>
public enum TransportFailure
{
    /// <summary>The command did not complete in its timeout (the drive may hang).</summary>
    Timeout = 0,

    /// <summary>The device went away: unplugged, powered off, handle invalid.</summary>
    DeviceGone = 1,

    /// <summary>The operating system refused access (permissions, exclusive lock held elsewhere).</summary>
    AccessDenied = 2,

    /// <summary>The host adapter or driver reported an error of its own.</summary>
    HostError = 3,
}

/// <summary>A failure below SCSI: the command has no status and no sense.</summary>
public sealed class ScsiTransportException : Exception
{
    public ScsiTransportException(TransportFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    public ScsiTransportException() : this(TransportFailure.HostError, "transport failure") { }

    public ScsiTransportException(string message) : this(TransportFailure.HostError, message) { }

    public ScsiTransportException(string message, Exception inner) : this(TransportFailure.HostError, message, inner) { }

    public TransportFailure Failure { get; }
}
