using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Tests.Errors;
using Farm.Messages;
using Xunit.Abstractions;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// Every seed error code that sense can lead to, end to end: the sense is injected as a fault in
/// the simulated drive, a command runs through <see cref="MmcDrive"/>, the transport hands the
/// CHECK CONDITION to the sense parser and the error table, and the <see cref="DeviceException"/>
/// carries the IMAPI code's HRESULT and the disposition. The rows are
/// <see cref="SenseTableTests.ReachableCodes"/> (one sense per code the table can produce).
/// </summary>
public sealed class SeedErrorsThroughSimulatorTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(SenseTableTests.ReachableCodes), MemberType = typeof(SenseTableTests))]
    public async Task An_injected_sense_reaches_the_error_model_with_its_hresult_and_disposition(
        SenseKey key, byte asc, byte ascq, string name, uint hresult, Disposition disposition)
    {
        var error = await ThroughSimulatorAsync(key, asc, ascq);

        Assert.Equal(name, error.Error.Name);
        Assert.Equal(hresult, error.Error.HResult);
        Assert.Equal(disposition, error.Disposition);
        Assert.Equal($"{(byte)key:X}/{asc:X2}/{ascq:X2}", error.Sense?.Code);
        output.WriteLine($"{error.Sense?.Code} -> {error.Error} {error.Disposition}");
    }

    [Fact]
    public async Task Every_seed_code_reachable_from_sense_goes_through_the_simulator_and_the_unreachable_ones_are_listed()
    {
        var covered = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in SenseTableTests.ReachableCodes)
        {
            var error = await ThroughSimulatorAsync((SenseKey)row[0], (byte)row[1], (byte)row[2]);
            Assert.Equal((uint)row[4], error.Error.HResult);
            Assert.Equal((Disposition)row[5], error.Disposition);
            covered.Add(error.Error.Name);
        }

        var unreachable = ImapiErrors.All.Where(code => !covered.Contains(code.Name)).Select(code => code.ToString()).ToList();
        output.WriteLine($"covered through the simulator: {covered.Count} of {ImapiErrors.All.Length} seed codes");
        output.WriteLine($"no sense mapping ({unreachable.Count}): {string.Join(", ", unreachable)}");

        var inTable = SenseTable.Rows.Select(row => row.Error.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(inTable.Order(StringComparer.Ordinal), covered);
        Assert.Equal(ImapiErrors.All.Length, covered.Count + unreachable.Count);
    }

    /// <summary>
    /// The sense answers the command a drive would report it on: NOT READY, UNIT ATTENTION and
    /// the informational keys on TEST UNIT READY, everything else on a WRITE(10) at the NWA. The
    /// informational keys complete the command; their error is the sense the GOOD result carries.
    /// </summary>
    private static async Task<DeviceError> ThroughSimulatorAsync(SenseKey key, byte asc, byte ascq)
    {
        await using var rig = await MmcRig.StartAsync(Profile.DvdPlusR);
        bool onTestUnitReady = key is SenseKey.NotReady or SenseKey.UnitAttention or SenseKey.NoSense or SenseKey.RecoveredError;
        byte operationCode = onTestUnitReady ? (byte)0x00 : (byte)0x2A;
        rig.Drive.Faults.InjectPersistent(FaultTrigger.On(operationCode), Fault.WithSense(key, asc, ascq));

        if (key is SenseKey.NoSense or SenseKey.RecoveredError)
        {
            // No error: the command completes, and the sense it carried still classifies.
            var completed = await rig.Mmc.ExecuteAsync(Farm.Device.Spc.SpcCommands.TestUnitReady(), Farm.Device.Transports.DataDirection.None, Memory<byte>.Empty, TimeSpan.FromSeconds(5), CancellationToken.None);
            Assert.True(completed.IsGood);
            return DeviceErrors.FromSense(completed.Sense.Span, "TEST UNIT READY");
        }

        var failure = await Assert.ThrowsAsync<DeviceException>(() => onTestUnitReady
            ? rig.Mmc.TestUnitReadyAsync(CancellationToken.None)
            : rig.Mmc.WriteAsync(0, new byte[16 * MmcDrive.BlockSize], streamingWrite12: false, CancellationToken.None));
        return failure.Error;
    }
}
