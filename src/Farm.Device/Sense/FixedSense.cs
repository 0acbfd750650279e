using System.Buffers.Binary;

namespace Farm.Device.Sense;

/// <summary>
/// Fixed-format sense (response code 70h/71h), SPC-4 4.5.3 table 45:
/// <code>
/// byte 0      VALID (bit 7) | response code
/// byte 2      FILEMARK | EOM | ILI | SDAT_OVFL | sense key (low nibble)
/// bytes 3-6   INFORMATION (big-endian), meaningful only when VALID is set
/// byte 7      additional sense length (n - 7)
/// byte 12-13  ASC, ASCQ
/// bytes 15-17 SKSV (byte 15 bit 7) and the sense-key-specific field; for NOT READY / NO SENSE
///             bytes 16-17 are the progress indication (SPC-4 4.5.2.4.4)
/// </code>
/// </summary>
internal static class FixedSense
{
    private const byte ValidBit = 0x80;
    private const byte SksvBit = 0x80;
    private const int AscOffset = 12;
    private const int AscqOffset = 13;
    private const int SenseKeySpecificOffset = 15;
    private const int ProgressOffset = 16;
    private const int LengthWithSenseKeySpecific = 18;

    /// <param name="body">The sense bytes cut to the declared length (and to the buffer).</param>
    internal static bool TryParse(ReadOnlySpan<byte> body, bool deferred, out SenseData sense, out string? problem)
    {
        if (body.Length <= AscqOffset)
        {
            return SenseParser.Reject(
                $"fixed-format sense ends after {body.Length} bytes (additional sense length {body[7]}), before the ASC/ASCQ at bytes {AscOffset}-{AscqOffset}",
                out sense,
                out problem);
        }

        var key = (SenseKey)(body[2] & 0x0F);
        uint? information = (body[0] & ValidBit) != 0 ? BinaryPrimitives.ReadUInt32BigEndian(body.Slice(3, sizeof(uint))) : null;
        ushort? progress = body.Length >= LengthWithSenseKeySpecific
            && (body[SenseKeySpecificOffset] & SksvBit) != 0
            && SenseParser.CarriesProgress(key)
                ? SenseParser.ReadUInt16(body, ProgressOffset)
                : null;

        sense = new SenseData(SenseFormat.Fixed, deferred, key, body[AscOffset], body[AscqOffset], information, progress, body.ToArray());
        problem = null;
        return true;
    }
}
