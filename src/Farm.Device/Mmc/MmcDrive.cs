using Farm.Device.Errors;
using Farm.Device.Sbc;
using Farm.Device.Sense;
using Farm.Device.Spc;
using Farm.Device.Transports;
using Farm.Messages;

namespace Farm.Device.Mmc;

/// <summary>Timeouts and polling of an <see cref="MmcDrive"/>; validated when the drive is created.</summary>
public sealed record MmcDriveOptions
{
    /// <summary>Ordinary commands (INQUIRY, READ DISC INFORMATION...).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>WRITE, READ and the synchronous flush: a drive can hold a WRITE while its buffer drains.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often TEST UNIT READY is sent while the drive reports an operation in progress.</summary>
    public TimeSpan ReadyPollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long closing, formatting or becoming ready may take before the drive is declared hung.</summary>
    public TimeSpan LongOperationLimit { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a command answered "retry" (unit attention, aborted) is sent again.</summary>
    public int CommandRetries { get; init; } = 3;

    public MmcDriveOptions Validate()
    {
        if (CommandTimeout <= TimeSpan.Zero || DataTimeout <= TimeSpan.Zero || ReadyPollInterval <= TimeSpan.Zero || LongOperationLimit <= TimeSpan.Zero)
        {
            throw new ArgumentException("MmcDriveOptions: every timeout and interval must be positive");
        }

        return CommandRetries < 0
            ? throw new ArgumentException($"MmcDriveOptions.CommandRetries must be >= 0, not {CommandRetries}")
            : this;
    }
}

/// <summary>
/// An MMC drive behind a transport: each method sends one command, decodes the answer once and
/// turns CHECK CONDITION into a <see cref="DeviceException"/> carrying the IMAPI2 error and its
/// disposition. Owned by one RecorderActor; not thread-safe (neither is a drive).
/// </summary>
public sealed partial class MmcDrive
{
    private readonly IScsiTransport _transport;
    private readonly TimeProvider _time;
    private readonly MmcDriveOptions _options;

    public MmcDrive(IScsiTransport transport, TimeProvider time, MmcDriveOptions? options = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _options = (options ?? new MmcDriveOptions()).Validate();
    }

    public string Name => _transport.Name;

    /// <summary>The largest data phase of one command: the write path never sends more.</summary>
    public int MaxTransferBytes => _transport.MaxTransferBytes;

    public TimeProvider Time => _time;

    public MmcDriveOptions Options => _options;

    /// <summary>
    /// Sends one command. Dispositions of <see cref="Disposition.RetryCommand"/> (unit attention,
    /// aborted command) are retried here; sense that is no error (<see cref="Disposition.None"/>:
    /// no sense, recovered error) completes the command as GOOD with its sense attached;
    /// everything else is thrown for the caller to act on.
    /// </summary>
    public async Task<ScsiResult> ExecuteAsync(Cdb cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cdb);
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScsiResult result;
            try
            {
                result = await _transport.ExecuteAsync(cdb.Bytes, direction, data, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (ScsiTransportException failure)
            {
                throw new DeviceException(DeviceErrors.FromTransport(failure, cdb.Name));
            }

            if (result.IsGood)
            {
                return result;
            }

            var error = result.Status == ScsiStatus.CheckCondition
                ? DeviceErrors.FromSense(result.Sense.Span, cdb.Name)
                : DeviceErrors.Of(
                    ImapiErrors.UnexpectedResponseFromDevice,
                    result.Status is ScsiStatus.Busy or ScsiStatus.TaskSetFull ? Disposition.RetryCommand : Disposition.FailDisc,
                    $"{cdb.Name}: the drive answered status {result.Status} ({(byte)result.Status:X2}h)");
            if (error.Disposition == Disposition.RetryCommand && attempt < _options.CommandRetries)
            {
                continue;
            }

            if (error.Disposition == Disposition.None && result.Status == ScsiStatus.CheckCondition)
            {
                // NO SENSE and RECOVERED ERROR: the command completed (SPC-4 4.5.6), its data
                // phase included. Failing it would reject a good disc over a retry the drive
                // already won. The sense stays on the result for a caller that asks about it
                // (SET CD SPEED / SET STREAMING: a rounded speed).
                return new ScsiResult(ScsiStatus.Good, result.Sense, result.Residual);
            }

            throw new DeviceException(error);
        }
    }

