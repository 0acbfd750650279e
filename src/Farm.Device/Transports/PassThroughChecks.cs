namespace Farm.Device.Transports;

/// <summary>Argument checks and conversions every real transport applies before a command leaves the host.</summary>
internal static class PassThroughChecks
{
    /// <summary>The longest CDB the pass-through interfaces here carry (SG_IO and SPTI: 16 bytes).</summary>
    public const int MaxCdbLength = 16;

    public static void Validate(ReadOnlyMemory<byte> cdb, DataDirection direction, Memory<byte> data, int maxTransferBytes, string device)
    {
        if (cdb.Length is 0 or > MaxCdbLength)
        {
            throw new ArgumentException($"{device}: a CDB is 1 to {MaxCdbLength} bytes, not {cdb.Length}", nameof(cdb));
        }

        if (direction != DataDirection.None && data.Length > maxTransferBytes)
        {
            throw new ArgumentException($"{device}: {CommandName(cdb.Span)} moves {data.Length} bytes but the adapter takes at most {maxTransferBytes} per command; split the transfer", nameof(data));
        }

        if (direction != DataDirection.None && data.Length == 0)
        {
            throw new ArgumentException($"{device}: {CommandName(cdb.Span)} has a {direction} data phase but no buffer", nameof(data));
        }
    }

    /// <summary>A command's name for messages when only its bytes are at hand.</summary>
    public static string CommandName(ReadOnlySpan<byte> cdb) => cdb.IsEmpty ? "empty CDB" : $"opcode {cdb[0]:X2}h";

    /// <summary>Milliseconds for the kernel, at least 1 and capped (a zero timeout means "default" or "forever" to some drivers).</summary>
    public static uint TimeoutMilliseconds(TimeSpan timeout) =>
        (uint)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
}
