using System.Buffers.Binary;

namespace Farm.Device.Sense;

/// <summary>
/// Descriptor-format sense (response code 72h/73h), SPC-4 4.5.2 table 27:
/// <code>
/// byte 1      sense key (low nibble)
/// byte 2-3    ASC, ASCQ
/// byte 7      additional sense length (n - 7)
/// bytes 8-n   sense data descriptors: type, additional length, then that many bytes
/// </code>
/// Descriptors read here: information (00h, SPC-4 4.5.2.2), sense key specific (02h, 4.5.2.4)
/// and progress indication (0Ah, 4.5.2.6); the others are skipped by their length.
/// </summary>
internal static class DescriptorSense
{
    private const byte InformationType = 0x00;
    private const byte SenseKeySpecificType = 0x02;
    private const byte ProgressIndicationType = 0x0A;

    private const int DescriptorHeaderLength = 2;
    private const byte ValidBit = 0x80;
    private const byte SksvBit = 0x80;

    // Minimum ADDITIONAL LENGTH of each descriptor read here (SPC-4 tables 29, 31 and 37).
    private const int InformationAdditionalLength = 0x0A;
    private const int SenseKeySpecificAdditionalLength = 0x06;
    private const int ProgressIndicationAdditionalLength = 0x06;

    /// <param name="body">The sense bytes cut to the declared length and to the buffer.</param>
    /// <param name="declaredEnd">Where the additional sense length says the sense ends.</param>
    internal static bool TryParse(ReadOnlySpan<byte> body, int declaredEnd, bool deferred, out SenseData sense, out string? problem)
    {
        var key = (SenseKey)(body[1] & 0x0F);
        uint? information = null;
        ushort? senseKeySpecificProgress = null;
        ushort? progressDescriptor = null;

        var offset = SenseParser.HeaderLength;
        while (offset < declaredEnd)
        {
            if (offset + DescriptorHeaderLength > declaredEnd)
            {
                return SenseParser.Reject(
                    $"a sense descriptor starts at byte {offset} but the additional sense length ends the sense at byte {declaredEnd}, inside its header",
                    out sense,
                    out problem);
            }

            if (offset + DescriptorHeaderLength > body.Length)
            {
                break; // The host's buffer truncated the sense here; what came before stands.
            }

            var type = body[offset];
            var additionalLength = body[offset + 1];
            var end = offset + DescriptorHeaderLength + additionalLength;
            if (end > declaredEnd)
            {
                return SenseParser.Reject(
                    $"sense descriptor {type:X2}h at byte {offset} claims {DescriptorHeaderLength + additionalLength} bytes, past the end of the sense at byte {declaredEnd}",
                    out sense,
                    out problem);
            }

            if (end > body.Length)
            {
                break; // Truncated by the host's buffer, not malformed: ignore the partial descriptor.
            }

            var descriptor = body[offset..end];
            switch (type)
            {
                case InformationType:
                    if (!TryReadInformation(descriptor, offset, ref information, out problem))
                    {
                        sense = default;
                        return false;
                    }

                    break;
                case SenseKeySpecificType:
                    if (additionalLength < SenseKeySpecificAdditionalLength)
                    {
                        return TooShort("sense key specific", offset, additionalLength, SenseKeySpecificAdditionalLength, out sense, out problem);
                    }

                    if ((descriptor[4] & SksvBit) != 0 && SenseParser.CarriesProgress(key))
                    {
                        senseKeySpecificProgress = SenseParser.ReadUInt16(descriptor, 5);
                    }

                    break;
                case ProgressIndicationType:
                    if (additionalLength < ProgressIndicationAdditionalLength)
                    {
                        return TooShort("progress indication", offset, additionalLength, ProgressIndicationAdditionalLength, out sense, out problem);
                    }

                    progressDescriptor = SenseParser.ReadUInt16(descriptor, 6);
                    break;
                default:
                    break; // Other descriptors (command specific, field replaceable unit...) are not needed.
            }

            offset = end;
        }

        sense = new SenseData(
            SenseFormat.Descriptor,
            deferred,
            key,
            body[2],
            body[3],
            information,
            senseKeySpecificProgress ?? progressDescriptor,
            body.ToArray());
        problem = null;
        return true;
    }

    /// <summary>
    /// Information descriptor: byte 2 bit 7 VALID, bytes 4-11 a 64-bit INFORMATION field. On an
    /// optical drive it is an LBA, which never exceeds 32 bits; a larger value is a garbled answer.
    /// </summary>
    private static bool TryReadInformation(ReadOnlySpan<byte> descriptor, int offset, ref uint? information, out string? problem)
    {
        var additionalLength = descriptor[1];
        if (additionalLength < InformationAdditionalLength)
        {
            return TooShort("information", offset, additionalLength, InformationAdditionalLength, out _, out problem);
        }

        problem = null;
        if ((descriptor[2] & ValidBit) == 0)
        {
            return true;
        }

        var value = BinaryPrimitives.ReadUInt64BigEndian(descriptor.Slice(4, sizeof(ulong)));
        if (value > uint.MaxValue)
        {
            problem = $"information descriptor at byte {offset} holds {value:X16}h, beyond the 32-bit LBAs of optical media";
            return false;
        }

        information = (uint)value;
        return true;
    }

    private static bool TooShort(string name, int offset, int additionalLength, int required, out SenseData sense, out string? problem) =>
        SenseParser.Reject(
            $"{name} descriptor at byte {offset} has additional length {additionalLength:X2}h; SPC-4 requires {required:X2}h",
            out sense,
            out problem);
}
