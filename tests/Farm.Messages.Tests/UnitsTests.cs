using Farm.Messages.Cli;

namespace Farm.Messages.Tests;

public sealed class UnitsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("10s", 10)]
    [InlineData("2m", 120)]
    [InlineData("1.5h", 5400)]
    [InlineData(" 3 min ", 180)]
    [InlineData("0s", 0)]
    public void A_duration_is_read_with_its_unit(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Units.ParseDuration(text, "--wait"));

    [Fact]
    public void A_plain_number_is_read_in_the_options_own_unit() =>
        Assert.Equal(TimeSpan.FromSeconds(45), Units.ParseDuration("45", "--shutdown-grace", plainUnit: "s"));

    [Theory]
    [InlineData("45")]
    [InlineData("-1s")]
    [InlineData("10 parsecs")]
    [InlineData("s")]
    [InlineData("")]
    [InlineData(null)]
    public void A_duration_without_a_known_unit_is_refused_naming_the_option_and_the_forms(string? text)
    {
        var error = Assert.Throws<ArgumentException>(() => Units.ParseDuration(text, "--failure-window"));

        Assert.StartsWith("--failure-window must be a duration such as 500ms, 10s, 2m or 1h, not '", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512B", 512)]
    [InlineData("64KiB", 65536)]
    [InlineData("32MiB", 33554432)]
    [InlineData("1GiB", 1073741824)]
    [InlineData("1.5 MB", 1572864)]
    [InlineData("2g", 2147483648)]
    public void A_size_is_read_with_its_binary_unit(string text, long bytes) =>
        Assert.Equal(bytes, Units.ParseSize(text, "--cache"));

    [Theory]
    [InlineData("32")]
    [InlineData("0.3B")]
    [InlineData("12 furlongs")]
    public void A_size_without_a_unit_or_of_part_of_a_byte_is_refused(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => Units.ParseSize(text, "--cache"));

        Assert.Contains("--cache must be a size in whole bytes such as 512B, 64KiB, 32MiB or 1GiB", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, "500ms")]
    [InlineData(10, "10s")]
    [InlineData(90, "90s")]
    [InlineData(120, "2m")]
    [InlineData(7200, "2h")]
    [InlineData(0, "0ms")]
    public void A_duration_is_printed_in_the_unit_that_reads_back_exactly(double seconds, string expected)
    {
        var printed = Units.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, printed);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Units.ParseDuration(printed, "--x"));
    }

    [Theory]
    [InlineData(700, "700B")]
    [InlineData(33554432, "32MiB")]
    [InlineData(1073741824, "1GiB")]
    [InlineData(1610612736, "1.5GiB")]
    [InlineData(34078720, "32.5MiB")]
    public void A_size_is_printed_in_its_largest_binary_unit(long bytes, string expected) =>
        Assert.Equal(expected, Units.FormatSize(bytes));
}