    /// <summary>Sends a command whose answer is read into a fresh buffer, and returns the bytes the drive filled.</summary>
    private async Task<byte[]> ReadDataAsync(Cdb cdb, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var result = await ExecuteAsync(cdb, DataDirection.FromDevice, buffer, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        var filled = Math.Clamp(length - result.Residual, 0, length);
        return filled == length ? buffer : buffer[..filled];
    }

    private delegate bool Parser<T>(ReadOnlySpan<byte> data, out T value, out string? problem);

    private static T Parse<T>(Cdb cdb, byte[] data, Parser<T> parser)
    {
        return parser(data, out var value, out var problem)
            ? value
            : throw new DeviceException(DeviceErrors.InvalidResponse(cdb.Name, data, problem ?? "unparseable answer"));
    }

    public async Task<InquiryData> InquiryAsync(CancellationToken cancellationToken)
    {
        var cdb = SpcCommands.Inquiry();
        return Parse<InquiryData>(cdb, await ReadDataAsync(cdb, 96, cancellationToken).ConfigureAwait(false), InquiryData.TryParse);
    }

    public async Task<Configuration> GetConfigurationAsync(ConfigurationRequest request, ushort startingFeature, CancellationToken cancellationToken)
    {
        const ushort allocation = 4096;
        var cdb = MmcCommands.GetConfiguration(request, startingFeature, allocation);
        return Parse<Configuration>(cdb, await ReadDataAsync(cdb, allocation, cancellationToken).ConfigureAwait(false), Configuration.TryParse);
    }

    /// <summary>The loaded medium's profile (GET CONFIGURATION header), <see cref="Profile.None"/> without one.</summary>
    public async Task<Profile> GetCurrentProfileAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.GetConfiguration(ConfigurationRequest.One, 0x0000, Configuration.HeaderLength);
        var data = await ReadDataAsync(cdb, Configuration.HeaderLength, cancellationToken).ConfigureAwait(false);
        return Parse<Configuration>(cdb, data, Configuration.TryParse).CurrentProfile;
    }

    public async Task<DiscInformation> ReadDiscInformationAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadDiscInformation();
        return Parse<DiscInformation>(cdb, await ReadDataAsync(cdb, DiscInformation.StandardLength, cancellationToken).ConfigureAwait(false), DiscInformation.TryParse);
    }

    public async Task<TrackInformation> ReadTrackInformationAsync(TrackAddressType type, uint address, CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadTrackInformation(type, address);
        return Parse<TrackInformation>(cdb, await ReadDataAsync(cdb, TrackInformation.StandardLength, cancellationToken).ConfigureAwait(false), TrackInformation.TryParse);
    }

    public async Task<CapacityData> ReadCapacityAsync(CancellationToken cancellationToken)
    {
        var cdb = SbcCommands.ReadCapacity();
        return Parse<CapacityData>(cdb, await ReadDataAsync(cdb, CapacityData.Length, cancellationToken).ConfigureAwait(false), CapacityData.TryParse);
    }

    public async Task<BufferCapacity> ReadBufferCapacityAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.ReadBufferCapacity();
        return Parse<BufferCapacity>(cdb, await ReadDataAsync(cdb, BufferCapacity.Length, cancellationToken).ConfigureAwait(false), BufferCapacity.TryParse);
    }

    public Task TestUnitReadyAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(SpcCommands.TestUnitReady(), DataDirection.None, Memory<byte>.Empty, _options.CommandTimeout, cancellationToken);

    public Task PreventMediumRemovalAsync(bool prevent, CancellationToken cancellationToken) =>
        ExecuteAsync(SpcCommands.PreventAllowMediumRemoval(prevent), DataDirection.None, Memory<byte>.Empty, _options.CommandTimeout, cancellationToken);

    public Task StartStopUnitAsync(bool loadEject, bool start, CancellationToken cancellationToken) =>
        ExecuteAsync(SbcCommands.StartStopUnit(immediate: false, loadEject, start), DataDirection.None, Memory<byte>.Empty, _options.DataTimeout, cancellationToken);
}
