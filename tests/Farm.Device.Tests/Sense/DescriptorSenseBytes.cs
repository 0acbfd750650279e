using Farm.Device.Sense;

namespace Farm.Device.Tests.Sense;

/// <summary>
/// Descriptor-format sense as a drive would send it (SPC-4 4.5.2): the 8-byte header, then an
/// information descriptor (00h, table 29) when there is an information value and a sense key
/// specific descriptor (02h, table 31) with SKSV set when there is a progress value.
/// SenseBuilder only makes fixed format, so the tests build this one themselves.
/// </summary>
internal static class DescriptorSenseBytes
{
    public static byte[] Build(SenseKey key, byte asc, byte ascq, ushort? progress = null, uint? information = null, bool deferred = false)
    {
        var bytes = new List<byte> { (byte)(deferred ? 0x73 : 0x72), (byte)key, asc, ascq, 0, 0, 0, 0 };
        if (information is { } info)
        {
            bytes.AddRange([0x00, 0x0A, 0x80, 0x00, 0, 0, 0, 0, (byte)(info >> 24), (byte)(info >> 16), (byte)(info >> 8), (byte)info]);
        }

        if (progress is { } fraction)
        {
            bytes.AddRange([0x02, 0x06, 0x00, 0x00, 0x80, (byte)(fraction >> 8), (byte)fraction, 0x00]);
        }

        bytes[7] = (byte)(bytes.Count - 8);
        return [.. bytes];
    }
}
