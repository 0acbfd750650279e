using Farm.Device.Transports.Iscsi;
using Farm.Device.Transports.Linux;
using Farm.Device.Transports.Windows;

namespace Farm.Device.Transports.Opening;

/// <summary>
/// Opens the right real transport for a device name, as an operator writes it. It sits above the
/// three transports (each of which only knows <see cref="IScsiTransport"/> below it), so the
/// namespaces depend one way: Opening -> Linux/Windows/Iscsi -> Transports.
/// </summary>
public static class ScsiTransports
{
    /// <summary>
    /// <c>/dev/srN</c>, <c>/dev/sgN</c> (or a link to one, e.g. /dev/cdrom): Linux SG_IO.
    /// <c>\\.\CdRomN</c>: Windows SPTI with the drive locked for exclusive access.
    /// <c>iscsi://host[:port]/iqn/lun</c>: libiscsi.
    /// Anything else, or a device of another OS, is refused with a message saying what is accepted.
    /// </summary>
    public static IScsiTransport Open(string device)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        switch (Classify(device))
        {
            case DeviceKind.Iscsi:
                return IscsiTransport.Connect(device);
            case DeviceKind.Windows when OperatingSystem.IsWindows():
                return SptiTransport.Open(device);
            case DeviceKind.Linux when OperatingSystem.IsLinux():
                return SgIoTransport.Open(device);
            case DeviceKind.Windows or DeviceKind.Linux:
                throw new ArgumentException($"'{device}' is a {(Classify(device) == DeviceKind.Windows ? "Windows" : "Linux")} drive name, but this node runs on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}", nameof(device));
            default:
                throw new ArgumentException(
                    $"'{device}' is not a drive this node can open; use /dev/srN or /dev/sgN (Linux), \\\\.\\CdRomN (Windows) or iscsi://host[:port]/target-iqn/lun",
                    nameof(device));
        }
    }

    /// <summary>
    /// Why <paramref name="device"/> cannot be opened on this machine without trying to, or null
    /// when its form is one <see cref="Open"/> takes (whether the device exists is up to the open).
    /// </summary>
    public static string? ProblemWith(string? device)
    {
        if (string.IsNullOrWhiteSpace(device))
        {
            return "is empty; use /dev/srN or /dev/sgN (Linux), \\\\.\\CdRomN (Windows) or iscsi://host[:port]/target-iqn/lun";
        }

        switch (Classify(device))
        {
            case DeviceKind.Iscsi:
                return IscsiUrl.TryParse(device, out _, out var problem) ? null : $"'{IscsiUrl.Redact(device)}' is not an iSCSI address: {problem}; expected iscsi://host[:port]/iqn.target-name/lun";
            case DeviceKind.Windows when OperatingSystem.IsWindows():
            case DeviceKind.Linux when OperatingSystem.IsLinux():
                return null;
            case DeviceKind.Windows or DeviceKind.Linux:
                return $"'{device}' is a {(Classify(device) == DeviceKind.Windows ? "Windows" : "Linux")} drive name, but this node runs on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
            default:
                return $"'{device}' is not a drive this node can open; use /dev/srN or /dev/sgN (Linux), \\\\.\\CdRomN (Windows) or iscsi://host[:port]/target-iqn/lun";
        }
    }

    internal enum DeviceKind
    {
        Unknown = 0,
        Linux = 1,
        Windows = 2,
        Iscsi = 3,
    }

    internal static DeviceKind Classify(string device)
    {
        if (IscsiUrl.IsIscsi(device))
        {
            return DeviceKind.Iscsi;
        }

        if (device.StartsWith(@"\\.\CdRom", StringComparison.OrdinalIgnoreCase) && device.Length > 9 && device[9..].All(char.IsAsciiDigit))
        {
            return DeviceKind.Windows;
        }

        if (device.StartsWith("/dev/", StringComparison.Ordinal))
        {
            var name = Path.GetFileName(ResolveLink(device));
            return IsNode(name, "sr") || IsNode(name, "sg") ? DeviceKind.Linux : DeviceKind.Unknown;
        }

        return DeviceKind.Unknown;
    }

    private static bool IsNode(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name[prefix.Length..].All(char.IsAsciiDigit);

    /// <summary>/dev/cdrom -> /dev/sr0; a name that is not a link (or does not exist) is itself.</summary>
    private static string ResolveLink(string device)
    {
        try
        {
            return new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? device;
        }
        catch (IOException)
        {
            return device;
        }
    }
}
