using Farm.Device.Mmc;
using Farm.Device.Sense;
using Farm.Device.Simulation;
using Farm.Device.Transports;

namespace Farm.Device.Tests.Simulation;

/// <summary>
/// Shared plumbing for the simulator tests: running a raw CDB, asserting status and sense
/// (fixed format, SPC-4 4.5.3: key in byte 2 bits 3-0, ASC byte 12, ASCQ byte 13, progress in
/// bytes 16-17 after SKSV in byte 15), and the WRITE/READ CDBs the burn tests repeat.
/// </summary>
internal static class SimulatorKit
{
    public static readonly TimeSpan Patient = TimeSpan.FromHours(10);

    public static ProfileInfo DvdPlusR => Profiles.Get(Profile.DvdPlusR);

    public static SimulatedDrive FastDrive(SimulatedDriveOptions? options = null) =>
        new((options ?? new SimulatedDriveOptions()) with { UnlimitedSpeed = true });

    /// <summary>A fast drive with a blank disc in it and the insertion's unit attention already consumed.</summary>
    public static async Task<SimulatedDrive> ReadyDriveAsync(Profile profile = Profile.DvdPlusR, SimulatedDriveOptions? options = null, TimeProvider? clock = null)
    {
        var drive = new SimulatedDrive((options ?? new SimulatedDriveOptions { UnlimitedSpeed = true }), clock);
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(profile), "disc-1", new MemoryMediaStore()));
        AssertSense(await drive.RunAsync([0x00, 0, 0, 0, 0, 0]), SenseKey.UnitAttention, 0x28, 0x00);
        return drive;
    }

    public static async Task<ScsiResult> RunAsync(this SimulatedDrive drive, byte[] cdb, byte[]? dataIn = null) =>
        await drive.ExecuteAsync(
            cdb,
            dataIn is null ? DataDirection.None : DataDirection.FromDevice,
            dataIn ?? Memory<byte>.Empty,
            Patient,
            CancellationToken.None);

    public static ValueTask<ScsiResult> WriteAsync(this SimulatedDrive drive, byte[] cdb, byte[] dataOut) =>
        drive.ExecuteAsync(cdb, DataDirection.ToDevice, dataOut, Patient, CancellationToken.None);

    /// <summary>Runs a data-in CDB and returns the bytes moved.</summary>
    public static async Task<byte[]> ReadDataAsync(this SimulatedDrive drive, byte[] cdb, int length)
    {
        var buffer = new byte[length];
        var result = await drive.RunAsync(cdb, buffer);
        AssertGood(result);
        return buffer[..(length - result.Residual)];
    }

    public static void AssertGood(ScsiResult result) =>
        Assert.True(result.IsGood, result.IsGood ? null : $"expected GOOD, got sense {Describe(result)}");

    public static void AssertSense(ScsiResult result, SenseKey key, byte asc, byte ascq)
    {
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
        Assert.Equal($"{(byte)key:X1}/{asc:X2}/{ascq:X2}", Describe(result));
    }

    public static string Describe(ScsiResult result)
    {
        var sense = result.Sense.Span;
        return sense.Length < 14 ? "(none)" : $"{sense[2] & 0x0F:X1}/{sense[12]:X2}/{sense[13]:X2}";
    }

    /// <summary>The progress indication of a sense (bytes 16-17 when SKSV, byte 15 bit 7, is set).</summary>
    public static int? Progress(ScsiResult result)
    {
        var sense = result.Sense.Span;
        return (sense[15] & 0x80) != 0 ? (sense[16] << 8) | sense[17] : null;
    }

    /// <summary>WRITE(10) (SBC-3 table "WRITE(10) command"): 2Ah, flags, LBA (2-5), group, TRANSFER LENGTH (7-8), CONTROL.</summary>
    public static byte[] Write10(uint lba, ushort blocks) =>
        [0x2A, 0x00, (byte)(lba >> 24), (byte)(lba >> 16), (byte)(lba >> 8), (byte)lba, 0x00, (byte)(blocks >> 8), (byte)blocks, 0x00];

    /// <summary>READ(10) (SBC-3 table "READ(10) command"): 28h, flags, LBA (2-5), group, TRANSFER LENGTH (7-8), CONTROL.</summary>
    public static byte[] Read10(uint lba, ushort blocks) =>
        [0x28, 0x00, (byte)(lba >> 24), (byte)(lba >> 16), (byte)(lba >> 8), (byte)lba, 0x00, (byte)(blocks >> 8), (byte)blocks, 0x00];

    /// <summary>SYNCHRONIZE CACHE(10) (SBC-3): 35h, byte 1 bit 1 IMMED, rest zero.</summary>
    public static byte[] SynchronizeCache(bool immediate = false) => [0x35, (byte)(immediate ? 0x02 : 0x00), 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>CLOSE TRACK/SESSION (MMC-6): 5Bh, byte 1 bit 0 IMMED, byte 2 close function, bytes 4-5 track number.</summary>
    public static byte[] Close(byte function, ushort number = 0, bool immediate = false) =>
        [0x5B, (byte)(immediate ? 0x01 : 0x00), function, 0x00, (byte)(number >> 8), (byte)number, 0, 0, 0, 0];

    /// <summary>READ DISC INFORMATION (MMC-6): 51h, data type 000b, ALLOCATION LENGTH (7-8) = 34.</summary>
    public static byte[] ReadDiscInformation() => [0x51, 0x00, 0, 0, 0, 0, 0, 0x00, 34, 0x00];

    /// <summary>READ TRACK INFORMATION (MMC-6): 52h, byte 1 address type, bytes 2-5 value, ALLOCATION LENGTH (7-8) = 48.</summary>
    public static byte[] ReadTrackInformation(byte addressType, uint value) =>
        [0x52, addressType, (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value, 0x00, 0x00, 48, 0x00];

    /// <summary>A recognisable pattern: each block starts with its LBA and a seed.</summary>
    public static byte[] Pattern(long firstLba, int blocks, byte seed = 0x5A)
    {
        var data = new byte[blocks * 2048];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)((i * 31) ^ seed ^ (firstLba + (i / 2048)));
        }

        return data;
    }

    public static uint UInt32At(byte[] data, int offset) =>
        (uint)((data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3]);

    public static int UInt16At(byte[] data, int offset) => (data[offset] << 8) | data[offset + 1];
}
