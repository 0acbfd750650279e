using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// GET PERFORMANCE type 03h answers, hand-built per MMC-5 6.8 (write speed descriptor: the offsets
/// libburn's mmc_get_write_performance reads, pd[8 + 16i + 4/8/12]); no captured answer is cited.
/// </summary>
public class WriteSpeedParsingTests
{
    // Data length 24h = 4 + 2 x 16. A DVD+R: 8x CLV (11080 kB/s) and 4x CAV Exact (5540 kB/s), end LBA 2295103.
    private const string TwoSpeeds =
        "00 00 00 24 00 00 00 00"
        + "00 00 00 00 00 23 05 3F 00 00 2B 48 00 00 2B 48"
        + "0A 00 00 00 00 23 05 3F 00 00 2B 48 00 00 15 A4";

    [Fact]
    public void Reads_every_descriptor_with_its_speeds_and_flags()
    {
        Assert.True(WriteSpeedDescriptor.TryParseList(Bytes.Of(TwoSpeeds), out var speeds, out var problem), problem);

        Assert.Equal(
            [
                new WriteSpeedDescriptor(RotationControl.ConstantLinearVelocity, false, false, false, 2_295_103, 11_080, 11_080),
                new WriteSpeedDescriptor(RotationControl.ConstantAngularVelocity, false, true, false, 2_295_103, 11_080, 5_540),
            ],
            speeds);
    }

    [Fact]
    public void A_trailing_partial_descriptor_is_ignored()
    {
        var cut = Bytes.Of(TwoSpeeds)[..30];

        Assert.True(WriteSpeedDescriptor.TryParseList(cut, out var speeds, out _));
        Assert.Single(speeds);
    }

    [Fact]
    public void Descriptors_past_the_declared_length_are_not_read()
    {
        var answer = Bytes.Of(TwoSpeeds);
        answer[3] = 0x14;

        Assert.True(WriteSpeedDescriptor.TryParseList(answer, out var speeds, out _));
        Assert.Single(speeds);
    }

    [Fact]
    public void A_data_length_that_does_not_cover_the_header_is_rejected()
    {
        var answer = Bytes.Of(TwoSpeeds);
        answer[3] = 0x02;

        Assert.False(WriteSpeedDescriptor.TryParseList(answer, out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void An_answer_shorter_than_the_header_is_rejected()
    {
        Assert.False(WriteSpeedDescriptor.TryParseList(Bytes.Of("00 00 00 04"), out _, out var problem));
        Assert.Contains("header", problem, StringComparison.Ordinal);
    }
}
