using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// MMC CDBs for preparing and pacing a write, against known bytes. Sources: MMC-5 (6.5 FORMAT
/// UNIT, 6.8 GET PERFORMANCE, 6.24 READ FORMAT CAPACITIES, 6.39 SET STREAMING, BLANK, RESERVE TRACK,
/// SEND OPC INFORMATION, SET CD SPEED) and libburn's mmc.c: MMC_FORMAT_UNIT, MMC_BLANK with
/// mmc_erase, MMC_SEND_OPC with mmc_perform_opc, MMC_SET_SPEED with mmc_set_speed,
/// MMC_SET_STREAMING, MMC_GET_PERFORMANCE with mmc_get_write_performance, MMC_RESERVE_TRACK with
/// mmc_reserve_track, MMC_READ_FORMAT_CAPACITIES with mmc_read_format_capacities.
/// </summary>
public class MmcWritingCommandBytesTests
{
    [Fact]
    public void Get_performance_write_speeds_puts_type_03h_in_byte_10_and_the_count_in_bytes_8_and_9()
    {
        // libburn mmc_get_write_performance: opcode[8..9] = max descriptors, opcode[10] = 3.
        Bytes.Equal("AC 00 00 00 00 00 00 00 00 40 03 00", MmcCommands.GetWriteSpeeds(64).Bytes);
    }

    [Fact]
    public void Get_performance_nominal_write_sets_tolerance_10b_and_the_write_bit()
    {
        // MMC-5 6.8 table: byte 1 bits 4-3 tolerance (10b), bit 2 Write, bits 1-0 Except 00b.
        Bytes.Equal("AC 14 00 00 00 00 00 00 00 0A 00 00", MmcCommands.GetPerformance(write: true, 0, 10).Bytes);
        Bytes.Equal("AC 10 00 00 10 00 00 00 00 01 00 00", MmcCommands.GetPerformance(write: false, 0x1000, 1).Bytes);
    }

    [Fact]
    public void Set_cd_speed_to_the_maximum_is_ffffh_for_read_and_write()
    {
        // libburn mmc_set_speed: r, w <= 0 become 0xffff; opcode[2..3] = r, opcode[4..5] = w.
        Bytes.Equal("BB 00 FF FF FF FF 00 00 00 00 00 00", MmcCommands.SetCdSpeed(MmcCommands.MaximumSpeed, MmcCommands.MaximumSpeed).Bytes);
    }

    [Fact]
    public void Set_cd_speed_16x_write_with_pure_cav_sets_rotation_control_01b()
    {
        // 16 x 176 kB/s = 2816 = 0B00h.
        Bytes.Equal("BB 01 FF FF 0B 00 00 00 00 00 00 00", MmcCommands.SetCdSpeed(MmcCommands.MaximumSpeed, 2816, RotationControl.ConstantAngularVelocity).Bytes);
    }

    [Fact]
    public void Set_streaming_carries_the_28_byte_list_length_in_bytes_9_and_10()
    {
        // libburn mmc_set_streaming: c.page->bytes = 28; opcode[9] = 0, opcode[10] = 28.
        Bytes.Equal("B6 00 00 00 00 00 00 00 00 00 1C 00", MmcCommands.SetStreaming().Bytes);
    }

    [Fact]
    public void Reserve_track_puts_the_size_in_blocks_in_bytes_5_to_8()
    {
        // libburn mmc_reserve_track: mmc_int_to_four_char(opcode + 5, blocks); 2294920 = 230488h.
        Bytes.Equal("53 00 00 00 00 00 23 04 88 00", MmcCommands.ReserveTrack(2_294_920).Bytes);
    }

    [Fact]
    public void Reserve_track_sets_rmz_in_byte_1_bit_1()
    {
        // MMC RESERVE TRACK, ARSV = 0 layout as tabulated in http://senbee.seesaa.net/article/28808416.html
        // (byte 1: RMZ bit 1, ARSV bit 0; Reservation Size bytes 5-8).
        Bytes.Equal("53 02 00 00 00 00 00 10 00 00", MmcCommands.ReserveTrack(4096, reserveRecordingManagementZone: true).Bytes);
    }

    [Fact]
    public void Reserve_track_to_an_address_sets_arsv_and_puts_the_lba_in_bytes_2_to_5()
    {
        // MMC RESERVE TRACK, ARSV = 1 layout as tabulated in http://senbee.seesaa.net/article/28808416.html
        // (Reservation LBA bytes 2-5, bytes 6-8 reserved).
        Bytes.Equal("53 01 00 01 00 00 00 00 00 00", MmcCommands.ReserveTrackToAddress(0x10000).Bytes);
    }

    [Fact]
    public void Send_opc_information_with_do_opc_is_libburns_perform_opc()
    {
        // libburn mmc_perform_opc: MMC_SEND_OPC with opcode[1] = 1.
        Bytes.Equal("54 01 00 00 00 00 00 00 00 00", MmcCommands.SendOpcInformation().Bytes);
    }

    [Fact]
    public void Blank_minimal_with_immed_is_libburns_fast_erase()
    {
        // libburn mmc_erase: opcode[1] = 16 (Immed) | !!fast.
        Bytes.Equal("A1 11 00 00 00 00 00 00 00 00 00 00", MmcCommands.Blank(BlankingType.Minimal, immediate: true).Bytes);
    }

    [Fact]
    public void Blank_full_with_immed_is_libburns_full_erase()
    {
        Bytes.Equal("A1 10 00 00 00 00 00 00 00 00 00 00", MmcCommands.Blank(BlankingType.Full, immediate: true).Bytes);
    }

    [Fact]
    public void Blank_track_without_immed_puts_the_track_number_in_bytes_2_to_5()
    {
        Bytes.Equal("A1 02 00 00 00 03 00 00 00 00 00 00", MmcCommands.Blank(BlankingType.Track, immediate: false, 3).Bytes);
    }

    [Fact]
    public void Format_unit_sets_fmtdata_and_format_code_001b()
    {
        // libburn mmc.c MMC_FORMAT_UNIT = { 0x04, 0x11, 0, 0, 0, 0 }.
        Bytes.Equal("04 11 00 00 00 00", MmcCommands.FormatUnit().Bytes);
    }

    [Fact]
    public void Read_format_capacities_puts_the_allocation_length_in_bytes_7_and_8()
    {
        // libburn mmc_read_format_capacities: opcode[7] = 0x02, opcode[8] = 0x00 (512 bytes).
        Bytes.Equal("23 00 00 00 00 00 00 02 00 00", MmcCommands.ReadFormatCapacities(512).Bytes);
        Bytes.Equal("23 00 00 00 00 00 00 01 04 00", MmcCommands.ReadFormatCapacities().Bytes);
    }
}
