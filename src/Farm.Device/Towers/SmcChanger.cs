using Farm.Device.Errors;
using Farm.Device.Sense;
using Farm.Device.Transports;

namespace Farm.Device.Towers;

/// <summary>
/// A SCSI Media Changer (SMC-3) behind a transport: element status, MOVE MEDIUM and INITIALIZE
/// ELEMENT STATUS. Failures become <see cref="TowerException"/> with the fault the farm acts on.
/// Not thread-safe; <see cref="SmcTowerRobot"/> serialises the arm.
/// </summary>
public sealed class SmcChanger
{
    /// <summary>Room for every element of one type with a volume tag (SMC-3: 12 + 36 bytes each), at most 64 KiB.</summary>
    private const int StatusAllocation = 64 * 1024 - 8;

    /// <summary>How often a command answered with a unit attention (reset, inventory changed) is sent again.</summary>
    private const int UnitAttentionRetries = 3;

    private readonly IScsiTransport _transport;

    public SmcChanger(IScsiTransport transport, TimeSpan? commandTimeout = null, TimeSpan? moveTimeout = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        CommandTimeout = commandTimeout ?? TimeSpan.FromSeconds(30);
        MoveTimeout = moveTimeout ?? TimeSpan.FromMinutes(5);
    }

    public string Name => _transport.Name;

    public TimeSpan CommandTimeout { get; }

    /// <summary>A real arm takes seconds to a minute per move; inventory can take minutes.</summary>
    public TimeSpan MoveTimeout { get; }

    /// <summary>
    /// The elements of one type, with volume tags. One type per command on purpose: tgt answers a
    /// request for all element types at once with malformed data, and asking per type is what
    /// robust SMC initiators do anyway (each page then has one descriptor length).
    /// </summary>
    public async Task<IReadOnlyList<SmcElement>> ReadElementStatusAsync(SmcElementType type, CancellationToken cancellationToken)
    {
        if (type == SmcElementType.All)
        {
            throw new ArgumentException("ask for one element type at a time", nameof(type));
        }

        var cdb = SmcCommands.ReadElementStatus(type, 0, ushort.MaxValue, volumeTags: true, StatusAllocation);
        var buffer = new byte[StatusAllocation];
        var result = await SendAsync(cdb, DataDirection.FromDevice, buffer, CommandTimeout, cancellationToken).ConfigureAwait(false);
        var filled = Math.Clamp(buffer.Length - result.Residual, 0, buffer.Length);
        if (!SmcElementStatus.TryParse(buffer.AsSpan(0, filled), out var elements, out var problem))
        {
            throw new TowerException(TowerFault.ArmJam, $"{Name}: {cdb.Name}: the changer's answer is malformed ({problem}): {Hex.Dump(buffer.AsSpan(0, Math.Min(filled, 64)))}");
        }

        // A page of another type would be the changer answering a question we did not ask.
        return elements.Where(element => element.Type == type).ToList();
    }

    public Task MoveMediumAsync(ushort transportElement, ushort source, ushort destination, CancellationToken cancellationToken) =>
        SendAsync(SmcCommands.MoveMedium(transportElement, source, destination), DataDirection.None, Memory<byte>.Empty, MoveTimeout, cancellationToken);

    public Task InitializeElementStatusAsync(CancellationToken cancellationToken) =>
        SendAsync(SmcCommands.InitializeElementStatus(), DataDirection.None, Memory<byte>.Empty, MoveTimeout, cancellationToken);

    private async Task<ScsiResult> SendAsync(Cdb cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
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
                throw new TowerException($"{Name}: {cdb.Name}: the changer did not answer ({failure.Failure}): {failure.Message}", failure);
            }

            if (result.IsGood)
            {
                return result;
            }

            if (result.Status != ScsiStatus.CheckCondition || !SenseParser.TryParse(result.Sense.Span, out var sense, out _))
            {
                throw new TowerException(TowerFault.ArmJam, $"{Name}: {cdb.Name}: the changer answered status {result.Status} with no readable sense: {Hex.Dump(result.Sense.Span)}");
            }

            // Power-on, reset, "inventory may have changed": the changer says it once per event.
            if (sense.Key == SenseKey.UnitAttention && attempt < UnitAttentionRetries)
            {
                continue;
            }

            throw SmcErrors.FromSense(sense, cdb, Name);
        }
    }
}
