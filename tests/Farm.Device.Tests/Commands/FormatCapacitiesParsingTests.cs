using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// READ FORMAT CAPACITIES answers, hand-built per MMC-5 6.24.3 (capacity list header, 6.24.3.2
/// current/maximum descriptor, 6.24.3.3 formattable descriptors; the offsets libburn's
/// mmc_read_format_capacities reads); no captured answer is cited.
/// </summary>
public class FormatCapacitiesParsingTests
{
    // A blank DVD+RW: list length 16; current/maximum 2295104 blocks, unformatted (01b), 2048-byte
    // blocks; one offered format, 26h with 2295104 blocks.
    private const string BlankDvdPlusRw =
        "00 00 00 10"
        + "00 23 05 40 01 00 08 00"
        + "00 23 05 40 98 00 00 00";

    // A blank sequential DVD-RW: formatted capacity unknown; offers 00h full, 10h full, 15h quick (TDP 16).
    private const string BlankDvdMinusRw =
        "00 00 00 20"
        + "00 23 05 40 01 00 08 00"
        + "00 23 05 40 00 00 00 10"
        + "00 23 05 40 40 00 00 10"
        + "00 00 00 00 54 00 00 10";

    [Fact]
    public void Reads_the_current_maximum_descriptor()
    {
        Assert.True(FormatCapacities.TryParse(Bytes.Of(BlankDvdPlusRw), out var capacities, out var problem), problem);

        Assert.Equal(2_295_104u, capacities.CurrentBlocks);
        Assert.Equal(CapacityDescriptorType.Unformatted, capacities.DescriptorType);
        Assert.Equal(2048u, capacities.BlockLength);
    }

    [Fact]
    public void Reads_the_offered_format_type_blocks_and_parameter()
    {
        Assert.True(FormatCapacities.TryParse(Bytes.Of(BlankDvdPlusRw), out var capacities, out _));

        Assert.Equal([new FormattableCapacity(FormatType.DvdPlusRwBasic, 2_295_104, 0)], capacities.Formats);
    }

    [Fact]
    public void Finds_an_offered_format_by_type()
    {
        Assert.True(FormatCapacities.TryParse(Bytes.Of(BlankDvdMinusRw), out var capacities, out _));

        Assert.Equal(3, capacities.Formats.Count);
        Assert.Equal(new FormattableCapacity(FormatType.DvdMinusRwQuick, 0, 16), capacities.Offered(FormatType.DvdMinusRwQuick));
        Assert.Null(capacities.Offered(FormatType.BdReWithSpareAreas));
    }

    [Fact]
    public void A_list_cut_by_the_allocation_keeps_the_whole_descriptors_only()
    {
        var cut = Bytes.Of(BlankDvdMinusRw)[..26];

        Assert.True(FormatCapacities.TryParse(cut, out var capacities, out _));
        Assert.Single(capacities.Formats);
    }

    [Fact]
    public void A_list_length_that_is_not_a_multiple_of_8_is_rejected()
    {
        var answer = Bytes.Of(BlankDvdPlusRw);
        answer[3] = 0x0C;

        Assert.False(FormatCapacities.TryParse(answer, out _, out var problem));
        Assert.Contains("multiple of 8", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_without_the_current_maximum_descriptor_is_rejected()
    {
        Assert.False(FormatCapacities.TryParse(Bytes.Of("00 00 00 08 00 23"), out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }
}
