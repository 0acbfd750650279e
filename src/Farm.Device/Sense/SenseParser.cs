using System.Buffers.Binary;

namespace Farm.Device.Sense;

/// <summary>
/// Decodes fixed (70h/71h) and descriptor (72h/73h) sense data, SPC-4 4.5. Device bytes are
/// untrusted: every read is bounded by both the buffer and the ADDITIONAL SENSE LENGTH, and a
/// malformed report yields <c>false</c> and a sentence saying what is wrong, never an exception.
/// </summary>
public static class SenseParser
{
    /// <summary>Bytes 0-7: both formats carry the ADDITIONAL SENSE LENGTH in byte 7.</summary>
    internal const int HeaderLength = 8;

    private const byte ResponseCodeMask = 0x7F;
    private const byte FixedCurrent = 0x70;
    private const byte FixedDeferred = 0x71;
    private const byte DescriptorCurrent = 0x72;
    private const byte DescriptorDeferred = 0x73;

    /// <summary>
    /// Parses <paramref name="bytes"/>. The additional sense length may claim more than the buffer
    /// holds: SPC-4 4.5.1 says the field is not reduced when the host's allocation length truncates
    /// the sense, so only what is both declared and present is read.
    /// </summary>
    /// <returns>True with <paramref name="sense"/> set, or false with <paramref name="problem"/> set.</returns>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out SenseData sense, out string? problem)
    {
        if (bytes.IsEmpty)
        {
            return Reject("the device returned no sense bytes", out sense, out problem);
        }

        var responseCode = (byte)(bytes[0] & ResponseCodeMask);
        if (responseCode is not (FixedCurrent or FixedDeferred or DescriptorCurrent or DescriptorDeferred))
        {
            return Reject($"response code {responseCode:X2}h is not a sense response code (70h-73h)", out sense, out problem);
        }

        if (bytes.Length < HeaderLength)
        {
            return Reject(
                $"only {bytes.Length} sense bytes; the header up to the additional sense length needs {HeaderLength}",
                out sense,
                out problem);
        }

        var declaredEnd = HeaderLength + bytes[7];
        var body = bytes[..Math.Min(bytes.Length, declaredEnd)];
        var deferred = responseCode is FixedDeferred or DescriptorDeferred;
        return responseCode is FixedCurrent or FixedDeferred
            ? FixedSense.TryParse(body, deferred, out sense, out problem)
            : DescriptorSense.TryParse(body, declaredEnd, deferred, out sense, out problem);
    }

    /// <summary>SPC-4 4.5.2.4 / 4.5.3: progress is only reported with these two sense keys.</summary>
    internal static bool CarriesProgress(SenseKey key) => key is SenseKey.NotReady or SenseKey.NoSense;

    internal static ushort ReadUInt16(ReadOnlySpan<byte> bytes, int offset) =>
        BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(offset, sizeof(ushort)));

    internal static bool Reject(string why, out SenseData sense, out string? problem)
    {
        sense = default;
        problem = why;
        return false;
    }
}
