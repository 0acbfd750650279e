using Farm.Device.Sense;

namespace Farm.Device.Tests.Sense;

public class SenseDataTests
{
    [Fact]
    public void Prints_as_key_asc_ascq_with_the_spc4_name()
    {
        Assert.True(SenseParser.TryParse(SenseBuilder.Fixed(SenseKey.NotReady, 0x04, 0x08), out var sense, out _));

        Assert.Equal("2/04/08 (LOGICAL UNIT NOT READY, LONG WRITE IN PROGRESS)", sense.ToString());
    }

    [Fact]
    public void Prints_an_unlisted_code_by_its_numbers()
    {
        Assert.True(SenseParser.TryParse(SenseBuilder.Fixed(SenseKey.IllegalRequest, 0x99, 0x01), out var sense, out _));

        Assert.Equal("5/99/01 (ASC 99h ASCQ 01h)", sense.ToString());
    }

    [Fact]
    public void Two_parses_of_the_same_bytes_are_equal()
    {
        var bytes = SenseBuilder.Fixed(SenseKey.MediumError, 0x0C, 0x09, information: 7);

        Assert.True(SenseParser.TryParse(bytes, out var first, out _));
        Assert.True(SenseParser.TryParse(bytes.ToArray(), out var second, out _));

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_default_value_has_empty_raw_bytes_not_null()
    {
        Assert.Empty(default(SenseData).Raw);
    }
}
