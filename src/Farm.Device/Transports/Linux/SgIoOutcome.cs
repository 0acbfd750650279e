namespace Farm.Device.Transports.Linux;

/// <summary>
/// Turns the output fields of a completed SG_IO into a <see cref="ScsiResult"/> or a transport
/// failure. host_status carries the adapter's DID_* code and driver_status the DRIVER_* code
/// (Linux include/scsi/scsi.h, sg.h); a command with a non-zero host status never reached a
/// SCSI status worth reading.
/// </summary>
internal static class SgIoOutcome
{
    public const ushort DidOk = 0x00;
    public const ushort DidNoConnect = 0x01;
    public const ushort DidBusBusy = 0x02;
    public const ushort DidTimeOut = 0x03;
    public const ushort DidBadTarget = 0x04;
    public const ushort DidAbort = 0x05;
    public const ushort DidError = 0x07;
    public const ushort DidReset = 0x08;

    /// <summary>The low nibble of driver_status is the driver byte; the high nibble holds "suggestions".</summary>
    public const ushort DriverByteMask = 0x0F;
    public const ushort DriverTimeout = 0x06;

    /// <summary>driver_status bit: the sense buffer holds valid sense data.</summary>
    public const ushort DriverSense = 0x08;

    public static ScsiResult Interpret(
        string device,
        string command,
        byte status,
        ushort hostStatus,
        ushort driverStatus,
        int residual,
        ReadOnlySpan<byte> senseWritten)
    {
        if (hostStatus == DidTimeOut || (driverStatus & DriverByteMask) == DriverTimeout)
        {
            throw new ScsiTransportException(TransportFailure.Timeout, $"{device}: {command} timed out (host status {hostStatus:X2}h, driver status {driverStatus:X2}h)");
        }

        if (hostStatus is DidNoConnect or DidBadTarget)
        {
            throw new ScsiTransportException(TransportFailure.DeviceGone, $"{device}: {command}: the device is no longer connected (host status {DescribeHost(hostStatus)})");
        }

        if (hostStatus != DidOk)
        {
            throw new ScsiTransportException(TransportFailure.HostError, $"{device}: {command}: the host adapter reported {DescribeHost(hostStatus)}");
        }

        // Some adapters report DRIVER_SENSE with a zero status byte: the sense is still the answer.
        var driverSaysSense = (driverStatus & DriverSense) != 0 && senseWritten.Length > 0;
        if ((ScsiStatus)status == ScsiStatus.CheckCondition || driverSaysSense)
        {
            return ScsiResult.CheckCondition(senseWritten.ToArray());
        }

        var driverByte = driverStatus & DriverByteMask;
        if (driverByte != 0 && status == 0)
        {
            throw new ScsiTransportException(TransportFailure.HostError, $"{device}: {command}: the sg driver reported driver status {driverStatus:X2}h");
        }

        return new ScsiResult((ScsiStatus)status, ReadOnlyMemory<byte>.Empty, Math.Max(0, residual));
    }

    private static string DescribeHost(ushort hostStatus) => hostStatus switch
    {
        DidNoConnect => "DID_NO_CONNECT (01h)",
        DidBusBusy => "DID_BUS_BUSY (02h)",
        DidTimeOut => "DID_TIME_OUT (03h)",
        DidBadTarget => "DID_BAD_TARGET (04h)",
        DidAbort => "DID_ABORT (05h)",
        DidError => "DID_ERROR (07h)",
        DidReset => "DID_RESET (08h)",
        _ => $"host status {hostStatus:X2}h",
    };
}
