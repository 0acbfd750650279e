namespace Farm.Device.Sense;

/// <summary>
/// Builds sense bytes as a drive returns them, for the simulated drive and for tests.
/// Fixed format, current error (response code 70h), SPC-4 4.5.3:
/// <code>
/// byte 0     70h (current) | 80h when INFORMATION is valid
/// byte 2     sense key (low nibble)
/// bytes 3-6  INFORMATION (big-endian)
/// byte 7     additional sense length (n - 7) = 10
/// byte 12    ASC
/// byte 13    ASCQ
/// bytes 15-17 sense-key specific: SKSV (80h) then, for NOT READY / NO SENSE, the progress
///            indication as a 16-bit fraction of 65536
/// </code>
/// </summary>
public static class SenseBuilder
{
    /// <summary>Length of the fixed-format sense this builder produces.</summary>
    public const int FixedLength = 18;

    public static byte[] Fixed(SenseKey key, byte asc, byte ascq, ushort? progress = null, uint? information = null)
    {
        var sense = new byte[FixedLength];
        sense[0] = (byte)(information is null ? 0x70 : 0xF0);
        sense[2] = (byte)((byte)key & 0x0F);
        if (information is { } info)
        {
            sense[3] = (byte)(info >> 24);
            sense[4] = (byte)(info >> 16);
            sense[5] = (byte)(info >> 8);
            sense[6] = (byte)info;
        }

        sense[7] = FixedLength - 8;
        sense[12] = asc;
        sense[13] = ascq;
        if (progress is { } fraction)
        {
            sense[15] = 0x80;
            sense[16] = (byte)(fraction >> 8);
            sense[17] = (byte)fraction;
        }

        return sense;
    }
}
