using System.Globalization;
using Farm.Device.Transports;

namespace Farm.Device.Tests.Fuzzing;

/// <summary>
/// What a broken, hostile or confused device might answer to one command, drawn from a seeded
/// <see cref="Random"/>: garbage, garbage dressed as the expected answer (a length field that
/// matches, a sense response code), any status byte, any residual. The last answer is kept so a
/// failure can name the exact bytes.
/// </summary>
internal sealed class RandomAnswers(int seed)
{
    private static readonly ScsiStatus[] OtherStatuses =
        [ScsiStatus.ConditionMet, ScsiStatus.Busy, ScsiStatus.ReservationConflict, ScsiStatus.TaskSetFull, ScsiStatus.AcaActive, ScsiStatus.TaskAborted, (ScsiStatus)0x7F];

    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    /// <summary>The last answer given, for the failure message: status, residual, data or sense bytes.</summary>
    public string Last { get; private set; } = "(none)";

    /// <summary>Random bytes 0..600 long; half of them shaped like a header of their own length.</summary>
    public byte[] Bytes()
    {
        var bytes = new byte[_random.Next(0, 4) == 0 ? _random.Next(0, 16) : _random.Next(0, 600)];
        _random.NextBytes(bytes);
        if (_random.Next(2) == 0)
        {
            Shape(bytes);
        }

        return bytes;
    }

    /// <summary>Random sense bytes; most start with a sense response code so they reach the decoder's deeper paths.</summary>
    public byte[] Sense()
    {
        var sense = new byte[_random.Next(0, 4) == 0 ? _random.Next(0, 8) : _random.Next(8, 260)];
        _random.NextBytes(sense);
        if (sense.Length > 0 && _random.Next(4) != 0)
        {
            sense[0] = (byte)_random.Next(0x70, 0x74);
        }

        if (sense.Length > 7 && _random.Next(2) == 0)
        {
            sense[7] = (byte)Math.Min(sense.Length - 8, _random.Next(0, 256));
        }

        return sense;
    }

    /// <summary>One answer to a command with a data-in buffer (<paramref name="buffer"/> may be empty).</summary>
    public ScsiResult Answer(Memory<byte> buffer)
    {
        switch (_random.Next(10))
        {
            case < 6:
                var data = Bytes();
                var length = Math.Min(buffer.Length, data.Length);
                data.AsSpan(0, length).CopyTo(buffer.Span);
                var residual = Residual(buffer.Length - length);
                Last = string.Create(CultureInfo.InvariantCulture, $"GOOD, residual {residual}, data {Hex(data.AsSpan(0, length))}");
                return ScsiResult.Good(residual);
            case < 9:
                var sense = Sense();
                Last = $"CHECK CONDITION, sense {Hex(sense)}";
                return ScsiResult.CheckCondition(sense);
            default:
                var status = OtherStatuses[_random.Next(OtherStatuses.Length)];
                var extra = Sense();
                Last = string.Create(CultureInfo.InvariantCulture, $"status {(byte)status:X2}h, sense {Hex(extra)}");
                return new ScsiResult(status, extra, 0);
        }
    }

    public int Next(int maxValue) => _random.Next(maxValue);

    /// <summary>
    /// A valid answer with a few bytes changed, cut short or padded: what a flaky drive, cable or
    /// firmware bug produces, and far more likely than pure noise to reach a decoder's deep paths.
    /// </summary>
    public byte[] Mutate(ReadOnlySpan<byte> valid)
    {
        var bytes = valid.ToArray();
        switch (_random.Next(4))
        {
            case 0 when bytes.Length > 0:
                bytes = bytes[.._random.Next(0, bytes.Length)];
                break;
            case 1:
                var padding = new byte[_random.Next(1, 64)];
                _random.NextBytes(padding);
                bytes = [.. bytes, .. padding];
                break;
            default:
                break;
        }

        for (var flips = _random.Next(1, 9); flips > 0 && bytes.Length > 0; flips--)
        {
            var at = _random.Next(bytes.Length);
            bytes[at] = _random.Next(3) switch
            {
                0 => 0x00,
                1 => 0xFF,
                _ => (byte)_random.Next(256),
            };
        }

        return bytes;
    }

