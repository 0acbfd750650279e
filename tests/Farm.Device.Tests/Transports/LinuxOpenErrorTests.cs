using System.Runtime.Versioning;
using Farm.Device.Transports;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Tests.Transports;

public sealed class LinuxOpenErrorTests
{
    [Theory]
    [InlineData(LinuxNative.EAccess)]
    [InlineData(LinuxNative.EPerm)]
    public void Permission_denied_names_the_device_the_group_and_the_capability(int errno)
    {
        var failure = LinuxOpenErrors.ForOpen(errno, "/dev/sr0", "cdrom");
        Assert.Equal(TransportFailure.AccessDenied, failure.Failure);
        Assert.Contains("/dev/sr0", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'cdrom'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("usermod -aG cdrom", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CAP_SYS_RAWIO", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Permission_denied_uses_the_device_group_read_from_the_node()
    {
        var failure = LinuxOpenErrors.ForOpen(LinuxNative.EAccess, "/dev/sg3", "disk");
        Assert.Contains("'disk'", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LinuxNative.ENoEnt)]
    [InlineData(LinuxNative.ENxio)]
    [InlineData(LinuxNative.ENoDev)]
    public void Missing_devices_are_gone(int errno)
    {
        var failure = LinuxOpenErrors.ForOpen(errno, "/dev/sr7", null);
        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
        Assert.Contains("/dev/sr7: no such device", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_device_says_another_program_holds_it()
    {
        var failure = LinuxOpenErrors.ForOpen(LinuxNative.EBusy, "/dev/sr0", null);
        Assert.Equal(TransportFailure.AccessDenied, failure.Failure);
        Assert.Contains("in use by another program (the farm opens drives with O_EXCL", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_commands_ask_for_the_raw_io_capability()
    {
        var failure = LinuxOpenErrors.ForIoctl(LinuxNative.EPerm, "/dev/sr0", "MODE SELECT(10)");
        Assert.Equal(TransportFailure.AccessDenied, failure.Failure);
        Assert.Contains("CAP_SYS_RAWIO", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Group_names_come_from_etc_group()
    {
        const string etcGroup = "root:x:0:\ndisk:x:6:\ncdrom:x:24:alice,bob\nbroken line\n";
        Assert.Equal("cdrom", LinuxOpenErrors.GroupName(etcGroup, 24));
        Assert.Equal("disk", LinuxOpenErrors.GroupName(etcGroup, 6));
        Assert.Null(LinuxOpenErrors.GroupName(etcGroup, 99));
    }

    [LinuxFact]
    [SupportedOSPlatform("linux")]
    public void Opening_a_missing_node_for_real_fails_with_no_such_device()
    {
        var failure = Assert.Throws<ScsiTransportException>(() => SgIoTransport.Open("/dev/sr-burnfarm-missing"));
        Assert.Equal(TransportFailure.DeviceGone, failure.Failure);
        Assert.Contains("/dev/sr-burnfarm-missing: no such device", failure.Message, StringComparison.Ordinal);
    }

    [LinuxFact]
    public void Group_of_a_real_node_is_read_with_statx()
    {
        Assert.Equal("root", LinuxOpenErrors.GroupOf("/etc/passwd"));
    }
}
