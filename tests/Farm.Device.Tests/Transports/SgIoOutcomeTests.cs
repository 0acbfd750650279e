using Farm.Device.Transports;
using Farm.Device.Transports.Linux;

namespace Farm.Device.Tests.Transports;

public sealed class SgIoOutcomeTests
{
    private static readonly byte[] NoMediumSense = [0x70, 0, 0x02, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x3A, 0x00, 0, 0, 0, 0];

    [Fact]
    public void Good_status_returns_the_residual()
    {
        var result = SgIoOutcome.Interpret("/dev/sr0", "READ(10)", 0, 0, 0, 2048, []);
        Assert.True(result.IsGood);
        Assert.Equal(2048, result.Residual);
    }

    [Fact]
    public void Check_condition_carries_exactly_the_sense_bytes_written()
    {
        var result = SgIoOutcome.Interpret("/dev/sr0", "TEST UNIT READY", 0x02, 0, SgIoOutcome.DriverSense, 0, NoMediumSense);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal(NoMediumSense, result.Sense.ToArray());
    }

    [Fact]
    public void Driver_sense_with_a_zero_status_byte_is_still_a_check_condition()
    {
        var result = SgIoOutcome.Interpret("/dev/sr0", "TEST UNIT READY", 0, 0, SgIoOutcome.DriverSense, 0, NoMediumSense);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
    }

    [Theory]
    [InlineData(SgIoOutcome.DidTimeOut, 0, TransportFailure.Timeout)]
    [InlineData(0, SgIoOutcome.DriverTimeout, TransportFailure.Timeout)]
    [InlineData(SgIoOutcome.DidNoConnect, 0, TransportFailure.DeviceGone)]
    [InlineData(SgIoOutcome.DidBadTarget, 0, TransportFailure.DeviceGone)]
    [InlineData(SgIoOutcome.DidError, 0, TransportFailure.HostError)]
    [InlineData(SgIoOutcome.DidReset, 0, TransportFailure.HostError)]
    [InlineData(0, 0x04, TransportFailure.HostError)]
    public void Host_and_driver_failures_become_transport_failures(ushort host, ushort driver, TransportFailure expected)
    {
        var failure = Assert.Throws<ScsiTransportException>(() => SgIoOutcome.Interpret("/dev/sr1", "WRITE(10)", 0, host, driver, 0, []));
        Assert.Equal(expected, failure.Failure);
        Assert.Contains("/dev/sr1", failure.Message, StringComparison.Ordinal);
        Assert.Contains("WRITE(10)", failure.Message, StringComparison.Ordinal);
    }
}
