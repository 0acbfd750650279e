using Farm.Device.Sense;

namespace Farm.Device.Tests.Sense;

/// <summary>Fixed-format sense, SPC-4 4.5.3 table 45, from known bytes.</summary>
public class FixedSenseParsingTests
{
    // 2/04/08 LONG WRITE IN PROGRESS with SKSV set and progress 4000h (a quarter), SPC-4 4.5.2.4.4.
    private static readonly byte[] LongWriteInProgress =
        [0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x04, 0x08, 0x00, 0x80, 0x40, 0x00];

    [Fact]
    public void Reads_key_asc_ascq_and_progress_of_a_long_write_in_progress()
    {
        Assert.True(SenseParser.TryParse(LongWriteInProgress, out var sense, out var problem));

        Assert.Null(problem);
        Assert.Equal(SenseFormat.Fixed, sense.Format);
        Assert.True(sense.IsCurrent);
        Assert.Equal(SenseKey.NotReady, sense.Key);
        Assert.Equal(0x04, sense.Asc);
        Assert.Equal(0x08, sense.Ascq);
        Assert.Equal((ushort)0x4000, sense.Progress);
        Assert.Equal(0.25, sense.ProgressFraction);
        Assert.Null(sense.Information);
        Assert.Equal(LongWriteInProgress, sense.Raw);
    }

    [Fact]
    public void Reads_information_only_when_the_valid_bit_is_set()
    {
        // 3/0C/09 loss of streaming at LBA 00012345h, VALID (byte 0 bit 7) set.
        byte[] valid = [0xF0, 0x00, 0x03, 0x00, 0x01, 0x23, 0x45, 0x0A, 0, 0, 0, 0, 0x0C, 0x09, 0, 0, 0, 0];
        var notValid = valid.ToArray();
        notValid[0] = 0x70;

        Assert.True(SenseParser.TryParse(valid, out var withInformation, out _));
        Assert.True(SenseParser.TryParse(notValid, out var withoutInformation, out _));

        Assert.Equal(0x00012345u, withInformation.Information);
        Assert.Null(withoutInformation.Information);
    }

    [Fact]
    public void Response_code_71h_is_a_deferred_error()
    {
        byte[] deferred = [0x71, 0x00, 0x03, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x0C, 0x00, 0, 0, 0, 0];

        Assert.True(SenseParser.TryParse(deferred, out var sense, out _));

        Assert.True(sense.IsDeferred);
        Assert.Equal(SenseKey.MediumError, sense.Key);
    }

    [Fact]
    public void Progress_is_ignored_for_sense_keys_other_than_not_ready_and_no_sense()
    {
        // 5/24/00 with SKSV set: for ILLEGAL REQUEST the field is a field pointer, not progress.
        byte[] fieldPointer = [0x70, 0x00, 0x05, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x24, 0x00, 0, 0xC0, 0x00, 0x02];

        Assert.True(SenseParser.TryParse(fieldPointer, out var sense, out _));

        Assert.Null(sense.Progress);
    }

    [Fact]
    public void Progress_needs_the_sksv_bit()
    {
        var withoutSksv = LongWriteInProgress.ToArray();
        withoutSksv[15] = 0x00;

        Assert.True(SenseParser.TryParse(withoutSksv, out var sense, out _));

        Assert.Null(sense.Progress);
    }

    [Fact]
    public void Bytes_beyond_the_additional_sense_length_are_not_read()
    {
        // Additional length 6 ends the sense after the ASCQ (byte 13); the SKSV/progress bytes
        // that follow in the buffer are leftovers and must not be taken as progress.
        var shortDeclared = LongWriteInProgress.ToArray();
        shortDeclared[7] = 6;

        Assert.True(SenseParser.TryParse(shortDeclared, out var sense, out _));

        Assert.Null(sense.Progress);
        Assert.Equal(14, sense.Raw.Length);
    }

    [Fact]
    public void A_buffer_shorter_than_the_declared_length_is_read_as_far_as_it_goes()
    {
        // SPC-4 4.5.1: the additional sense length is not reduced when the host's buffer truncates the sense.
        var truncated = LongWriteInProgress.AsSpan(0, 14);

        Assert.True(SenseParser.TryParse(truncated, out var sense, out _));

        Assert.Equal(0x08, sense.Ascq);
        Assert.Null(sense.Progress);
    }

    [Fact]
    public void Sense_that_ends_before_the_asc_is_rejected_with_a_reason()
    {
        var truncated = LongWriteInProgress.AsSpan(0, 12);

        Assert.False(SenseParser.TryParse(truncated, out _, out var problem));

        Assert.Contains("ASC", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_additional_length_leaves_no_asc_and_is_rejected()
    {
        var empty = LongWriteInProgress.ToArray();
        empty[7] = 0;

        Assert.False(SenseParser.TryParse(empty, out _, out var problem));

        Assert.Contains("additional sense length 0", problem, StringComparison.Ordinal);
    }
}
