namespace Farm.Controller.Tests.EndToEnd;

/// <summary>WAV files for the audio CD tests: a tone as RIFF PCM 16-bit stereo.</summary>
internal static class ToneWav
{
    /// <summary>Writes <paramref name="frames"/> sample frames of a tone from <paramref name="seed"/> at <paramref name="rate"/> Hz to <paramref name="path"/>; returns the path.</summary>
    public static string Write(string path, int frames, int seed, int rate = 44_100)
    {
        var data = new byte[frames * 4];
        for (var i = 0; i < frames; i++)
        {
            var sample = (short)(8000 * Math.Sin(2 * Math.PI * (220 + (110 * seed)) * i / rate));
            BitConverter.TryWriteBytes(data.AsSpan(i * 4), sample);
            BitConverter.TryWriteBytes(data.AsSpan((i * 4) + 2), sample);
        }

        using var file = new BinaryWriter(File.Create(path));
        file.Write("RIFF"u8);
        file.Write(36 + data.Length);
        file.Write("WAVEfmt "u8);
        file.Write(16);
        file.Write((short)1);
        file.Write((short)2);
        file.Write(rate);
        file.Write(rate * 4);
        file.Write((short)4);
        file.Write((short)16);
        file.Write("data"u8);
        file.Write(data.Length);
        file.Write(data);
        return path;
    }
}
