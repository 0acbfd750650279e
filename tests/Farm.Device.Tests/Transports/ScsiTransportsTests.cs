using Farm.Device.Transports;
using Farm.Device.Transports.Opening;

namespace Farm.Device.Tests.Transports;

public sealed class ScsiTransportsTests
{
    [Theory]
    [InlineData("/dev/sr0", "Linux")]
    [InlineData("/dev/sg12", "Linux")]
    [InlineData(@"\\.\CdRom0", "Windows")]
    [InlineData(@"\\.\cdrom3", "Windows")]
    [InlineData("iscsi://127.0.0.1/iqn.x/1", "Iscsi")]
    [InlineData("/dev/sda", "Unknown")]
    [InlineData("/dev/srx", "Unknown")]
    [InlineData("D:", "Unknown")]
    public void Device_names_pick_the_transport(string device, string kind) =>
        Assert.Equal(kind, ScsiTransports.Classify(device).ToString());

    [Fact]
    public void Unknown_names_are_refused_with_the_accepted_forms()
    {
        var failure = Assert.Throws<ArgumentException>(() => ScsiTransports.Open("/dev/sda"));
        Assert.Contains("/dev/srN or /dev/sgN (Linux), \\\\.\\CdRomN (Windows) or iscsi://", failure.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void A_windows_drive_name_on_linux_says_so()
    {
        var failure = Assert.Throws<ArgumentException>(() => ScsiTransports.Open(@"\\.\CdRom0"));
        Assert.Contains("is a Windows drive name", failure.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void A_missing_linux_drive_opens_to_no_such_device()
    {
        var failure = Assert.Throws<ScsiTransportException>(() => ScsiTransports.Open("/dev/sr97"));
        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
    }
}
