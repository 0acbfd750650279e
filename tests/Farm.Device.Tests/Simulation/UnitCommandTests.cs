using System.Text;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>TEST UNIT READY, REQUEST SENSE, INQUIRY, START STOP UNIT, PREVENT ALLOW and the ILLEGAL REQUEST paths.</summary>
public sealed class UnitCommandTests
{
    // TEST UNIT READY (SPC-4): opcode 00h, bytes 1-4 reserved, byte 5 CONTROL.
    private static readonly byte[] TestUnitReady = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    [Fact]
    public async Task Test_unit_ready_without_a_disc_reports_medium_not_present()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.NotReady, 0x3A, 0x00);
    }

    [Fact]
    public async Task The_first_command_after_inserting_a_disc_gets_unit_attention_once()
    {
        await using var drive = FastDrive();
        drive.Insert(SimulatedDisc.Blank(DvdPlusR, "d", new MemoryMediaStore()));

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.UnitAttention, 0x28, 0x00);
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task Inquiry_does_not_consume_the_unit_attention()
    {
        await using var drive = FastDrive();
        drive.Insert(SimulatedDisc.Blank(DvdPlusR, "d", new MemoryMediaStore()));

        // INQUIRY (SPC-4): 12h, EVPD 0, page 0, ALLOCATION LENGTH (3-4) = 36.
        await drive.ReadDataAsync([0x12, 0x00, 0x00, 0x00, 36, 0x00], 36);

        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.UnitAttention, 0x28, 0x00);
    }

    [Fact]
    public async Task Request_sense_reports_and_clears_a_pending_unit_attention()
    {
        await using var drive = FastDrive();
        drive.Insert(SimulatedDisc.Blank(DvdPlusR, "d", new MemoryMediaStore()));

        // REQUEST SENSE (SPC-4): 03h, DESC 0, ALLOCATION LENGTH (byte 4) = 18.
        var sense = await drive.ReadDataAsync([0x03, 0x00, 0x00, 0x00, 18, 0x00], 18);

        Assert.Equal(0x70, sense[0]);
        Assert.Equal((byte)SenseKey.UnitAttention, sense[2]);
        Assert.Equal(0x28, sense[12]);
        AssertGood(await drive.RunAsync(TestUnitReady));
    }

    [Fact]
    public async Task Request_sense_on_a_ready_drive_reports_no_sense()
    {
        await using var drive = await ReadyDriveAsync();

        var sense = await drive.ReadDataAsync([0x03, 0x00, 0x00, 0x00, 18, 0x00], 18);

        Assert.Equal([0x70, 0x00, 0x00], sense[..3]);
        Assert.Equal(0x00, sense[12]);
    }

    [Fact]
    public async Task Request_sense_for_descriptor_format_is_an_invalid_field()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync([0x03, 0x01, 0x00, 0x00, 18, 0x00], new byte[18]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Inquiry_returns_an_mmc_device_with_the_configured_identity()
    {
        await using var drive = FastDrive(new SimulatedDriveOptions { Vendor = "ACME", Product = "BURNER 9000", Revision = "2.1" });

        var data = await drive.ReadDataAsync([0x12, 0x00, 0x00, 0x00, 36, 0x00], 36);

        // SPC-4 "Standard INQUIRY data format": byte 0 device type 05h, byte 1 RMB, byte 3 format 2,
        // byte 4 additional length 31, bytes 8-15 vendor, 16-31 product, 32-35 revision.
        Assert.Equal(0x05, data[0]);
        Assert.Equal(0x80, data[1]);
        Assert.Equal(0x02, data[3] & 0x0F);
        Assert.Equal(31, data[4]);
        Assert.Equal("ACME    ", Encoding.ASCII.GetString(data, 8, 8));
        Assert.Equal("BURNER 9000     ", Encoding.ASCII.GetString(data, 16, 16));
        Assert.Equal("2.1 ", Encoding.ASCII.GetString(data, 32, 4));
    }

    [Fact]
    public async Task Inquiry_honours_the_allocation_length()
    {
        await using var drive = FastDrive();
        var buffer = new byte[36];

        var result = await drive.RunAsync([0x12, 0x00, 0x00, 0x00, 5, 0x00], buffer);

        AssertGood(result);
        Assert.Equal(31, result.Residual);
        Assert.Equal(31, buffer[4]);
        Assert.Equal(0, buffer[5]);
    }

    [Fact]
    public async Task Inquiry_with_a_page_code_but_no_evpd_is_an_invalid_field()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync([0x12, 0x00, 0x80, 0x00, 36, 0x00], new byte[36]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Inquiry_vpd_page_80h_returns_the_unit_serial_number()
    {
        await using var drive = FastDrive(new SimulatedDriveOptions { SerialNumber = "TWR1-D2" });

        // INQUIRY with EVPD = 1, page 80h (SPC-4 "Unit Serial Number VPD page"): header 4 bytes, page length in byte 3.
        var data = await drive.ReadDataAsync([0x12, 0x01, 0x80, 0x00, 64, 0x00], 64);

        Assert.Equal(0x80, data[1]);
        Assert.Equal(7, data[3]);
        Assert.Equal("TWR1-D2", Encoding.ASCII.GetString(data, 4, 7));
    }

    [Fact]
    public async Task An_unknown_operation_code_is_an_invalid_command_operation_code()
    {
        await using var drive = FastDrive();

        // C5h: no such command in SPC-4 or MMC-6 (a 12-byte group 6 vendor-specific code).
        AssertSense(await drive.RunAsync([0xC5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), SenseKey.IllegalRequest, 0x20, 0x00);
    }

    [Fact]
    public async Task A_cdb_of_the_wrong_length_for_its_opcode_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync();

        // TEST UNIT READY is a 6-byte CDB (group 0); ten bytes are wrong.
        AssertSense(await drive.RunAsync([0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task A_reserved_byte_set_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync();

        AssertSense(await drive.RunAsync([0x00, 0x00, 0x01, 0x00, 0x00, 0x00]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task The_naca_bit_in_control_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync();

        // CONTROL byte (SAM-5): bit 2 NACA, not supported.
        AssertSense(await drive.RunAsync([0x00, 0x00, 0x00, 0x00, 0x00, 0x04]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Start_stop_unit_with_load_eject_leaves_the_disc_in_the_tray_for_the_tower()
    {
        await using var drive = await ReadyDriveAsync();
        var disc = drive.CurrentDisc;

        // START STOP UNIT (SBC-3/MMC-6): 1Bh, byte 4: LOEJ (bit 1) = 1, START (bit 0) = 0.
        AssertGood(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x02, 0x00]));

        Assert.Null(drive.CurrentDisc);
        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.NotReady, 0x3A, 0x00);
        Assert.Same(disc, drive.Eject());
        Assert.Null(drive.Eject());
    }

    [Fact]
    public async Task Eject_is_refused_while_medium_removal_is_prevented()
    {
        await using var drive = await ReadyDriveAsync();

        // PREVENT ALLOW MEDIUM REMOVAL (SPC-4/MMC-6): 1Eh, byte 4 bit 0 PREVENT = 1.
        AssertGood(await drive.RunAsync([0x1E, 0x00, 0x00, 0x00, 0x01, 0x00]));

        AssertSense(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x02, 0x00]), SenseKey.IllegalRequest, 0x53, 0x02);
        Assert.NotNull(drive.CurrentDisc);
        Assert.Throws<InvalidOperationException>(() => drive.Eject());
    }

    [Fact]
    public async Task Allowing_removal_again_lets_the_disc_out()
    {
        await using var drive = await ReadyDriveAsync();
        AssertGood(await drive.RunAsync([0x1E, 0x00, 0x00, 0x00, 0x01, 0x00]));

        AssertGood(await drive.RunAsync([0x1E, 0x00, 0x00, 0x00, 0x00, 0x00]));

        AssertGood(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x02, 0x00]));
    }

    [Fact]
    public async Task Closing_the_tray_on_an_ejected_disc_loads_it_again_with_unit_attention()
    {
        await using var drive = await ReadyDriveAsync();
        AssertGood(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x02, 0x00]));

        // LOEJ = 1, START = 1: load.
        AssertGood(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x03, 0x00]));

        Assert.NotNull(drive.CurrentDisc);
        AssertSense(await drive.RunAsync(TestUnitReady), SenseKey.UnitAttention, 0x28, 0x00);
    }

    [Fact]
    public async Task Spinning_up_without_a_disc_reports_medium_not_present()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync([0x1B, 0x00, 0x00, 0x00, 0x01, 0x00]), SenseKey.NotReady, 0x3A, 0x00);
    }

    [Fact]
    public async Task Inserting_into_a_full_drive_is_refused()
    {
        await using var drive = await ReadyDriveAsync();

        Assert.Throws<InvalidOperationException>(() => drive.Insert(SimulatedDisc.Blank(DvdPlusR, "second", new MemoryMediaStore())));
    }

    [Fact]
    public async Task A_data_phase_larger_than_the_maximum_transfer_fails_in_the_transport()
    {
        await using var drive = await ReadyDriveAsync();

        var failure = await Assert.ThrowsAsync<ScsiTransportException>(
            async () => await drive.WriteAsync(Write10(0, 64), new byte[128 * 1024]));

        Assert.Equal(TransportFailure.HostError, failure.Failure);
    }

    [Fact]
    public void Options_reject_a_time_scale_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedDrive(new SimulatedDriveOptions { TimeScale = 0.5 }));
    }

    [Fact]
    public void Options_reject_a_vendor_longer_than_eight_characters()
    {
        Assert.Throws<ArgumentException>(() => new SimulatedDrive(new SimulatedDriveOptions { Vendor = "NINECHARS" }));
    }

    [Fact]
    public async Task Commands_are_counted()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        await drive.RunAsync(TestUnitReady);

        Assert.Equal(2, drive.CommandsExecuted);
    }
}
