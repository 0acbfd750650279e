using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Transports;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// NO SENSE and RECOVERED ERROR complete the command (SPC-4 4.5.6). Found by the disturbed-burn
/// fuzz run (docs/RELIABILITY.md): before, MmcDrive threw them as a DeviceException of
/// disposition None, so a drive that won a retry on its own made the farm reject a good disc.
/// </summary>
public class RecoveredErrorTests
{
    /// <summary>The sense the fuzz run produced on PREVENT ALLOW MEDIUM REMOVAL: fixed format, 1/8D/75 (vendor ASC).</summary>
    private const string RecoveredVendorSense = "70 00 01 00 00 00 00 0A 00 00 00 00 8D 75 00 00 00 00";

    /// <summary>RECOVERED DATA WITH RETRIES (1/17/01), what a real drive reports after a re-read.</summary>
    private const string RecoveredWithRetries = "70 00 01 00 00 00 00 0A 00 00 00 00 17 01 00 00 00 00";

    /// <summary>ROUNDED PARAMETER (1/37/00): the drive chose a speed it supports.</summary>
    private const string RoundedParameter = "70 00 01 00 00 00 00 0A 00 00 00 00 37 00 00 00 00 00";

    private static MmcDrive Drive(ScriptedTransport transport) => new(transport, TimeProvider.System);

    [Fact]
    public async Task A_recovered_error_on_a_command_without_data_completes_it()
    {
        var transport = new ScriptedTransport((_, _) => ScsiResult.CheckCondition(Bytes.Of(RecoveredVendorSense)));

        await Drive(transport).PreventMediumRemovalAsync(prevent: true, CancellationToken.None);

        Assert.Single(transport.Sent);
    }

    [Fact]
    public async Task A_recovered_error_on_a_read_returns_the_data_the_drive_moved()
    {
        var transport = new ScriptedTransport((_, data) =>
        {
            data.Span.Fill(0xA5);
            return ScsiResult.CheckCondition(Bytes.Of(RecoveredWithRetries));
        });
        var blocks = new byte[2 * MmcDrive.BlockSize];

        await Drive(transport).ReadAsync(0, blocks, CancellationToken.None);

        Assert.All(blocks, b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public async Task A_rounded_speed_is_still_reported_as_speed_adjusted()
    {
        var transport = new ScriptedTransport((_, _) => ScsiResult.CheckCondition(Bytes.Of(RoundedParameter)));

        var rounded = await Assert.ThrowsAsync<DeviceException>(() => Drive(transport).SetCdSpeedAsync(0xFFFF, 7056, RotationControl.ConstantLinearVelocity, CancellationToken.None));

        Assert.Equal(ImapiErrors.SpeedAdjusted, rounded.Error.Error);
    }

    [Fact]
    public async Task A_rounded_parameter_on_another_command_completes_it()
    {
        var transport = new ScriptedTransport((_, _) => ScsiResult.CheckCondition(Bytes.Of(RoundedParameter)));

        await Drive(transport).ModeSelectWriteParametersAsync(WriteParameters.DataDefaults, CancellationToken.None);

        Assert.Single(transport.Sent);
    }
}
