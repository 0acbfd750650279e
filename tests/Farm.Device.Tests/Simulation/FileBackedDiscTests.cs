using Farm.Device.Mmc;
using Farm.Device.Simulation;
using static Farm.Device.Tests.Simulation.SimulatorKit;

namespace Farm.Device.Tests.Simulation;

/// <summary>Discs kept in files survive the process: content and recording state.</summary>
public sealed class FileBackedDiscTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("burnfarm-disc-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_disc_reopened_after_disposal_keeps_its_content_and_state()
    {
        string path = Path.Combine(_folder, "copy-7.dvd");
        await using (var drive = FastDrive())
        {
            drive.Insert(SimulatedDisc.CreateFile(DvdPlusR, "copy-7", path));
            await drive.RunAsync([0x00, 0, 0, 0, 0, 0]);
            AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
            AssertGood(await drive.RunAsync(SynchronizeCache()));
            AssertGood(await drive.RunAsync(Close(0b001, number: 1)));
            AssertGood(await drive.RunAsync(Close(0b010)));
            drive.Eject()!.Dispose();
        }

        using var reopened = SimulatedDisc.OpenFile(path);
        await using var again = FastDrive();
        again.Insert(reopened);
        await again.RunAsync([0x00, 0, 0, 0, 0, 0]);

        Assert.Equal("copy-7", reopened.Id);
        Assert.Equal(Profile.DvdPlusR, reopened.Profile.Profile);
        Assert.Equal(DiscStatus.Incomplete, reopened.Status);
        Assert.Equal(2, reopened.Sessions.Count);
        Assert.Equal(Pattern(0, 16), await again.ReadDataAsync(Read10(0, 16), 16 * 2048));
        var invisible = await again.ReadDataAsync(ReadTrackInformation(0x01, 0xFF), 48);
        Assert.Equal(2, invisible[2]);
    }

    [Fact]
    public async Task Blocks_written_after_the_last_state_save_count_as_recorded_after_a_crash()
    {
        string path = Path.Combine(_folder, "crash.dvd");
        var drive = FastDrive();
        var disc = SimulatedDisc.CreateFile(DvdPlusR, "crash", path);
        drive.Insert(disc);
        await drive.RunAsync([0x00, 0, 0, 0, 0, 0]);
        AssertGood(await drive.WriteAsync(Write10(0, 16), Pattern(0, 16)));
        AssertGood(await drive.WriteAsync(Write10(16, 16), Pattern(16, 16)));

        // The process dies: no SYNCHRONIZE CACHE, no Dispose; only the store's file handle goes.
        disc.Store.Dispose();

        using var reopened = SimulatedDisc.OpenFile(path);
        Assert.Equal(32, reopened.NextWritableAddress);
        Assert.Equal(DiscStatus.Incomplete, reopened.Status);
    }

    [Fact]
    public void Opening_a_disc_that_was_never_created_says_what_is_missing()
    {
        var failure = Assert.Throws<FileNotFoundException>(() => SimulatedDisc.OpenFile(Path.Combine(_folder, "none.dvd")));

        Assert.Contains("none.dvd", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_sidecar_sits_next_to_the_media_file()
    {
        string path = Path.Combine(_folder, "side.dvd");

        using var disc = SimulatedDisc.CreateFile(DvdPlusR, "side", path);

        Assert.True(File.Exists(path + ".state.json"));
        Assert.Contains("\"DvdPlusR\"", File.ReadAllText(path + ".state.json"), StringComparison.Ordinal);
    }
}
