using Farm.Device.Sense;
using Farm.Device.Spc;
using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>Preparing media: reserve, OPC, blank, format; and asking about it: format capacities, media events, sense.</summary>
public sealed partial class MmcDrive
{
    /// <summary>Sense data REQUEST SENSE asks for: the largest SPC allows.</summary>
    private const byte RequestSenseLength = 252;

    /// <summary>RESERVE TRACK of <paramref name="blocks"/> (DVD-R/RW disc-at-once, CD SAO).</summary>
    public Task ReserveTrackAsync(uint blocks, CancellationToken cancellationToken) =>
        ExecuteAsync(MmcCommands.ReserveTrack(blocks), DataDirection.None, Memory<byte>.Empty, _options.DataTimeout, cancellationToken);

    /// <summary>SEND OPC INFORMATION with DoOpc: the drive calibrates its laser power on the medium now.</summary>
    public Task SendOpcAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(MmcCommands.SendOpcInformation(doOpc: true), DataDirection.None, Memory<byte>.Empty, _options.DataTimeout, cancellationToken);

    /// <summary>
    /// BLANK (CD-RW, DVD-RW sequential). With <paramref name="immediate"/> the drive returns at once
    /// and TEST UNIT READY is polled (2/04/07 "operation in progress" meanwhile) until it is done;
    /// without, the command itself may take up to <see cref="MmcDriveOptions.LongOperationLimit"/>.
    /// </summary>
    public Task BlankAsync(BlankingType type, bool immediate, CancellationToken cancellationToken) =>
        RunLongOperationAsync(MmcCommands.Blank(type, immediate), null, immediate, cancellationToken);

    /// <summary>
    /// FORMAT UNIT with one format descriptor. With <paramref name="immediate"/> (Immed in the
    /// format list header) the drive returns at once and TEST UNIT READY is polled (2/04/04
    /// "format in progress" meanwhile); DVD+RW 26h then goes on formatting in the background.
    /// </summary>
    public Task FormatAsync(FormatDescriptor descriptor, bool immediate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return RunLongOperationAsync(MmcCommands.FormatUnit(), descriptor.ToParameterList(immediate), immediate, cancellationToken);
    }

    /// <summary>READ FORMAT CAPACITIES: the current capacity, whether the medium is formatted, and the formats offered.</summary>
    public async Task<FormatCapacities> ReadFormatCapacitiesAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadFormatCapacities();
        var data = await ReadDataAsync(cdb, FormatCapacities.MaximumLength, cancellationToken).ConfigureAwait(false);
        return Parse<FormatCapacities>(cdb, data, FormatCapacities.TryParse);
    }

    /// <summary>GET EVENT STATUS NOTIFICATION, polled, media class: media present, tray open, what changed.</summary>
    public async Task<MediaEvent> GetMediaEventAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.GetEventStatusNotification(NotificationClasses.Media);
        var data = await ReadDataAsync(cdb, MediaEvent.Length, cancellationToken).ConfigureAwait(false);
        return Parse<MediaEvent>(cdb, data, MediaEvent.TryParse);
    }

    /// <summary>
    /// REQUEST SENSE: the drive's current sense, e.g. the progress of a format or blank sent with
    /// Immed (sense key 0 or 2 with the progress indication). "No sense" parses as key 0.
    /// </summary>
    public async Task<SenseData> RequestSenseAsync(CancellationToken cancellationToken)
    {
        var cdb = SpcCommands.RequestSense(RequestSenseLength);
        var data = await ReadDataAsync(cdb, RequestSenseLength, cancellationToken).ConfigureAwait(false);
        return Parse<SenseData>(cdb, data, SenseParser.TryParse);
    }

    /// <summary>Blank and format: one command (with its parameter list, if any), then polling when sent with Immed.</summary>
    private async Task RunLongOperationAsync(Cdb cdb, byte[]? parameterList, bool immediate, CancellationToken cancellationToken)
    {
        var timeout = immediate ? _options.CommandTimeout : _options.LongOperationLimit;
        var (direction, data) = parameterList is null
            ? (DataDirection.None, Memory<byte>.Empty)
            : (DataDirection.ToDevice, parameterList.AsMemory());
        await ExecuteAsync(cdb, direction, data, timeout, cancellationToken).ConfigureAwait(false);
        if (immediate)
        {
            await WaitUntilReadyAsync(afterMediumChange: false, cancellationToken).ConfigureAwait(false);
        }
    }
}
