using Farm.Device.Transports.Linux;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// Discovery against a sysfs tree built in a temporary folder with the kernel's real layout:
/// class/scsi_generic/sgN/device -> the SCSI device directory (vendor, model, rev, type,
/// block/srN) and block/srN/{device,queue}.
/// </summary>
public sealed class LinuxDriveDiscoveryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("burnfarm-sysfs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>One SCSI device: its directory under devices/, an sg class link, and optionally an sr block node.</summary>
    private void AddDevice(string address, int type, string vendor, string model, string rev, string? sg, string? sr, int? maxHwKib = null)
    {
        var device = Path.Combine(_root, "devices", "pci0000:00", "host0", address);
        Directory.CreateDirectory(device);
        File.WriteAllText(Path.Combine(device, "type"), $"{type}\n");
        File.WriteAllText(Path.Combine(device, "vendor"), vendor.PadRight(8) + "\n");
        File.WriteAllText(Path.Combine(device, "model"), model.PadRight(16) + "\n");
        File.WriteAllText(Path.Combine(device, "rev"), rev + "\n");
        if (sr is not null)
        {
            var queue = Path.Combine(device, "block", sr, "queue");
            Directory.CreateDirectory(queue);
            if (maxHwKib is { } kib)
            {
                File.WriteAllText(Path.Combine(queue, "max_hw_sectors_kb"), $"{kib}\n");
            }

            var blockLink = Path.Combine(_root, "block", sr);
            Directory.CreateDirectory(Path.Combine(_root, "block"));
            Directory.CreateSymbolicLink(blockLink, Path.Combine(device, "block", sr));
            Directory.CreateSymbolicLink(Path.Combine(device, "block", sr, "device"), device);
        }

        if (sg is not null)
        {
            var sgDirectory = Path.Combine(_root, "class", "scsi_generic", sg);
            Directory.CreateDirectory(sgDirectory);
            Directory.CreateSymbolicLink(Path.Combine(sgDirectory, "device"), device);
        }
    }

    [Fact]
    public void Drives_and_changers_are_listed_with_their_sg_and_sr_nodes()
    {
        AddDevice("0:0:0:0", 0, "ATA", "Samsung SSD", "1B6Q", "sg0", null);
        AddDevice("1:0:0:0", 5, "HL-DT-ST", "DVDRAM GH24NSD1", "LG00", "sg1", "sr0", 1024);
        AddDevice("2:0:0:0", 5, "PIONEER", "BD-RW BDR-S12", "1.01", "sg10", "sr1");
        AddDevice("3:0:0:0", 8, "STK", "L700", "0010", "sg2", null);

        var devices = LinuxDriveDiscovery.Enumerate(_root);

        Assert.Collection(
            devices,
            drive =>
            {
                Assert.Equal(("/dev/sg1", "/dev/sr0"), (drive.GenericDevice, drive.BlockDevice));
                Assert.Equal(("HL-DT-ST", "DVDRAM GH24NSD1", "LG00"), (drive.Vendor, drive.Model, drive.Revision));
                Assert.True(drive.IsDrive);
                Assert.Equal("/dev/sr0", drive.Device);
            },
            changer =>
            {
                Assert.Equal(("/dev/sg2", null), (changer.GenericDevice, changer.BlockDevice));
                Assert.Equal(LinuxScsiDevice.MediumChanger, changer.PeripheralType);
                Assert.Equal("/dev/sg2", changer.Device);
            },
            bluRay => Assert.Equal(("/dev/sg10", "/dev/sr1", "PIONEER"), (bluRay.GenericDevice, bluRay.BlockDevice, bluRay.Vendor)));
    }

    [Fact]
    public void Drives_without_the_sg_driver_are_found_through_block()
    {
        AddDevice("1:0:0:0", 5, "ASUS", "DRW-24D5MT", "1.00", null, "sr0");

        var drive = Assert.Single(LinuxDriveDiscovery.Enumerate(_root));

        Assert.Null(drive.GenericDevice);
        Assert.Equal("/dev/sr0", drive.BlockDevice);
        Assert.Equal("ASUS", drive.Vendor);
    }

    [Fact]
    public void A_missing_sysfs_gives_an_empty_list() =>
        Assert.Empty(LinuxDriveDiscovery.Enumerate(Path.Combine(_root, "nowhere")));

    [Fact]
    public void Max_transfer_comes_from_max_hw_sectors_kb_for_sr_and_sg()
    {
        AddDevice("1:0:0:0", 5, "HL-DT-ST", "DVDRAM", "LG00", "sg1", "sr0", 512);

        Assert.Equal(512 * 1024, LinuxDriveDiscovery.MaxTransferBytes("/dev/sr0", _root));
        Assert.Equal(512 * 1024, LinuxDriveDiscovery.MaxTransferBytes("/dev/sg1", _root));
    }

    [Fact]
    public void Max_transfer_defaults_to_64_KiB_when_sysfs_is_silent_or_garbled()
    {
        AddDevice("1:0:0:0", 5, "HL-DT-ST", "DVDRAM", "LG00", "sg1", "sr0");
        Assert.Equal(64 * 1024, LinuxDriveDiscovery.MaxTransferBytes("/dev/sr0", _root));

        File.WriteAllText(Path.Combine(_root, "block", "sr0", "queue", "max_hw_sectors_kb"), "lots\n");
        Assert.Equal(64 * 1024, LinuxDriveDiscovery.MaxTransferBytes("/dev/sr0", _root));
        Assert.Equal(64 * 1024, LinuxDriveDiscovery.MaxTransferBytes("/dev/sr9", _root));
    }
}
