using Farm.Device.Errors;
using Farm.Device.Spc;
using Farm.Device.Transports;

namespace Farm.Device.Mmc;

/// <summary>Mode pages and speeds: write parameters (05h), capabilities (2Ah), GET PERFORMANCE, SET CD SPEED / SET STREAMING.</summary>
public sealed partial class MmcDrive
{
    /// <summary>Write speed descriptors asked for at most: drives list a dozen or fewer.</summary>
    private const ushort MaximumWriteSpeedDescriptors = 64;

    /// <summary>The current write parameters page (05h).</summary>
    public async Task<WriteParameters> ModeSenseWriteParametersAsync(CancellationToken cancellationToken)
    {
        var cdb = SpcCommands.ModeSense10(WriteParameters.PageCode, WriteParameters.ModeSenseLength);
        var data = await ReadDataAsync(cdb, WriteParameters.ModeSenseLength, cancellationToken).ConfigureAwait(false);
        return Parse<WriteParameters>(cdb, data, WriteParameters.TryParse);
    }

    /// <summary>MODE SELECT(10) with PF set and page 05h built from <paramref name="parameters"/>.</summary>
    public Task ModeSelectWriteParametersAsync(WriteParameters parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return SendParameterListAsync(
            length => SpcCommands.ModeSelect10(length),
            parameters.ToModeSelectParameterList(),
            _options.CommandTimeout,
            cancellationToken);
    }

    /// <summary>The capabilities and mechanical status page (2Ah): what the drive reads and writes, its buffer and speeds.</summary>
    public async Task<Capabilities> ReadCapabilitiesAsync(CancellationToken cancellationToken)
    {
        var cdb = SpcCommands.ModeSense10(Capabilities.PageCode, Capabilities.ModeSenseLength);
        var data = await ReadDataAsync(cdb, Capabilities.ModeSenseLength, cancellationToken).ConfigureAwait(false);
        return Parse<Capabilities>(cdb, data, Capabilities.TryParse);
    }

    /// <summary>GET PERFORMANCE type 03h: the write speeds the drive offers for the loaded medium.</summary>
    public async Task<IReadOnlyList<WriteSpeedDescriptor>> GetWriteSpeedsAsync(CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.GetWriteSpeeds(MaximumWriteSpeedDescriptors);
        var length = WriteSpeedDescriptor.HeaderLength + (MaximumWriteSpeedDescriptors * WriteSpeedDescriptor.Length);
        var data = await ReadDataAsync(cdb, length, cancellationToken).ConfigureAwait(false);
        return Parse<IReadOnlyList<WriteSpeedDescriptor>>(cdb, data, WriteSpeedDescriptor.TryParseList);
    }

    /// <summary>SET CD SPEED in kB/s (<see cref="MmcCommands.MaximumSpeed"/> for the fastest); CD media.</summary>
    /// <remarks>A speed the drive rounded (1/37/00) is thrown as S_IMAPI_SPEEDADJUSTED, as IMAPI2 reports it.</remarks>
    public async Task SetCdSpeedAsync(ushort readKBps, ushort writeKBps, RotationControl rotation, CancellationToken cancellationToken)
    {
        var cdb = MmcCommands.SetCdSpeed(readKBps, writeKBps, rotation);
        ThrowIfSpeedAdjusted(cdb, await ExecuteAsync(cdb, DataDirection.None, Memory<byte>.Empty, _options.CommandTimeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>SET STREAMING with one performance descriptor: how DVD and BD speeds are chosen.</summary>
    /// <remarks>A speed the drive rounded (1/37/00) is thrown as S_IMAPI_SPEEDADJUSTED, as IMAPI2 reports it.</remarks>
    public async Task SetStreamingAsync(StreamingPerformance performance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(performance);
        var (cdb, result) = await SendParameterListAsync(MmcCommands.SetStreaming, performance.ToBytes(), _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        ThrowIfSpeedAdjusted(cdb, result);
    }

    /// <summary>Sends a command whose data phase is a parameter list the host built.</summary>
    private async Task<(Cdb Cdb, ScsiResult Result)> SendParameterListAsync(Func<ushort, Cdb> build, byte[] parameterList, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cdb = build(checked((ushort)parameterList.Length));
        return (cdb, await ExecuteAsync(cdb, DataDirection.ToDevice, parameterList, timeout, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A completed speed command whose recovered sense says the speed was rounded.</summary>
    private static void ThrowIfSpeedAdjusted(Cdb cdb, ScsiResult result)
    {
        if (!result.Sense.IsEmpty && DeviceErrors.FromSense(result.Sense.Span, cdb.Name) is { } error && error.Error == ImapiErrors.SpeedAdjusted)
        {
            throw new DeviceException(error);
        }
    }
}
