namespace Farm.Device.Transports.Linux;

/// <summary>
/// Explains why a drive could not be opened or driven, in the words an operator needs: which
/// device, which group grants access, which capability some commands need.
/// </summary>
internal static class LinuxOpenErrors
{
    public static ScsiTransportException ForOpen(int errno, string device, string? group) => errno switch
    {
        LinuxNative.EAccess or LinuxNative.EPerm => new ScsiTransportException(
            TransportFailure.AccessDenied,
            $"{device}: permission denied. Burning needs read-write access to the device: add the farm's user to the group "
            + $"'{group ?? "cdrom"}' that owns {device} (sudo usermod -aG {group ?? "cdrom"} <user>, then log in again), "
            + "and note that some commands (MODE SELECT, SEND OPC INFORMATION and other vendor or write commands the kernel does not "
            + "whitelist for unprivileged users) also need the CAP_SYS_RAWIO capability (sudo setcap cap_sys_rawio+ep on the farm-node executable)"),
        LinuxNative.ENoEnt or LinuxNative.ENxio or LinuxNative.ENoDev => new ScsiTransportException(
            TransportFailure.DeviceGone,
            $"{device}: no such device (is the drive connected and powered, and is the sr or sg driver loaded? 'ls -l /dev/sr* /dev/sg*' lists the drives)"),
        LinuxNative.EBusy => new ScsiTransportException(
            TransportFailure.AccessDenied,
            $"{device}: in use by another program (the farm opens drives with O_EXCL; unmount the disc and stop other burning or media programs using it)"),
        _ => new ScsiTransportException(TransportFailure.HostError, $"{device}: cannot open: {LinuxNative.Describe(errno)}"),
    };

    public static ScsiTransportException ForIoctl(int errno, string device, string command) => errno switch
    {
        LinuxNative.EAccess or LinuxNative.EPerm => new ScsiTransportException(
            TransportFailure.AccessDenied,
            $"{device}: {command} refused by the kernel: unprivileged SG_IO only passes whitelisted commands; give the farm-node executable the CAP_SYS_RAWIO capability (sudo setcap cap_sys_rawio+ep <farm-node>)"),
        LinuxNative.ENoEnt or LinuxNative.ENxio or LinuxNative.ENoDev => new ScsiTransportException(
            TransportFailure.DeviceGone, $"{device}: {command}: no such device (the drive was disconnected)"),
        _ => new ScsiTransportException(TransportFailure.HostError, $"{device}: {command}: SG_IO failed: {LinuxNative.Describe(errno)}"),
    };

    /// <summary>The name of group <paramref name="gid"/> in an /etc/group text, or null. Bounded: lines are split once.</summary>
    public static string? GroupName(string etcGroup, uint gid)
    {
        ArgumentNullException.ThrowIfNull(etcGroup);
        foreach (var line in etcGroup.Split('\n'))
        {
            var fields = line.Split(':', 4);
            if (fields.Length >= 3 && uint.TryParse(fields[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id == gid)
            {
                return fields[0];
            }
        }

        return null;
    }

    /// <summary>The group owning <paramref name="device"/>, by name when /etc/group knows it.</summary>
    public static string? GroupOf(string device)
    {
        if (LinuxNative.GroupIdOf(device) is not { } gid)
        {
            return null;
        }

        try
        {
            return GroupName(File.ReadAllText("/etc/group"), gid) ?? $"gid {gid}";
        }
        catch (IOException)
        {
            return $"gid {gid}";
        }
        catch (UnauthorizedAccessException)
        {
            return $"gid {gid}";
        }
    }
}
