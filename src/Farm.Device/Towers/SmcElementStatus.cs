using System.Buffers.Binary;
using System.Text;

namespace Farm.Device.Towers;

/// <summary>One element as READ ELEMENT STATUS reports it.</summary>
/// <param name="SourceAddress">Where the medium came from, when the changer knows (SValid).</param>
/// <param name="VolumeTag">The primary volume tag (barcode) without padding, or null.</param>
public sealed record SmcElement(SmcElementType Type, ushort Address, bool Full, bool Exception, byte Asc, byte Ascq, ushort? SourceAddress, string? VolumeTag);

/// <summary>
/// Parses READ ELEMENT STATUS data (SMC-3 6.11): an 8-byte header, then element status pages,
/// each an 8-byte page header followed by fixed-length descriptors. Every length comes from the
/// device and is checked against the bytes actually received, so truncated, inflated or looping
/// data is reported as a problem and never read past; the element count is capped.
/// </summary>
public static class SmcElementStatus
{
    public const int HeaderLength = 8;
    public const int PageHeaderLength = 8;

    /// <summary>Address (2), flags, reserved, ASC, ASCQ, reserved (3), SValid/Invert, source (2).</summary>
    public const int MinimumDescriptorLength = 12;

    private const int VolumeTagLength = 36;
    private const int VolumeTagIdentifierLength = 32;

    /// <summary>No changer the farm drives has more elements; a larger count is garbage.</summary>
    public const int MaxElements = 4096;

    public static bool TryParse(ReadOnlySpan<byte> data, out IReadOnlyList<SmcElement> elements, out string? problem)
    {
        elements = [];
        if (data.Length < HeaderLength)
        {
            problem = $"{data.Length} bytes is shorter than the {HeaderLength}-byte header";
            return false;
        }

        // The changer reports how much it had; a smaller allocation length legitimately cuts that off.
        var reported = (data[5] << 16) | (data[6] << 8) | data[7];
        var truncated = reported > data.Length - HeaderLength;
        var end = HeaderLength + Math.Min(reported, data.Length - HeaderLength);
        var found = new List<SmcElement>();
        var offset = HeaderLength;
        while (offset < end)
        {
            if (end - offset < PageHeaderLength)
            {
                problem = $"a page header at offset {offset} is cut off";
                return false;
            }

            var page = data.Slice(offset, PageHeaderLength);
            var type = (SmcElementType)(page[0] & 0x0F);
            var primaryTag = (page[1] & 0x80) != 0;
            var alternateTag = (page[1] & 0x40) != 0;
            var descriptorLength = BinaryPrimitives.ReadUInt16BigEndian(page[2..]);
            var pageBytes = (page[5] << 16) | (page[6] << 8) | page[7];
            offset += PageHeaderLength;

            if (type is SmcElementType.All or > SmcElementType.DataTransfer)
            {
                problem = $"a page at offset {offset - PageHeaderLength} has element type code {page[0] & 0x0F}, which is not an element type";
                return false;
            }

            var needed = MinimumDescriptorLength + (primaryTag ? VolumeTagLength : 0) + (alternateTag ? VolumeTagLength : 0);
            if (descriptorLength < needed)
            {
                problem = $"the {type} page's descriptors are {descriptorLength} bytes, fewer than the {needed} its flags require";
                return false;
            }

            if (pageBytes > end - offset && !truncated)
            {
                problem = $"the {type} page claims {pageBytes} bytes of descriptors but only {end - offset} follow";
                return false;
            }

            // When the answer is cut short, the last descriptor may be partial. It is still read
            // if every field we use (the 12 fixed bytes and the 32-byte tag identifier) arrived.
            // tgt needs this: its "byte count of report available" includes the 8-byte header,
            // and it sends only that many bytes, so the last descriptor of every answer loses its
            // final 8 bytes (volume tag sequence number and identifier header, which we ignore);
            // for the arm, drive and import/export pages that is the only descriptor.
            var used = MinimumDescriptorLength + (primaryTag ? VolumeTagIdentifierLength : 0);
            var pageEnd = offset + Math.Min(pageBytes, end - offset);
            while (offset < pageEnd)
            {
                var available = Math.Min(descriptorLength, pageEnd - offset);
                if (available < descriptorLength && !(truncated && available >= used))
                {
                    break;
                }

                if (found.Count == MaxElements)
                {
                    problem = $"more than {MaxElements} elements";
                    return false;
                }

                found.Add(Descriptor(type, data.Slice(offset, available), primaryTag));
                offset += available;
            }

            offset = pageEnd;
        }

        elements = found;
        problem = null;
        return true;
    }

    private static SmcElement Descriptor(SmcElementType type, ReadOnlySpan<byte> descriptor, bool primaryTag)
    {
        var flags = descriptor[2];
        var sourceValid = (descriptor[9] & 0x80) != 0;
        string? tag = null;
        if (primaryTag)
        {
            var identifier = descriptor.Slice(MinimumDescriptorLength, VolumeTagIdentifierLength);
            var text = Encoding.ASCII.GetString(identifier).TrimEnd(' ', '\0');
            tag = text.Length == 0 ? null : text;
        }

        return new SmcElement(
            type,
            BinaryPrimitives.ReadUInt16BigEndian(descriptor),
            Full: (flags & 0x01) != 0,
            Exception: (flags & 0x04) != 0,
            Asc: descriptor[4],
            Ascq: descriptor[5],
            SourceAddress: sourceValid ? BinaryPrimitives.ReadUInt16BigEndian(descriptor[10..]) : null,
            VolumeTag: tag);
    }
}
