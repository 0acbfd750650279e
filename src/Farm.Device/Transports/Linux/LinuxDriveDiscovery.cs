using System.Globalization;

namespace Farm.Device.Transports.Linux;

/// <summary>
/// One SCSI device found in sysfs: an MMC drive (peripheral type 5) or a media changer (8),
/// with its sg node and, for drives, its sr block node.
/// </summary>
/// <param name="GenericDevice">/dev/sgN, or null when the sg driver is not loaded.</param>
/// <param name="BlockDevice">/dev/srN, or null (changers, or sr not bound).</param>
public sealed record LinuxScsiDevice(string? GenericDevice, string? BlockDevice, string Vendor, string Model, string Revision, int PeripheralType)
{
    public const int MmcDrive = 5;
    public const int MediumChanger = 8;

    /// <summary>The node to open for pass-through: the block node when there is one (it honours the sr driver's locking), else sg.</summary>
    public string Device => BlockDevice ?? GenericDevice ?? throw new InvalidOperationException("a device without nodes");

    public bool IsDrive => PeripheralType == MmcDrive;
}

/// <summary>
/// Lists optical drives and changers from sysfs: /sys/class/scsi_generic/sgN/device is the SCSI
/// device directory (vendor, model, rev, type files, and block/srN for the sr node bound to it);
/// /sys/block/srN/device is the same directory seen from the block side, which also finds drives
/// when the sg module is absent. The root is a parameter so the parsing is tested on a tree built
/// in a temporary folder.
/// </summary>
public static class LinuxDriveDiscovery
{
    /// <summary>sysfs attributes are one short line; anything longer is not trusted.</summary>
    private const int MaxAttributeChars = 256;

    public static IReadOnlyList<LinuxScsiDevice> Enumerate(string sysRoot = "/sys")
    {
        ArgumentNullException.ThrowIfNull(sysRoot);
        var found = new List<LinuxScsiDevice>();
        var blockNodesSeen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var sg in ListSorted(Path.Combine(sysRoot, "class", "scsi_generic"), "sg*"))
        {
            var deviceDirectory = Path.Combine(sg, "device");
            if (Describe(deviceDirectory) is not { } description)
            {
                continue;
            }

            var sr = ListSorted(Path.Combine(deviceDirectory, "block"), "sr*").Select(Path.GetFileName).FirstOrDefault();
            if (sr is not null)
            {
                blockNodesSeen.Add(sr);
            }

            found.Add(description with { GenericDevice = "/dev/" + Path.GetFileName(sg), BlockDevice = sr is null ? null : "/dev/" + sr });
        }

        foreach (var block in ListSorted(Path.Combine(sysRoot, "block"), "sr*"))
        {
            var sr = Path.GetFileName(block);
            if (!blockNodesSeen.Contains(sr) && Describe(Path.Combine(block, "device")) is { } description)
            {
                found.Add(description with { BlockDevice = "/dev/" + sr });
            }
        }

        return found;
    }

    /// <summary>
    /// The largest data phase of one SG_IO on <paramref name="device"/>: the block queue's
    /// max_hw_sectors_kb (the kernel maps a pass-through request against that limit), or
    /// <paramref name="fallbackBytes"/> when sysfs does not say.
    /// </summary>
    public static int MaxTransferBytes(string device, string sysRoot = "/sys", int fallbackBytes = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(device);
        var name = Path.GetFileName(device);
        string? queue = null;
        if (name.StartsWith("sr", StringComparison.Ordinal))
        {
            queue = Path.Combine(sysRoot, "block", name, "queue");
        }
        else if (name.StartsWith("sg", StringComparison.Ordinal))
        {
            queue = ListSorted(Path.Combine(sysRoot, "class", "scsi_generic", name, "device", "block"), "*")
                .Select(block => Path.Combine(block, "queue"))
                .FirstOrDefault();
        }

        if (queue is not null
            && ReadAttribute(Path.Combine(queue, "max_hw_sectors_kb")) is { } text
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            && kib is > 0 and <= 1024 * 1024)
        {
            return kib * 1024;
        }

        return fallbackBytes;
    }

    private static LinuxScsiDevice? Describe(string deviceDirectory)
    {
        if (ReadAttribute(Path.Combine(deviceDirectory, "type")) is not { } typeText
            || !int.TryParse(typeText, NumberStyles.None, CultureInfo.InvariantCulture, out var type)
            || type is not (LinuxScsiDevice.MmcDrive or LinuxScsiDevice.MediumChanger))
        {
            return null;
        }

        return new LinuxScsiDevice(
            null,
            null,
            ReadAttribute(Path.Combine(deviceDirectory, "vendor")) ?? "",
            ReadAttribute(Path.Combine(deviceDirectory, "model")) ?? "",
            ReadAttribute(Path.Combine(deviceDirectory, "rev")) ?? "",
            type);
    }

    private static string[] ListSorted(string directory, string pattern)
    {
        try
        {
            var entries = Directory.GetFileSystemEntries(directory, pattern);
            Array.Sort(entries, NaturalOrder);
            return entries;
        }
        catch (Exception missing) when (missing is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>sg2 before sg10: by length, then ordinal.</summary>
    private static int NaturalOrder(string left, string right)
    {
        var byLength = left.Length.CompareTo(right.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(left, right);
    }

    private static string? ReadAttribute(string path)
    {
        try
        {
            using var reader = new StreamReader(path);
            var buffer = new char[MaxAttributeChars];
            var length = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, length).Trim();
        }
        catch (Exception missing) when (missing is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
