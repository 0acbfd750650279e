using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>Write sequences of the other profile families and their strict failures.</summary>
public sealed class OtherProfileTests
{
    [Fact]
    public async Task Dvd_plus_rw_accepts_writes_anywhere_and_overwrites()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        AssertGood(await drive.WriteAsync(Write10(5000, 16), Pattern(5000, 16)));
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16, seed: 0x11)));

        Assert.Equal(Pattern(0, 16, seed: 0x11), await drive.ReadDataAsync(Read10(0, 16), 16 * 2048));
        Assert.Equal(Pattern(5000, 16), await drive.ReadDataAsync(Read10(5000, 16), 16 * 2048));
    }

    [Fact]
    public async Task Dvd_plus_rw_refuses_a_write_past_its_capacity_as_out_of_range()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        AssertSense(await drive.WriteAsync(Write10(2_295_100, 16), Pattern(0, 16)), SenseKey.IllegalRequest, 0x21, 0x00);
    }

    [Fact]
    public async Task Dvd_plus_rw_treats_close_session_as_stopping_a_background_format()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusRw);

        AssertGood(await drive.RunAsync(Close(0b010)));
        AssertSense(await drive.RunAsync(Close(0b001, number: 1)), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Cd_r_close_session_finalises_the_disc()
    {
        await using var drive = await ReadyDriveAsync(Profile.CdR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b001, number: 1)));

        AssertGood(await drive.RunAsync(Close(0b010)));

        Assert.Equal(DiscStatus.Complete, drive.CurrentDisc!.Status);
    }

    [Fact]
    public async Task Cd_r_session_close_with_an_open_track_is_a_session_fixation_error()
    {
        await using var drive = await ReadyDriveAsync(Profile.CdR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));

        AssertSense(await drive.RunAsync(Close(0b010)), SenseKey.IllegalRequest, 0x72, 0x03);
    }

    [Fact]
    public async Task Cd_r_disc_information_gives_lead_out_in_msf()
    {
        await using var drive = await ReadyDriveAsync(Profile.CdR);

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);

        // 359,847 blocks + 150 = 359,997 frames = 79:59:72 (MSF, byte 20 = 0).
        Assert.Equal([0, 79, 59, 72], info[20..24]);
    }

    [Fact]
    public async Task Bd_r_closes_a_session_with_010b_and_finalises_with_110b()
    {
        await using var drive = await ReadyDriveAsync(Profile.BdRSequential);
        AssertGood(await drive.WriteAsync(Write10(0, 32), Pattern(0, 32)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b010)));
        uint nextWritable = UInt32At(await drive.ReadDataAsync(ReadTrackInformation(0x01, 0xFF), 48), 12);
        AssertGood(await drive.WriteAsync(Write10(nextWritable, 32), Pattern(nextWritable, 32)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));

        AssertGood(await drive.RunAsync(Close(0b110)));

        var disc = drive.CurrentDisc!;
        Assert.Equal(DiscStatus.Complete, disc.Status);
        Assert.Equal(2, disc.Sessions.Count);
        Assert.Equal(32u, nextWritable);
    }

    [Fact]
    public async Task Bd_r_does_not_define_the_dvd_plus_r_finalise_function()
    {
        await using var drive = await ReadyDriveAsync(Profile.BdRSequential);

        AssertSense(await drive.RunAsync(Close(0b101)), SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task Finalising_an_appendable_disc_drops_its_empty_last_session()
    {
        await using var drive = await ReadyDriveAsync(Profile.DvdPlusR);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.RunAsync(SynchronizeCache()));
        AssertGood(await drive.RunAsync(Close(0b010)));

        AssertGood(await drive.RunAsync(Close(0b101)));

        var info = await drive.ReadDataAsync(ReadDiscInformation(), 34);
        Assert.Equal(0x0E, info[2]);
        Assert.Equal(1, info[4]);
    }
}
