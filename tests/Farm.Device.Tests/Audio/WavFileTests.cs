using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>Only RIFF PCM 44.1 kHz 16-bit stereo is accepted; every refusal names the file and says what it is.</summary>
public sealed class WavFileTests : IDisposable
{
    private readonly TempDirectory _temp = new("farm-wav");

    public void Dispose() => _temp.Dispose();

    private static string Refused(string path)
    {
        var error = Assert.Throws<DeviceException>(() => WavFile.Open(path)).Error;
        Assert.Equal(ImapiErrors.InvalidArgument, error.Error);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains("44.1 kHz 16-bit stereo", error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    [Fact]
    public void A_cd_audio_wav_gives_its_data_chunk_and_block_count()
    {
        var path = TestWav.Write(_temp.PathOf("ok.wav"), frames: 588 * 10 + 1);

        var wav = WavFile.Open(path);

        Assert.Equal(44, wav.DataOffset);
        Assert.Equal((588 * 10 + 1) * 4, wav.DataBytes);
        Assert.Equal(11, wav.Blocks);
    }

    [Fact]
    public void Mono_is_refused_as_mono()
    {
        var message = Refused(TestWav.Write(_temp.PathOf("mono.wav"), 1000, channels: 1));
        Assert.Contains("is mono 44.1 kHz 16-bit PCM", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Forty_eight_kilohertz_is_refused_with_its_rate()
    {
        var message = Refused(TestWav.Write(_temp.PathOf("bad.wav"), 1000, rate: 48_000));
        Assert.Contains("is stereo 48 kHz 16-bit PCM", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Twenty_four_bit_is_refused_with_its_depth()
    {
        var message = Refused(TestWav.Write(_temp.PathOf("deep.wav"), 1000, bits: 24));
        Assert.Contains("is stereo 44.1 kHz 24-bit PCM", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compressed_wav_is_refused_with_its_codec()
    {
        var message = Refused(TestWav.Write(_temp.PathOf("mp3.wav"), 1000, formatTag: 0x0055));
        Assert.Contains("is compressed (format tag 0055h, MPEG Layer 3), not PCM", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_header_is_refused()
    {
        var path = _temp.PathOf("short.wav");
        File.WriteAllBytes(path, "RIFF\0\0"u8.ToArray());
        Assert.Contains("is truncated", Refused(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_cut_inside_the_format_chunk_is_refused()
    {
        var path = TestWav.Write(_temp.PathOf("cut.wav"), 1000);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..30]);
        Assert.Contains("truncated inside its \"fmt \" chunk", Refused(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_data_chunk_longer_than_the_file_is_refused()
    {
        var path = TestWav.Write(_temp.PathOf("trunc.wav"), 1000);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);
        Assert.Contains("the data chunk says 4,000 bytes but 956 follow", Refused(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Something_that_is_not_riff_is_refused()
    {
        var path = _temp.PathOf("text.wav");
        File.WriteAllText(path, "hello, this is not audio");
        Assert.Contains("is not a RIFF WAVE file (it starts with 'hello, this ')", Refused(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        Assert.Contains("does not exist", Refused(_temp.PathOf("none.wav")), StringComparison.Ordinal);
    }
}
