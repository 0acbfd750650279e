using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// A simulated drive with a disc in it and the real <see cref="MmcDrive"/> on top: the tests of
/// the full command set talk to the simulator through the same methods the farm uses.
/// </summary>
internal sealed class MmcRig : IAsyncDisposable
{
    private MmcRig(SimulatedDrive drive, MmcDrive mmc)
    {
        Drive = drive;
        Mmc = mmc;
    }

    public SimulatedDrive Drive { get; }

    public MmcDrive Mmc { get; }

    public SimulatedDisc Disc => Drive.CurrentDisc!;

    /// <summary>Unlimited speed unless <paramref name="options"/> say otherwise; the insertion's unit attention consumed.</summary>
    public static async Task<MmcRig> StartAsync(
        Profile profile,
        SimulatedDriveOptions? options = null,
        TimeProvider? clock = null,
        bool unformatted = false,
        MmcDriveOptions? mmcOptions = null)
    {
        var drive = new SimulatedDrive(options ?? new SimulatedDriveOptions { UnlimitedSpeed = true }, clock);
        var info = Profiles.Get(profile);
        drive.Insert(unformatted
            ? SimulatedDisc.Unformatted(info, "disc-1", new MemoryMediaStore())
            : SimulatedDisc.Blank(info, "disc-1", new MemoryMediaStore()));
        var mmc = new MmcDrive(drive, clock ?? TimeProvider.System, mmcOptions ?? new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });
        drive.Faults.Clear();
        var rig = new MmcRig(drive, mmc);
        await rig.ConsumeUnitAttentionAsync();
        return rig;
    }

    /// <summary>The sense code ("5/26/00") of the DeviceException <paramref name="action"/> throws.</summary>
    public static async Task<string> SenseOfAsync(Func<Task> action)
    {
        var failure = await Assert.ThrowsAsync<DeviceException>(action);
        Assert.NotNull(failure.Error.Sense);
        return failure.Error.Sense.Value.Code;
    }

    /// <summary>Writes <paramref name="blocks"/> of <see cref="SimulatorKit.Pattern"/> at <paramref name="lba"/> in 16-block WRITE(10)s.</summary>
    public async Task WritePatternAsync(int lba, int blocks, byte seed = 0x5A)
    {
        for (int done = 0; done < blocks; done += 16)
        {
            int count = Math.Min(16, blocks - done);
            await Mmc.WriteAsync(lba + done, SimulatorKit.Pattern(lba + done, count, seed), streamingWrite12: false, CancellationToken.None);
        }
    }

    /// <summary>Reads <paramref name="blocks"/> at <paramref name="lba"/> back, in READ(10)s the adapter can carry.</summary>
    public async Task<byte[]> ReadAsync(int lba, int blocks)
    {
        var buffer = new byte[blocks * 2048];
        int perCommand = Drive.MaxTransferBytes / 2048;
        for (int done = 0; done < blocks; done += perCommand)
        {
            int count = Math.Min(perCommand, blocks - done);
            await Mmc.ReadAsync(lba + done, buffer.AsMemory(done * 2048, count * 2048), CancellationToken.None);
        }

        return buffer;
    }

    public ValueTask DisposeAsync() => Drive.DisposeAsync();

    private async Task ConsumeUnitAttentionAsync()
    {
        try
        {
            await Mmc.TestUnitReadyAsync(CancellationToken.None);
        }
        catch (DeviceException attention) when (attention.Error.Sense?.Code == "6/28/00")
        {
        }
    }
}
