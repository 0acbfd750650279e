using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Tests.Errors;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>
/// The fault table: every seed error code the drive can report (one sense per code,
/// <see cref="SenseTableTests.ReachableCodes"/>) injected once into a simulated DVD+R drive at
/// each phase of a burn (load, prepare, write, close, verify), through the farm's
/// <see cref="DataWriter"/>. Each row ends as the table says: the device layer absorbs what is no
/// error or worth waiting for where it waits, and fails the burn with exactly the injected code
/// and its disposition otherwise. What the recorder then does with the disc and the drive is the
/// disposition's (docs/RELIABILITY.md, "Fault table").
/// </summary>
public sealed class FaultTableTests : IDisposable
{
    private const int ImageBlocks = 64;

    private readonly TempDirectory _folder = new("farm-fault-table");

    public void Dispose() => _folder.Dispose();

    public enum Phase
    {
        Load,
        Prepare,
        Write,
        Close,
        Verify,
    }

    /// <summary>Where each phase's fault lands: the command the phase cannot do without.</summary>
    private static FaultTrigger TriggerOf(Phase phase) => phase switch
    {
        Phase.Load => FaultTrigger.On(0x00), // TEST UNIT READY after the disc came in
        Phase.Prepare => FaultTrigger.On(0x51), // READ DISC INFORMATION: is the disc blank, where does writing start
        Phase.Write => FaultTrigger.On(0x2A).After(2), // the third WRITE(10)
        Phase.Close => FaultTrigger.On(0x5B), // CLOSE TRACK/SESSION
        _ => FaultTrigger.On(0x28), // READ(10) of the read-back
    };

    public static TheoryData<Phase, string, string, Disposition> Rows()
    {
        var rows = new TheoryData<Phase, string, string, Disposition>();
        foreach (var phase in Enum.GetValues<Phase>())
        {
            foreach (var code in SenseTableTests.ReachableCodes)
            {
                rows.Add(phase, (string)code[3], $"{(byte)(SenseKey)code[0]:X}/{(byte)code[1]:X2}/{(byte)code[2]:X2}", (Disposition)code[5]);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task An_injected_code_ends_the_burn_as_its_disposition_says(Phase phase, string code, string sense, Disposition disposition)
    {
        var parts = sense.Split('/');
        var (key, asc, ascq) = ((SenseKey)Convert.ToByte(parts[0], 16), Convert.ToByte(parts[1], 16), Convert.ToByte(parts[2], 16));
        await using var drive = new SimulatedDrive(new SimulatedDriveOptions
        {
            UnlimitedSpeed = true,
            CloseTrackDuration = TimeSpan.Zero,
            CloseSessionDuration = TimeSpan.Zero,
            FinalizeDuration = TimeSpan.Zero,
        });
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.DvdPlusR), "disc-1", new MemoryMediaStore()));
        var mmc = new MmcDrive(drive, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1) });
        await mmc.WaitUntilReadyAsync(afterMediumChange: true, CancellationToken.None); // the insertion's unit attention
        drive.Faults.InjectOnce(TriggerOf(phase), Fault.WithSense(key, asc, ascq));

        var outcome = await BurnAsync(mmc);

        Assert.True(drive.Faults.Fired >= 1, $"the {phase} fault never fired");
        if (Absorbed(phase, key, disposition))
        {
            Assert.Equal("verified", outcome.Summary);
        }
        else
        {
            Assert.Equal($"failed: {code} {disposition}", outcome.Summary);
            Assert.Contains($"[sense {sense}", outcome.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// What the device layer takes in its stride: no error at all (None); a command retried at once
    /// (RetryCommand); "not ready, wait" where the layer polls (the TEST UNIT READY after loading,
    /// a WRITE while the drive's buffer drains); a unit attention right after a disc came in.
    /// </summary>
    private static bool Absorbed(Phase phase, SenseKey key, Disposition disposition) =>
        disposition is Disposition.None or Disposition.RetryCommand
        || (disposition == Disposition.WaitAndRetry && phase is Phase.Load or Phase.Write)
        || (phase == Phase.Load && key == SenseKey.UnitAttention);

    private async Task<(string Summary, string Message)> BurnAsync(MmcDrive mmc)
    {
        var path = _folder.PathOf("image.iso");
        var bytes = new byte[ImageBlocks * MmcDrive.BlockSize];
        new Random(ImageBlocks).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var burned = await new DataWriter(mmc).BurnAsync(ImageSource.Open(path), null, CancellationToken.None);
            return burned.Verified ? ("verified", "") : ("verify mismatch", burned.Verify?.Problem ?? "");
        }
        catch (DeviceException failure)
        {
            return ($"failed: {failure.Error.Error.Name} {failure.Error.Disposition}", failure.Error.Message);
        }
    }
}
