using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// Data-out parameter lists against known bytes: FORMAT UNIT's format list (MMC-5 6.5.3 header,
/// 6.5.4.2 descriptors; libburn mmc.c mmc_format_unit fills the same 12 bytes), SET STREAMING's
/// performance descriptor (MMC-5 6.39; libburn mmc_set_streaming) and the write parameters page for
/// MODE SELECT (MMC-5 7.5).
/// </summary>
public class ParameterListBytesTests
{
    [Fact]
    public void Dvd_plus_rw_basic_format_of_the_whole_disc_with_immed()
    {
        // libburn mmc_format_unit, DVD+RW branch: data[1] = 0x02 (Immed), data[3] = 8, data[4..7] = FF
        // (maximum capacity), data[8] = 0x26 << 2 = 0x98.
        Bytes.Equal("00 02 00 08 FF FF FF FF 98 00 00 00", FormatDescriptor.DvdPlusRwBasic().ToParameterList(immediate: true));
    }

    [Fact]
    public void Dvd_plus_rw_restart_sets_bit_0_of_the_type_dependent_parameter()
    {
        // libburn mmc_format_unit: data[11] = 1 ("Restart bit") for a partly formatted DVD+RW.
        Bytes.Equal("00 02 00 08 FF FF FF FF 98 00 00 01", FormatDescriptor.DvdPlusRwBasic(restart: true).ToParameterList(immediate: true));
    }

    [Fact]
    public void Dvd_minus_rw_quick_format_is_type_15h_with_a_16_sector_block_size()
    {
        // libburn mmc_format_unit, DVD-RW sequential branch: format type 15h (0x54 in byte 8), data[11] = 16.
        Bytes.Equal("00 02 00 08 00 00 00 00 54 00 00 10", FormatDescriptor.DvdMinusRw(quick: true, 0).ToParameterList(immediate: true));
    }

    [Fact]
    public void Dvd_minus_rw_full_format_is_type_10h_with_the_offered_block_count()
    {
        // 2297888 blocks = 00231020h; 10h << 2 = 40h.
        Bytes.Equal("00 00 00 08 00 23 10 20 40 00 00 10", FormatDescriptor.DvdMinusRw(quick: false, 2_297_888).ToParameterList(immediate: false));
    }

    [Fact]
    public void Bd_re_format_with_spare_areas_carries_the_subtype_in_byte_4_bits_1_0()
    {
        // 30h << 2 = C0h, quick certification 11b -> C3h; 12219392 blocks = 00BA7400h.
        Bytes.Equal("00 02 00 08 00 BA 74 00 C3 00 00 00", FormatDescriptor.BdRe(spareAreas: true, 12_219_392).ToParameterList(immediate: true));
    }

    [Fact]
    public void Bd_re_format_without_spare_areas_is_type_31h()
    {
        Bytes.Equal("00 02 00 08 00 BA 74 00 C4 00 00 00", FormatDescriptor.BdRe(spareAreas: false, 12_219_392).ToParameterList(immediate: true));
    }

    [Fact]
    public void Bd_re_full_format_is_type_00h()
    {
        Bytes.Equal("00 02 00 08 00 B4 74 00 00 00 08 00", new FormatDescriptor(FormatType.Full, 11_826_176, 2048).ToParameterList(immediate: true));
    }

    [Fact]
    public void A_descriptor_copied_from_read_format_capacities_keeps_type_blocks_and_parameter()
    {
        var offered = new FormattableCapacity(FormatType.DvdMinusRwQuick, 0x00230540, 16);

        Bytes.Equal("00 02 00 08 00 23 05 40 54 00 00 10", FormatDescriptor.From(offered).ToParameterList(immediate: true));
    }

    [Fact]
    public void Streaming_descriptor_for_speeds_uses_a_one_second_time_base_like_libburn()
    {
        // libburn mmc_set_streaming: pd[0] = 0, start 0, end_lba = 2294921 - 1, read size = r,
        // read time = 1000, write size = w, write time = 1000; here r = 10000000h ("unlimited"), w = 8x DVD.
        var descriptor = StreamingPerformance.ForSpeeds(2_294_920, 0x1000_0000, 11_080).ToBytes();

        Bytes.Equal(
            "00 00 00 00  00 00 00 00  00 23 04 88  10 00 00 00  00 00 03 E8  00 00 2B 48  00 00 03 E8",
            descriptor);
    }

    [Fact]
    public void Streaming_descriptor_flags_are_wrc_rdd_exact_ra_in_byte_0()
    {
        var descriptor = new StreamingPerformance(0, 0, 0, 0, 0, 0, RotationControl.ConstantAngularVelocity, RestoreDefaults: true, Exact: true, RandomAccess: true).ToBytes();

        Assert.Equal(0x0F, descriptor[0]);
        Assert.Equal(StreamingPerformance.Length, descriptor.Length);
    }

    [Fact]
    public void Write_parameters_for_a_data_disc_are_incremental_mode_1_with_bufe()
    {
        // Header: 8 bytes, mode data length reserved (0), no block descriptors. Page: 05 32; byte 2
        // BUFE (40h) | write type 0; byte 3 multi-session 00b | track mode 5; byte 4 block type 8;
        // bytes 14-15 audio pause 150 (0096h); the rest zero up to 52 bytes.
        var expected = "00 00 00 00 00 00 00 00"
            + "05 32 40 05 08 00 00 00 00 00 00 00 00 00 00 96"
            + string.Concat(Enumerable.Repeat("00", 36));

        Bytes.Equal(expected, WriteParameters.DataDefaults.ToModeSelectParameterList());
    }

    [Fact]
    public void Write_parameters_for_a_multisession_cd_tao_test_write()
    {
        // byte 2: BUFE 40h | Test Write 10h | TAO 1 = 51h; byte 3: multi-session 11b (C0h) | track mode 4.
        var parameters = WriteParameters.DataDefaults with
        {
            WriteType = WriteType.TrackAtOnce,
            TestWrite = true,
            MultiSession = MultiSession.NextSessionAllowed,
            TrackMode = TrackMode.DataUninterrupted,
        };

        var page = parameters.ToModeSelectParameterList().AsSpan(8, 6).ToArray();

        Bytes.Equal("05 32 51 C4 08 00", page);
    }

    [Fact]
    public void Write_parameters_for_dvd_minus_r_incremental_carry_a_valid_link_size_of_16()
    {
        // byte 2: BUFE | LS_V (20h) | incremental = 60h; byte 5 link size 10h.
        var parameters = WriteParameters.DataDefaults with { LinkSizeValid = true, LinkSize = 16 };

        var page = parameters.ToModeSelectParameterList().AsSpan(8, 6).ToArray();

        Bytes.Equal("05 32 60 05 08 10", page);
    }
}
