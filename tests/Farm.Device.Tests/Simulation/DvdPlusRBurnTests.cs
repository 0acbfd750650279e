using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>A DVD+R written the way the farm writes it, and the mistakes a drive refuses.</summary>
public sealed class DvdPlusRBurnTests
{
    private const ushort ChunkBlocks = 16; // 32 KiB WRITE(10)s, as libburn and growisofs send to DVD drives

    private static async Task WriteImageAsync(SimulatedDrive drive, uint firstLba, byte[] image)
    {
        for (int offset = 0; offset < image.Length; offset += ChunkBlocks * 2048)
        {
            int length = Math.Min(ChunkBlocks * 2048, image.Length - offset);
            uint lba = firstLba + (uint)(offset / 2048);
            AssertGood(await drive.WriteAsync(Write10(lba, (ushort)(length / 2048)), image[offset..(offset + length)]));
        }
    }

    [Fact]
    public async Task A_full_burn_reads_back_what_was_written_and_leaves_a_complete_disc()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        var image = Pattern(0, 200);

        await WriteImageAsync(drive, 0, image);
        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b001, number: 1)));
        AssertGood(await drive.RunAsync(Close(0b110)));

        var readBack = new List<byte>();
        for (uint lba = 0; lba < 200; lba += ChunkBlocks)
        {
            ushort blocks = (ushort)Math.Min(ChunkBlocks, 200 - lba);
            readBack.AddRange(await drive.ReadDataAsync(Read10(lba, blocks), blocks * 2048));
        }

        Assert.Equal(image, readBack.ToArray());
        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);
        Assert.Equal(0x0C | 0x02, info[2]); // last session complete (11b), disc complete (10b)
        Assert.Equal(0xFFFF_FFFFu, UInt32At(info, 20));
        Assert.Equal(DiscStatus.Complete, drive.CurrentDisc!.Status);
        Assert.Equal(200 * 2048, drive.BytesWritten);
    }

    [Fact]
    public async Task The_first_write_makes_the_disc_incomplete_and_the_track_partially_recorded()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);
        Assert.Equal(0x04 | 0x01, info[2]); // last session incomplete (01b), disc incomplete (01b)
        var track = await drive.ReadDataAsync(ReadTrackInformation(0x01, 1), 48);
        Assert.Equal(0x01, track[6] & 0x4F); // no longer blank, data mode 1
        Assert.Equal(0x03, track[7]); // LRA_V and NWA_V
        Assert.Equal(16u, UInt32At(track, 12));
        Assert.Equal(2_295_104u - 16, UInt32At(track, 16));
        Assert.Equal(15u, UInt32At(track, 28));
    }

    [Fact]
    public async Task A_write_away_from_the_next_writable_address_is_an_invalid_address_for_write()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertSense(await drive.WriteAsync(Write10(32, 16), Pattern(32, 16)), SenseKey.IllegalRequest, 0x21, 0x02);
        AssertSense(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)), SenseKey.IllegalRequest, 0x21, 0x02);
    }

    [Fact]
    public async Task A_data_phase_that_disagrees_with_the_transfer_length_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertSense(await drive.WriteAsync(Write10(0, 16), new byte[15 * 2048]), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Closing_before_synchronize_cache_is_a_command_sequence_error()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertSense(await drive.RunAsync(Close(0b001, number: 1)), SenseKey.IllegalRequest, 0x2C, 0x00);

        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b001, number: 1)));
    }

    [Fact]
    public async Task Writing_a_finalised_disc_is_an_invalid_address_for_write()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b110)));

        AssertSense(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)), SenseKey.IllegalRequest, 0x21, 0x02);
    }

    [Fact]
    public async Task Closing_a_session_without_finalising_leaves_the_disc_appendable_with_a_new_session()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));

        AssertGood(await drive.RunAsync(Close(0b010)));

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);
        Assert.Equal(0x01, info[2]); // last session empty (00b), disc incomplete (01b)
        Assert.Equal(2, info[4]); // two sessions
        Assert.Equal(2, info[5]); // the new session starts with track 2
        var invisible = await drive.ReadDataAsync(ReadTrackInformation(0x01, 0xFF), 48);
        Assert.Equal(2, invisible[2]);
        Assert.Equal(2, invisible[3]);
        uint nextWritable = UInt32At(invisible, 12);
        Assert.True(nextWritable > 16 && nextWritable % 16 == 0);
        AssertGood(await drive.WriteAsync(Write10(nextWritable, 16), Pattern(nextWritable, 16)));
    }

    [Fact]
    public async Task Closing_the_track_opens_the_next_track_at_the_next_ecc_block()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 5), Pattern(0, 5)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));

        AssertGood(await drive.RunAsync(Close(0b001, number: 1)));

        var first = await drive.ReadDataAsync(ReadTrackInformation(0x01, 1), 48);
        Assert.Equal(0x00, first[7] & 0x01); // complete: NWA not valid
        Assert.Equal(5u, UInt32At(first, 24)); // track size
        var second = await drive.ReadDataAsync(ReadTrackInformation(0x01, 2), 48);
        Assert.Equal(16u, UInt32At(second, 8));
        Assert.Equal(16u, UInt32At(second, 12));
    }

    [Fact]
    public async Task An_undefined_close_function_for_dvd_plus_r_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        // 011b is defined for DVD-RW and DVD+RW only.
        AssertSense(await drive.RunAsync(Close(0b011)), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Closing_the_session_of_a_blank_disc_is_a_command_sequence_error()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        AssertSense(await drive.RunAsync(Close(0b010)), SenseKey.IllegalRequest, 0x2C, 0x00);
    }

    [Fact]
    public async Task Reading_past_the_last_recorded_address_is_out_of_range()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertSense(await drive.RunAsync(Read10(8, 16), new byte[16 * 2048]), SenseKey.IllegalRequest, 0x21, 0x00);
    }

    [Fact]
    public async Task Read_capacity_reports_the_last_recorded_block()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        var capacity = await drive.ReadDataAsync([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 8);

        Assert.Equal(15u, UInt32At(capacity, 0));
    }

    [Fact]
    public async Task Writing_past_the_end_of_the_disc_is_end_of_user_area()
    {
        var tiny = Profiles.Get(Profile.DvdPlusR) with { CapacityBlocks = 32 };
        await using var drive = FastDrive();
        drive.Insert(SimulatedDisc.Blank(tiny, "tiny", new MemoryMediaStore()));
        await drive.RunAsync([0x00, 0, 0, 0, 0, 0]);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));

        AssertSense(await drive.WriteAsync(Write10(16, 32), Pattern(16, 32)), SenseKey.IllegalRequest, 0x63, 0x00);
    }

    [Fact]
    public async Task Write12_with_the_streaming_bit_writes_like_write10()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);

        // WRITE(12) (MMC-6): AAh, LBA (2-5), TRANSFER LENGTH (6-9), byte 10 bit 7 Streaming.
        AssertGood(await drive.WriteAsync([0xAA, 0x00, 0, 0, 0, 0, 0, 0, 0, 16, 0x80, 0x00], Pattern(0, 16)));

        // READ(12) (MMC-6): A8h, LBA (2-5), TRANSFER LENGTH (6-9).
        Assert.Equal(Pattern(0, 16), await drive.ReadDataAsync([0xA8, 0x00, 0, 0, 0, 0, 0, 0, 0, 16, 0x00, 0x00], 16 * 2048));
    }

    [Fact]
    public async Task Write10_with_a_write_protect_field_is_an_invalid_field()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        var cdb = Write10(0, 16);
        cdb[1] = 0x20; // WRPROTECT = 001b

        AssertSense(await drive.WriteAsync(cdb, Pattern(0, 16)), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Write_without_a_disc_reports_medium_not_present()
    {
        await using var drive = FastDrive();

        AssertSense(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)), SenseKey.NotReady, 0x3A, 0x00);
    }
}
