using System.Buffers.Binary;

namespace Farm.Device.Mmc;

/// <summary>One feature descriptor of GET CONFIGURATION (MMC-6 5.2.2): code, version, current, its data.</summary>
public sealed record FeatureDescriptor(ushort Code, byte Version, bool Persistent, bool Current, byte[] Data);

/// <summary>
/// GET CONFIGURATION answer (MMC-6, "GET CONFIGURATION Response Data Format"): bytes 0-3 data length (bytes that follow), 6-7 the
/// current profile; then feature descriptors, each <c>CODE(2) VER|P|C ADDLEN data...</c>.
/// </summary>
public sealed record Configuration(Profile CurrentProfile, IReadOnlyList<FeatureDescriptor> Features)
{
    public const int HeaderLength = 8;

    /// <summary>The profiles listed in feature 0000h (the profile list), with their current flags.</summary>
    public IReadOnlyList<(Profile Profile, bool Current)> ProfileList
    {
        get
        {
            var list = Features.FirstOrDefault(f => f.Code == 0x0000);
            if (list is null)
            {
                return [];
            }

            var profiles = new List<(Profile, bool)>();
            for (var i = 0; i + 4 <= list.Data.Length; i += 4)
            {
                profiles.Add(((Profile)BinaryPrimitives.ReadUInt16BigEndian(list.Data.AsSpan(i)), (list.Data[i + 2] & 1) != 0));
            }

            return profiles;
        }
    }

    public bool HasCurrentFeature(ushort code) => Features.Any(f => f.Code == code && f.Current);

    /// <summary>
    /// Parses the header and every complete descriptor inside both the declared length and the
    /// buffer. A descriptor that claims more bytes than remain ends the walk (truncated answer);
    /// the walk is bounded by the buffer, so malformed data cannot loop or allocate without limit.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out Configuration configuration, out string? problem)
    {
        configuration = null!;
        if (data.Length < HeaderLength)
        {
            problem = $"configuration is {data.Length} bytes, shorter than its {HeaderLength}-byte header";
            return false;
        }

        var declared = (long)BinaryPrimitives.ReadUInt32BigEndian(data) + 4;
        var end = (int)Math.Min(declared, data.Length);
        var current = (Profile)BinaryPrimitives.ReadUInt16BigEndian(data[6..]);
        var features = new List<FeatureDescriptor>();
        var offset = HeaderLength;
        while (offset + 4 <= end)
        {
            var length = data[offset + 3];
            if (offset + 4 + length > end)
            {
                break;
            }

            features.Add(new FeatureDescriptor(
                BinaryPrimitives.ReadUInt16BigEndian(data[offset..]),
                (byte)((data[offset + 2] >> 2) & 0x0F),
                (data[offset + 2] & 0x02) != 0,
                (data[offset + 2] & 0x01) != 0,
                data.Slice(offset + 4, length).ToArray()));
            offset += 4 + length;
        }

        configuration = new Configuration(current, features);
        problem = null;
        return true;
    }
}