    /// <summary>
    /// What a flaky device did to the answer <paramref name="honest"/> to a command whose data-in
    /// buffer is <paramref name="buffer"/>: usually nothing; sometimes changed bytes, a lie about
    /// the residual, or a CHECK CONDITION with mangled sense instead.
    /// </summary>
    public ScsiResult Disturb(ScsiResult honest, Memory<byte> buffer, int oneIn)
    {
        if (_random.Next(oneIn) != 0)
        {
            return honest;
        }

        switch (_random.Next(4))
        {
            case 0 when honest.IsGood && !buffer.IsEmpty:
                var filled = Math.Clamp(buffer.Length - honest.Residual, 0, buffer.Length);
                var mutated = Mutate(buffer.Span[..filled]);
                var length = Math.Min(mutated.Length, buffer.Length);
                mutated.AsSpan(0, length).CopyTo(buffer.Span);
                var residual = _random.Next(2) == 0 ? buffer.Length - length : Residual(buffer.Length - length);
                Last = string.Create(CultureInfo.InvariantCulture, $"GOOD, residual {residual}, data {Hex(mutated.AsSpan(0, length))}");
                return ScsiResult.Good(residual);
            case 1 when !honest.Sense.IsEmpty:
                var sense = Mutate(honest.Sense.Span);
                Last = $"CHECK CONDITION, sense {Hex(sense)}";
                return ScsiResult.CheckCondition(sense);
            default:
                return Answer(buffer);
        }
    }


    /// <summary>Usually the honest residual; sometimes one a buggy adapter reports (negative, larger than the buffer).</summary>
    private int Residual(int honest) => _random.Next(8) switch
    {
        0 => -_random.Next(1, 100_000),
        1 => honest + _random.Next(1, 100_000),
        2 => _random.Next(2) == 0 ? int.MinValue : int.MaxValue,
        _ => honest,
    };

    /// <summary>A 2-byte (or 4-byte) big-endian length field at the start that matches the array, as most MMC answers have.</summary>
    private void Shape(byte[] bytes)
    {
        if (bytes.Length < 4)
        {
            return;
        }

        var after = _random.Next(3) switch
        {
            0 => bytes.Length - 2,
            1 => bytes.Length - 4,
            _ => _random.Next(0, bytes.Length),
        };
        if (_random.Next(2) == 0)
        {
            bytes[0] = (byte)(after >> 8);
            bytes[1] = (byte)after;
        }
        else
        {
            bytes[0] = (byte)(after >> 24);
            bytes[1] = (byte)(after >> 16);
            bytes[2] = (byte)(after >> 8);
            bytes[3] = (byte)after;
        }
    }

    public static string Hex(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? "(0 bytes)" : $"{Convert.ToHexString(bytes)} ({bytes.Length} bytes)";
}

/// <summary>A transport whose every answer comes from <see cref="RandomAnswers"/>.</summary>
internal sealed class RandomTransport(RandomAnswers answers) : IScsiTransport
{
    public string Name => "fuzz";

    public int MaxTransferBytes => 64 * 1024;

    public ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken) =>
        ValueTask.FromResult(answers.Answer(direction == DataDirection.FromDevice ? data : Memory<byte>.Empty));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A real (simulated) device whose answers are disturbed one time in <paramref name="oneIn"/>.</summary>
internal sealed class DisturbedTransport(IScsiTransport device, RandomAnswers answers, int oneIn) : IScsiTransport
{
    private readonly Lock _gate = new();

    public string Name => device.Name;

    public int MaxTransferBytes => device.MaxTransferBytes;

    public async ValueTask<ScsiResult> ExecuteAsync(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var honest = await device.ExecuteAsync(cdb, direction, data, timeout, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            return answers.Disturb(honest, direction == DataDirection.FromDevice ? data : Memory<byte>.Empty, oneIn);
        }
    }

    public ValueTask DisposeAsync() => device.DisposeAsync();
}
