using Farm.Device.Sense;

namespace Farm.Device.Tests.Sense;

/// <summary>Descriptor-format sense, SPC-4 4.5.2 (tables 27, 29, 31 and 37), from known bytes.</summary>
public class DescriptorSenseParsingTests
{
    // 2/04/04 FORMAT IN PROGRESS; information descriptor (00h, VALID, value 1234h); sense key
    // specific descriptor (02h, SKSV, progress 8000h = one half). Additional length 14h = 12 + 8.
    private static readonly byte[] FormatInProgress =
    [
        0x72, 0x02, 0x04, 0x04, 0x00, 0x00, 0x00, 0x14,
        0x00, 0x0A, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34,
        0x02, 0x06, 0x00, 0x00, 0x80, 0x80, 0x00, 0x00,
    ];

    [Fact]
    public void Reads_key_asc_ascq_information_and_progress_from_the_descriptors()
    {
        Assert.True(SenseParser.TryParse(FormatInProgress, out var sense, out var problem));

        Assert.Null(problem);
        Assert.Equal(SenseFormat.Descriptor, sense.Format);
        Assert.True(sense.IsCurrent);
        Assert.Equal(SenseKey.NotReady, sense.Key);
        Assert.Equal(0x04, sense.Asc);
        Assert.Equal(0x04, sense.Ascq);
        Assert.Equal(0x1234u, sense.Information);
        Assert.Equal((ushort)0x8000, sense.Progress);
    }

    [Fact]
    public void Response_code_73h_is_a_deferred_error()
    {
        byte[] deferred = [0x73, 0x03, 0x0C, 0x09, 0, 0, 0, 0];

        Assert.True(SenseParser.TryParse(deferred, out var sense, out _));

        Assert.True(sense.IsDeferred);
        Assert.Equal("3/0C/09", sense.Code);
    }

    [Fact]
    public void Reads_progress_from_a_progress_indication_descriptor()
    {
        // Progress indication descriptor 0Ah (SPC-4 4.5.2.6): key/ASC/ASCQ of the operation, then progress in bytes 6-7.
        byte[] withProgressDescriptor = [0x72, 0x00, 0x00, 0x16, 0, 0, 0, 0x08, 0x0A, 0x06, 0x02, 0x04, 0x07, 0x00, 0x20, 0x00];

        Assert.True(SenseParser.TryParse(withProgressDescriptor, out var sense, out _));

        Assert.Equal((ushort)0x2000, sense.Progress);
    }

    [Fact]
    public void Unknown_descriptors_are_skipped_by_their_length()
    {
        // A field replaceable unit descriptor (03h) before the sense key specific one.
        byte[] withOther = [0x72, 0x02, 0x04, 0x08, 0, 0, 0, 0x0C, 0x03, 0x02, 0x00, 0x07, 0x02, 0x06, 0x00, 0x00, 0x80, 0x10, 0x00, 0x00];

        Assert.True(SenseParser.TryParse(withOther, out var sense, out _));

        Assert.Equal((ushort)0x1000, sense.Progress);
    }

    [Fact]
    public void A_descriptor_running_past_the_additional_sense_length_is_rejected()
    {
        var contradictory = FormatInProgress.ToArray();
        contradictory[9] = 0x30; // the information descriptor now claims 50 bytes of a 20-byte area

        Assert.False(SenseParser.TryParse(contradictory, out _, out var problem));

        Assert.Contains("descriptor 00h", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_information_descriptor_shorter_than_spc4_requires_is_rejected()
    {
        byte[] shortInformation = [0x72, 0x03, 0x11, 0x00, 0, 0, 0, 0x06, 0x00, 0x04, 0x80, 0x00, 0x00, 0x00];

        Assert.False(SenseParser.TryParse(shortInformation, out _, out var problem));

        Assert.Contains("information descriptor", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_descriptor_cut_off_by_the_buffer_is_ignored_and_the_header_still_counts()
    {
        // The host's sense buffer ends inside the sense key specific descriptor (SPC-4 4.5.1).
        var truncated = FormatInProgress.AsSpan(0, 24);

        Assert.True(SenseParser.TryParse(truncated, out var sense, out _));

        Assert.Equal(0x1234u, sense.Information);
        Assert.Null(sense.Progress);
    }
}
