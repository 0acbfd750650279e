using System.Globalization;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Sense;
using Microsoft.Extensions.Logging;

namespace Farm.Device.Writing;

/// <summary>A write speed to ask for: the drive's fastest, a multiple of the medium's 1x, or sectors per second.</summary>
public sealed record WriteSpeedRequest
{
    private WriteSpeedRequest(double? timesOneX, int? sectorsPerSecond)
    {
        TimesOneX = timesOneX;
        SectorsPerSecondValue = sectorsPerSecond;
    }

    /// <summary>As fast as drive and medium allow.</summary>
    public static WriteSpeedRequest Maximum { get; } = new(null, null);

    public double? TimesOneX { get; }

    public int? SectorsPerSecondValue { get; }

    public bool IsMaximum => TimesOneX is null && SectorsPerSecondValue is null;

    /// <summary>E.g. 16 for "16x" of the loaded medium's family.</summary>
    public static WriteSpeedRequest Times(double x) =>
        double.IsFinite(x) && x > 0 ? new(x, null) : throw new ArgumentOutOfRangeException(nameof(x), x, "a speed is a positive multiple of 1x");

    public static WriteSpeedRequest SectorsPerSecond(int sectors) =>
        sectors > 0 ? new(null, sectors) : throw new ArgumentOutOfRangeException(nameof(sectors), sectors, "sectors per second must be positive");

    /// <summary>The request in kB/s (1000 bytes, as MMC speeds are given) for <paramref name="medium"/>; null for the maximum.</summary>
    public uint? KBps(ProfileInfo? medium) =>
        SectorsPerSecondValue is { } sectors ? (uint)(sectors * (long)MmcDrive.BlockSize / 1000)
        : TimesOneX is { } x && medium is not null ? (uint)(x * medium.OneXBytesPerSecond / 1000)
        : null;

    public override string ToString() =>
        IsMaximum ? "max" : TimesOneX is { } x ? string.Create(CultureInfo.InvariantCulture, $"{x}x") : $"{SectorsPerSecondValue} sectors/s";
}

/// <summary>What speed selection did: the status to return (S_OK or S_IMAPI_SPEEDADJUSTED) and the speed chosen.</summary>
public sealed record SpeedSelectionResult(ImapiError Status, uint? SelectedKBps);

/// <summary>
/// Speed selection, part of step 3 (initialise): SET CD SPEED on CD media, SET STREAMING on DVD
/// and BD (MMC-5; drives ignore SET CD SPEED for DVD/BD or apply it loosely). The speed asked
/// for is first matched against the drive's own list (GET PERFORMANCE type 03h): the fastest
/// offered speed not above the request. If that differs from the request, or the drive answers
/// 1/37/00 (rounded parameter), the result is S_IMAPI_SPEEDADJUSTED, as IDiscFormat2Data reports.
/// A drive that implements neither command keeps its own speed (logged, and adjusted unless the
/// maximum was asked for).
/// </summary>
public static class SpeedSelection
{
    /// <summary>Tolerance when comparing a requested speed to an offered one: drives list rounded kB/s values.</summary>
    private const double Tolerance = 0.01;

    public static async Task<SpeedSelectionResult> ApplyAsync(MmcDrive drive, ProfileInfo? medium, WriteSpeedRequest request, uint endLba, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(logger);
        var offered = await OfferedAsync(drive, cancellationToken).ConfigureAwait(false);
        var wanted = request.KBps(medium);
        var adjusted = false;
        uint? chosen;
        if (wanted is null)
        {
            chosen = offered.Count > 0 ? offered.Max() : null;
        }
        else if (offered.Count > 0)
        {
            var fitting = offered.Where(s => s <= wanted.Value * (1 + Tolerance)).ToList();
            chosen = fitting.Count > 0 ? fitting.Max() : offered.Min();
            adjusted = Math.Abs((double)chosen.Value - wanted.Value) > wanted.Value * Tolerance;
        }
        else
        {
            chosen = wanted;
        }

        try
        {
            var kbps = chosen ?? MmcCommands.MaximumSpeed;
            if (medium?.Family == MediaFamily.Cd || medium is null)
            {
                await drive.SetCdSpeedAsync(MmcCommands.MaximumSpeed, (ushort)Math.Min(kbps, MmcCommands.MaximumSpeed), RotationControl.ConstantLinearVelocity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Read speed "as fast as possible" is 0xFFFFFFFF kB in 1000 ms for SET STREAMING.
                var performance = StreamingPerformance.ForSpeeds(endLba, uint.MaxValue, chosen ?? uint.MaxValue);
                await drive.SetStreamingAsync(performance, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (DeviceException rounded) when (rounded.Error.Error == ImapiErrors.SpeedAdjusted)
        {
            adjusted = true;
        }
        catch (DeviceException refused) when (DriveSupport.IsUnsupported(refused))
        {
            WritingLog.Unsupported(logger, drive.Name, medium?.Family == MediaFamily.Cd ? "SET CD SPEED" : "SET STREAMING", "it writes at its own speed");
            adjusted = !request.IsMaximum;
            chosen = null;
        }

        var status = adjusted ? ImapiErrors.SpeedAdjusted : ImapiErrors.Ok;
        WritingLog.SpeedSelected(logger, drive.Name, request, chosen, status);
        return new SpeedSelectionResult(status, chosen);
    }

    /// <summary>The write speeds (kB/s) the drive offers for the loaded medium; empty when it does not say.</summary>
    public static async Task<IReadOnlyList<uint>> OfferedAsync(MmcDrive drive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        try
        {
            var descriptors = await drive.GetWriteSpeedsAsync(cancellationToken).ConfigureAwait(false);
            return [.. descriptors.Select(d => d.WriteSpeedKBps).Where(s => s > 0).Distinct().Order()];
        }
        catch (DeviceException refused) when (DriveSupport.IsUnsupported(refused) || refused.Error.Sense is { Key: SenseKey.IllegalRequest })
        {
            return [];
        }
    }
}

/// <summary>How the write path recognises a command the drive does not implement.</summary>
internal static class DriveSupport
{
    /// <summary>5/20/00 INVALID COMMAND OPERATION CODE: the drive does not know the command at all.</summary>
    public static bool IsUnsupported(DeviceException failure) =>
        failure.Error.Sense is { Key: SenseKey.IllegalRequest, Asc: 0x20 };
}
