using Farm.Device.Mmc;
using Farm.Device.Sense;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>READ DISC INFORMATION, READ TRACK INFORMATION, READ CAPACITY, READ BUFFER CAPACITY.</summary>
public sealed class InformationTests
{
    [Fact]
    public async Task Disc_information_of_a_blank_dvd_plus_r()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);

        // MMC-6 "Disc Information Block": length 32; byte 2 status 00b empty, last session 00b empty,
        // not erasable; first track 1; 1 session; first/last track in last session 1; lead-in
        // start 0 (LBA) and last possible lead-out = capacity.
        Assert.Equal(32, UInt16At(info, 0));
        Assert.Equal(0x00, info[2]);
        Assert.Equal([1, 1, 1, 1], info[3..7]);
        Assert.Equal(0u, UInt32At(info, 16));
        Assert.Equal(2_295_104u, UInt32At(info, 20));
    }

    [Fact]
    public async Task Disc_information_of_a_dvd_plus_rw_is_complete_and_erasable()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);

        // Erasable (bit 4), last session complete (11b in bits 3-2), disc complete (10b); BG format complete (byte 7 bits 1-0 = 11b).
        Assert.Equal(0x10 | 0x0C | 0x02, info[2]);
        Assert.Equal(0x03, info[7] & 0x03);
    }

    [Fact]
    public async Task Disc_information_without_a_disc_reports_medium_not_present()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.RunAsync(ReadDiscInformation(), new byte[34]), SenseKey.NotReady, 0x3A, 0x00);
    }

    [Fact]
    public async Task Disc_information_data_type_001b_is_not_implemented()
    {
        await using var drive = await ReadyDriveAsync();

        AssertSense(await drive.RunAsync([0x51, 0x01, 0, 0, 0, 0, 0, 0, 34, 0], new byte[34]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task The_invisible_track_of_a_blank_disc_is_writable_from_zero()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        // Address type 01b (track number), track 1.
        var track = await drive.ReadDataAsync(ReadTrackInformation(0x01, 1), 48);

        // MMC-6 "Track Information Block": length 46; track 1, session 1; byte 6 Blank (bit 6),
        // data mode Fh; byte 7 NWA_V = 1, LRA_V = 0; start 0, NWA 0, free = capacity, size = capacity.
        Assert.Equal(46, UInt16At(track, 0));
        Assert.Equal(1, track[2]);
        Assert.Equal(1, track[3]);
        Assert.Equal(0x40 | 0x0F, track[6]);
        Assert.Equal(0x01, track[7]);
        Assert.Equal(0u, UInt32At(track, 8));
        Assert.Equal(0u, UInt32At(track, 12));
        Assert.Equal(2_295_104u, UInt32At(track, 16));
        Assert.Equal(16u, UInt32At(track, 20));
        Assert.Equal(2_295_104u, UInt32At(track, 24));
    }

    [Fact]
    public async Task Track_number_ffh_selects_the_invisible_track()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var track = await drive.ReadDataAsync(ReadTrackInformation(0x01, 0xFF), 48);

        Assert.Equal(1, track[2]);
        Assert.Equal(0x01, track[7] & 0x01);
    }

    [Fact]
    public async Task Track_information_by_lba_and_by_session_find_the_same_track()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        var byLba = await drive.ReadDataAsync(ReadTrackInformation(0x00, 1000), 48);
        var bySession = await drive.ReadDataAsync(ReadTrackInformation(0x02, 1), 48);

        Assert.Equal(byLba, bySession);
    }

    [Fact]
    public async Task A_track_that_does_not_exist_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertSense(await drive.RunAsync(ReadTrackInformation(0x01, 7), new byte[48]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Address_type_11b_is_reserved()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertSense(await drive.RunAsync(ReadTrackInformation(0x03, 1), new byte[48]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Read_capacity_of_a_dvd_plus_rw_is_the_last_formatted_block()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        // READ CAPACITY (SBC-3/MMC-6): 25h, all fields zero. Response: last LBA (0-3), block length (4-7).
        var capacity = await drive.ReadDataAsync([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8);

        Assert.Equal(2_295_103u, UInt32At(capacity, 0));
        Assert.Equal(2048u, UInt32At(capacity, 4));
    }

    [Fact]
    public async Task Read_capacity_with_an_lba_but_no_pmi_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync();

        AssertSense(await drive.RunAsync([0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0], new byte[8]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Read_buffer_capacity_reports_an_empty_buffer_of_the_configured_size()
    {
        await using var drive = await ReadyDriveAsync(options: new() { UnlimitedSpeed = true, BufferBytes = 2 * 1024 * 1024 });

        // READ BUFFER CAPACITY (MMC-6): 5Ch, BLOCK = 0, ALLOCATION LENGTH (7-8) = 12. Response: data
        // length 10 (0-1), buffer length (4-7), blank length (8-11).
        var response = await drive.ReadDataAsync([0x5C, 0x00, 0, 0, 0, 0, 0, 0, 12, 0], 12);

        Assert.Equal(10, UInt16At(response, 0));
        Assert.Equal(2u * 1024 * 1024, UInt32At(response, 4));
        Assert.Equal(2u * 1024 * 1024, UInt32At(response, 8));
    }
}
