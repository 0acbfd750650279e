using System.Buffers.Binary;
using System.Text;

namespace Farm.Device.Audio;

/// <summary>
/// A WAV file checked once: RIFF/WAVE with a "fmt " chunk saying PCM (format tag 1, or
/// WAVE_FORMAT_EXTENSIBLE FFFEh with the PCM sub-format), 2 channels, 44,100 Hz, 16 bits, and a
/// "data" chunk wholly inside the file (Microsoft's RIFF spec, "WAVE Form Type"). Anything else
/// is refused by name: mono, 48 kHz, 24-bit, compressed, a truncated header or data chunk.
/// Samples are little-endian, which is also the byte order of CD-DA blocks handed to MMC drives
/// (libburn and cdrdao send WAV data unswapped), so the data chunk is the audio as is.
/// </summary>
public sealed record WavFile(string Path, long DataOffset, long DataBytes)
{
    public const int SampleRate = 44_100;
    public const int Channels = 2;
    public const int BitsPerSample = 16;

    private const ushort FormatPcm = 0x0001;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>CD-DA blocks the audio fills, the last one completed with silence.</summary>
    public long Blocks => (DataBytes + CdAddress.BlockBytes - 1) / CdAddress.BlockBytes;

    public TimeSpan Duration => TimeSpan.FromSeconds(DataBytes / (double)(SampleRate * Channels * (BitsPerSample / 8)));

    /// <summary>Reads and checks the header of <paramref name="path"/>.</summary>
    public static WavFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw AudioErrors.BadWav(path, "is a folder, not a WAV file");
        }

        if (!File.Exists(path))
        {
            throw AudioErrors.BadWav(path, "does not exist");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return Parse(path, stream);
        }
        catch (Exception denied) when (denied is UnauthorizedAccessException or IOException)
        {
            throw AudioErrors.BadWav(path, $"cannot be read ({denied.Message})");
        }
    }

    /// <summary>Opens the data chunk for reading.</summary>
    public Stream OpenData()
    {
        var stream = File.OpenRead(Path);
        stream.Position = DataOffset;
        return stream;
    }

    private static WavFile Parse(string path, Stream stream)
    {
        var head = new byte[12];
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length)
        {
            throw AudioErrors.BadWav(path, $"is truncated: {stream.Length} bytes, shorter than a RIFF header");
        }

        if (!head.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !head.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            throw AudioErrors.BadWav(path, $"is not a RIFF WAVE file (it starts with '{Printable(head)}')");
        }

        (ushort Tag, int Channels, int Rate, int Bits)? format = null;
        var chunk = new byte[8];
        while (true)
        {
            long at = stream.Position;
            if (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) < 8)
            {
                throw AudioErrors.BadWav(path, format is null ? "has no \"fmt \" chunk (truncated header)" : "has no \"data\" chunk");
            }

            string id = Encoding.ASCII.GetString(chunk, 0, 4);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            long remaining = stream.Length - at - 8;
            if (id == "data")
            {
                if (format is null)
                {
                    throw AudioErrors.BadWav(path, "has its \"data\" chunk before the \"fmt \" chunk");
                }

                if (size > remaining)
                {
                    throw AudioErrors.BadWav(path, $"is truncated: the data chunk says {size:N0} bytes but {remaining:N0} follow");
                }

                if (size == 0 || size % 4 != 0)
                {
                    throw AudioErrors.BadWav(path, $"has {size:N0} bytes of audio, not a positive whole number of 4-byte stereo frames");
                }

                return new WavFile(System.IO.Path.GetFullPath(path), at + 8, size);
            }

            if (size > remaining)
            {
                throw AudioErrors.BadWav(path, $"is truncated inside its \"{Printable(chunk.AsSpan(0, 4))}\" chunk");
            }

            if (id == "fmt ")
            {
                format = ReadFormat(path, stream, size);
                Check(path, format.Value);
            }

            // Chunks are padded to an even size (RIFF).
            stream.Position = at + 8 + size + (size & 1);
        }
    }

    private static (ushort Tag, int Channels, int Rate, int Bits) ReadFormat(string path, Stream stream, long size)
    {
        if (size < 16)
        {
            throw AudioErrors.BadWav(path, $"has a \"fmt \" chunk of {size} bytes, shorter than the 16 of PCM (truncated header)");
        }

        var fmt = new byte[Math.Min(size, 40)];
        stream.ReadExactly(fmt);
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        if (tag == FormatExtensible && fmt.Length >= 26)
        {
            // WAVEFORMATEXTENSIBLE: the sub-format GUID at byte 24 starts with the format tag.
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(24));
        }

        return (tag, BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2)), (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt.AsSpan(4)), BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14)));
    }

    private static void Check(string path, (ushort Tag, int Channels, int Rate, int Bits) format)
    {
        string description = $"{Layout(format.Channels)} {format.Rate / 1000.0:0.###} kHz {format.Bits}-bit";
        if (format.Tag != FormatPcm)
        {
            throw AudioErrors.BadWav(path, $"is compressed (format tag {format.Tag:X4}h{CodecName(format.Tag)}), not PCM");
        }

        if (format.Channels != Channels || format.Rate != SampleRate || format.Bits != BitsPerSample)
        {
            throw AudioErrors.BadWav(path, $"is {description} PCM");
        }
    }

    private static string Layout(int channels) => channels switch
    {
        1 => "mono",
        2 => "stereo",
        _ => $"{channels}-channel",
    };

    private static string CodecName(ushort tag) => tag switch
    {
        0x0002 => ", Microsoft ADPCM",
        0x0003 => ", IEEE float",
        0x0006 => ", A-law",
        0x0007 => ", mu-law",
        0x0011 => ", IMA ADPCM",
        0x0055 => ", MPEG Layer 3",
        _ => string.Empty,
    };

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (byte b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return text.ToString();
    }
}
