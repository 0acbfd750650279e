using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Farm.Device.Writing;

/// <summary>What an erase did: the medium, how, and how long it took.</summary>
public sealed record EraseResult(Profile Profile, string Method, TimeSpan Duration);

/// <summary>
/// IDiscFormat2Erase: makes a rewritable disc blank again. CD-RW and DVD-RW (sequential or
/// restricted overwrite): BLANK, minimal unless <see cref="FullErase"/> (a full blank rewrites
/// every block and takes as long as a write). DVD+RW: FORMAT UNIT 26h (a quick format: the disc
/// reads as blank, background formatting finishes later). BD-RE: FORMAT UNIT 30h with the quick
/// reformat subtype. Write-once and other media: E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED. The
/// commands go with Immed and TEST UNIT READY is polled while the drive reports progress.
/// </summary>
public sealed class Eraser(MmcDrive drive, ILogger? logger = null)
{
    private readonly MmcDrive _drive = drive ?? throw new ArgumentNullException(nameof(drive));
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>IDiscFormat2Erase::put_FullErase.</summary>
    public bool FullErase { get; init; }

    /// <summary>IDiscFormat2Erase::EraseMedia.</summary>
    public async Task<EraseResult> EraseMediaAsync(CancellationToken cancellationToken)
    {
        var started = _drive.Time.GetTimestamp();
        await _drive.WaitUntilReadyAsync(afterMediumChange: true, cancellationToken).ConfigureAwait(false);
        var profile = await _drive.GetCurrentProfileAsync(cancellationToken).ConfigureAwait(false);
        if (profile == Profile.None)
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.RecorderMediaNoMedia, Disposition.NeedsOperator, $"{_drive.Name}: there is no disc to erase"));
        }

        var info = Profiles.All.FirstOrDefault(p => p.Profile == profile);
        string method;
        switch (profile)
        {
            case Profile.CdRw or Profile.DvdRwSequential or Profile.DvdRwRestrictedOverwrite:
                var type = FullErase ? BlankingType.Full : BlankingType.Minimal;
                method = $"BLANK ({type})";
                WritingLog.Erasing(_logger, _drive.Name, info!.Name, method);
                await _drive.BlankAsync(type, immediate: true, cancellationToken).ConfigureAwait(false);
                break;
            case Profile.DvdPlusRw or Profile.BdRe:
                method = await FormatAsync(info!, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new DeviceException(DeviceErrors.Of(
                    ImapiErrors.Df2DataMediaIsNotSupported,
                    Disposition.NeedsOperator,
                    $"{_drive.Name}: a {info?.Name ?? $"profile {(ushort)profile:X4}h"} disc cannot be erased (only CD-RW, DVD-RW, DVD+RW and BD-RE can)"));
        }

        return new EraseResult(profile, method, _drive.Time.GetElapsedTime(started));
    }

    /// <summary>Formats a DVD+RW (26h) or BD-RE (30h, quick reformat); also the data writer's format step for unformatted media.</summary>
    internal async Task<string> FormatAsync(ProfileInfo info, CancellationToken cancellationToken)
    {
        FormatDescriptor descriptor;
        if (info.Profile == Profile.BdRe)
        {
            // The drive's own offer carries the block count; fall back to the whole medium.
            var offered = (await _drive.ReadFormatCapacitiesAsync(cancellationToken).ConfigureAwait(false)).Offered(FormatType.BdReWithSpareAreas);
            descriptor = offered is null
                ? FormatDescriptor.BdRe(spareAreas: true, FormatDescriptor.MaximumBlocks, BdFormatSubtype.QuickReformat)
                : FormatDescriptor.From(offered, (byte)BdFormatSubtype.QuickReformat);
        }
        else if (info.Profile == Profile.DvdPlusRw)
        {
            descriptor = FormatDescriptor.DvdPlusRwBasic();
        }
        else
        {
            throw new DeviceException(DeviceErrors.Of(ImapiErrors.Df2DataMediaIsNotSupported, Disposition.NeedsOperator, $"{_drive.Name}: a {info.Name} disc is not formatted by the farm"));
        }

        var method = $"FORMAT UNIT ({descriptor.Type})";
        WritingLog.Erasing(_logger, _drive.Name, info.Name, method);
        await _drive.FormatAsync(descriptor, immediate: true, cancellationToken).ConfigureAwait(false);
        return method;
    }
}
