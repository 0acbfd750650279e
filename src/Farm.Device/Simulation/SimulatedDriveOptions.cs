using System.Text;

namespace Farm.Device.Simulation;

/// <summary>
/// How a <see cref="SimulatedDrive"/> presents itself and how fast it works. Simulated time runs
/// <see cref="TimeScale"/> times faster than the injected clock: a 16x DVD+R that takes about 4
/// minutes to fill at scale 1 fills in under a second at scale 300.
/// </summary>
public sealed record SimulatedDriveOptions
{
    /// <summary>A name for messages (the transport's <c>Name</c>), e.g. "sim:tower1/drive2".</summary>
    public string Name { get; init; } = "sim:drive";

    /// <summary>INQUIRY T10 vendor identification (at most 8 ASCII characters, space padded).</summary>
    public string Vendor { get; init; } = "BURNFARM";

    /// <summary>INQUIRY product identification (at most 16 ASCII characters).</summary>
    public string Product { get; init; } = "SIMULATED MMC";

    /// <summary>INQUIRY product revision level (at most 4 ASCII characters).</summary>
    public string Revision { get; init; } = "1.00";

    /// <summary>INQUIRY VPD page 80h unit serial number (printable ASCII).</summary>
    public string SerialNumber { get; init; } = "SIM0000001";

    /// <summary>Size of the drive's write buffer; READ BUFFER CAPACITY reports it.</summary>
    public int BufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>The largest data phase one command may carry (the adapter's limit); larger ones fail in the transport.</summary>
    public int MaxTransferBytes { get; init; } = 64 * 1024;

    /// <summary>How many times faster than the clock simulated time runs (at least 1).</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>No pacing and no simulated durations at all: every command completes at once (tests, benchmarks).</summary>
    public bool UnlimitedSpeed { get; init; }

    /// <summary>
    /// Power-on value of BUFE in the write parameters page (buffer-underrun-free recording, BURN-Proof
    /// and kin: a starved buffer pauses instead of ruining the disc); MODE SELECT page 05h changes it.
    /// </summary>
    public bool BufferUnderrunFree { get; init; } = true;

    /// <summary>
    /// Power-on write speed (CLV) as a multiple of the medium's 1x, also offered in GET PERFORMANCE;
    /// null writes at the medium's highest speed. SET CD SPEED / SET STREAMING select another.
    /// </summary>
    public double? WriteSpeedX { get; init; }

    /// <summary>Simulated time a CLOSE TRACK takes.</summary>
    public TimeSpan CloseTrackDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Simulated time a CLOSE SESSION takes (lead-out / closure).</summary>
    public TimeSpan CloseSessionDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Simulated time finalising a disc takes.</summary>
    public TimeSpan FinalizeDuration { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Simulated time SEND OPC INFORMATION with DoOpc takes (power calibration).</summary>
    public TimeSpan OpcDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Simulated time of a quick format (DVD-RW 15h, BD-RE without certification, DVD-RAM).</summary>
    public TimeSpan QuickFormatDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Simulated time of the foreground part of a DVD+RW basic format (26h) before it goes on in the background.</summary>
    public TimeSpan BackgroundFormatStartDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Simulated time of a minimal BLANK (a full one takes as long as recording the whole disc).</summary>
    public TimeSpan MinimalBlankDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        CheckAscii(Vendor, 8, nameof(Vendor));
        CheckAscii(Product, 16, nameof(Product));
        CheckAscii(Revision, 4, nameof(Revision));
        CheckAscii(SerialNumber, 64, nameof(SerialNumber));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTransferBytes, 2048, nameof(MaxTransferBytes));
        if (MaxTransferBytes % 2048 != 0)
        {
            throw new ArgumentException($"MaxTransferBytes ({MaxTransferBytes}) must be a multiple of 2048", nameof(MaxTransferBytes));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(BufferBytes, MaxTransferBytes, nameof(BufferBytes));
        if (double.IsNaN(TimeScale) || double.IsInfinity(TimeScale) || TimeScale < 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeScale), TimeScale, "TimeScale must be a finite number >= 1");
        }

        if (WriteSpeedX is { } speed && (double.IsNaN(speed) || double.IsInfinity(speed) || speed <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(WriteSpeedX), speed, "WriteSpeedX must be a positive finite number");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(CloseTrackDuration, TimeSpan.Zero, nameof(CloseTrackDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(CloseSessionDuration, TimeSpan.Zero, nameof(CloseSessionDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(FinalizeDuration, TimeSpan.Zero, nameof(FinalizeDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(OpcDuration, TimeSpan.Zero, nameof(OpcDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(QuickFormatDuration, TimeSpan.Zero, nameof(QuickFormatDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(BackgroundFormatStartDuration, TimeSpan.Zero, nameof(BackgroundFormatStartDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimalBlankDuration, TimeSpan.Zero, nameof(MinimalBlankDuration));
    }

    private static void CheckAscii(string value, int maxLength, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length > maxLength || value.Any(c => c < 0x20 || c > 0x7E))
        {
            throw new ArgumentException($"{name} must be at most {maxLength} printable ASCII characters, not \"{value}\"", name);
        }
    }

    /// <summary>The field padded with spaces to its INQUIRY width (SPC-4: ASCII, left-aligned, space-filled).</summary>
    internal static byte[] PadAscii(string value, int width) => Encoding.ASCII.GetBytes(value.PadRight(width));
}
