using System.Buffers.Binary;
using System.Text;

namespace Farm.Device.Tests.Audio;

/// <summary>WAV files made byte by byte (RIFF "WAVE Form Type"), so each header field is the test's choice.</summary>
internal static class TestWav
{
    /// <summary>A PCM WAV of <paramref name="frames"/> frames of a deterministic waveform.</summary>
    public static string Write(string path, long frames, int rate = 44_100, int channels = 2, int bits = 16, ushort formatTag = 1, byte seed = 1)
    {
        int frameBytes = channels * (bits / 8);
        var data = Samples(frames * frameBytes, seed);
        File.WriteAllBytes(path, Riff(Format(formatTag, channels, rate, bits), data));
        return path;
    }

    /// <summary>The bytes a writer would send for <paramref name="length"/> bytes of audio with <paramref name="seed"/>.</summary>
    public static byte[] Samples(long length, byte seed)
    {
        var data = new byte[length];
        for (long i = 0; i < length; i++)
        {
            data[i] = (byte)((i * 31) + (i >> 9) + seed);
        }

        return data;
    }

    public static byte[] Format(ushort tag, int channels, int rate, int bits)
    {
        var fmt = new byte[16];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)(channels * bits / 8));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        return fmt;
    }

    public static byte[] Riff(byte[] fmt, byte[] data)
    {
        using var stream = new MemoryStream();
        stream.Write("RIFF"u8);
        stream.Write(BitConverter.GetBytes((uint)(4 + 8 + fmt.Length + 8 + data.Length)));
        stream.Write("WAVE"u8);
        Chunk(stream, "fmt ", fmt);
        Chunk(stream, "data", data);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string id, byte[] body)
    {
        stream.Write(Encoding.ASCII.GetBytes(id));
        stream.Write(BitConverter.GetBytes((uint)body.Length));
        stream.Write(body);
    }
}
