using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// MODE SENSE(10) answers for page 05h, hand-built per SPC-4 7.5.5 (mode parameter header(10)) and
/// MMC-5 7.5 (write parameters page); no captured drive answer is cited.
/// </summary>
public class WriteParametersParsingTests
{
    // Header: mode data length 003Ah (6 + 52), no block descriptors. Page: PS set (85h), length 32h;
    // byte 2 = BUFE | LS_V | SAO (62h); byte 3 = multi-session 11b | FP | copy | track mode 5 (F5h);
    // block type 8; link size 10h; host application code 3; session format 20h; packet size 32;
    // audio pause 150.
    private const string DvdDaoAnswer =
        "00 3A 00 00 00 00 00 00"
        + "85 32 62 F5 08 10 00 03 20 00 00 00 00 20 00 96"
        + "00000000000000000000000000000000"
        + "00000000000000000000000000000000"
        + "00000000";

    [Fact]
    public void Reads_every_field_of_the_page()
    {
        Assert.True(WriteParameters.TryParse(Bytes.Of(DvdDaoAnswer), out var parameters, out var problem));

        Assert.Null(problem);
        Assert.True(parameters.Savable);
        Assert.True(parameters.BufferUnderrunFree);
        Assert.True(parameters.LinkSizeValid);
        Assert.False(parameters.TestWrite);
        Assert.Equal(WriteType.SessionAtOnce, parameters.WriteType);
        Assert.Equal(MultiSession.NextSessionAllowed, parameters.MultiSession);
        Assert.True(parameters.FixedPacket);
        Assert.True(parameters.Copy);
        Assert.Equal(TrackMode.DataIncremental, parameters.TrackMode);
        Assert.Equal(DataBlockType.Mode1, parameters.DataBlockType);
        Assert.Equal(16, parameters.LinkSize);
        Assert.Equal(3, parameters.HostApplicationCode);
        Assert.Equal(SessionFormat.CdRomXa, parameters.SessionFormat);
        Assert.Equal(32u, parameters.PacketSize);
        Assert.Equal(150, parameters.AudioPauseLength);
    }

    [Fact]
    public void Skips_block_descriptors_announced_in_the_header()
    {
        // Block descriptor length 8 (bytes 6-7): one short LBA block descriptor precedes the page.
        var answer = Bytes.Of("00 42 00 00 00 00 00 08" + "00 00 00 00 00 00 08 00" + DvdDaoAnswer[23..]);

        Assert.True(WriteParameters.TryParse(answer, out var parameters, out var problem), problem);
        Assert.Equal(WriteType.SessionAtOnce, parameters.WriteType);
    }

    [Fact]
    public void Builder_output_parses_back_to_the_same_parameters()
    {
        var original = WriteParameters.DataDefaults with
        {
            WriteType = WriteType.TrackAtOnce,
            MultiSession = MultiSession.NextSessionAllowed,
            TrackMode = TrackMode.DataUninterrupted,
            PacketSize = 32,
            FixedPacket = true,
        };

        Assert.True(WriteParameters.TryParse(original.ToModeSelectParameterList(), out var parsed, out _));
        Assert.Equal(original, parsed);
    }

    [Fact]
    public void Another_page_in_the_answer_is_rejected_with_both_page_codes()
    {
        var answer = Bytes.Of(DvdDaoAnswer);
        answer[8] = 0x2A;

        Assert.False(WriteParameters.TryParse(answer, out _, out var problem));
        Assert.Contains("05h", problem, StringComparison.Ordinal);
        Assert.Contains("2Ah", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_cut_before_the_audio_pause_length_is_rejected()
    {
        var answer = Bytes.Of(DvdDaoAnswer)[..20];

        Assert.False(WriteParameters.TryParse(answer, out _, out var problem));
        Assert.Contains("12 bytes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_whose_mode_data_length_cannot_hold_itself_is_rejected()
    {
        var answer = Bytes.Of(DvdDaoAnswer);
        answer[1] = 0x03;

        Assert.False(WriteParameters.TryParse(answer, out _, out var problem));
        Assert.False(string.IsNullOrWhiteSpace(problem));
    }

    [Fact]
    public void Block_descriptors_longer_than_the_answer_are_rejected()
    {
        var answer = Bytes.Of(DvdDaoAnswer);
        answer[6] = 0xFF;

        Assert.False(WriteParameters.TryParse(answer, out _, out var problem));
        Assert.Contains("block descriptors", problem, StringComparison.Ordinal);
    }
}
