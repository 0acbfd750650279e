using Farm.Device.Sbc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// Block command CDBs against known bytes. Sources: MMC-5 (READ(10), READ(12), WRITE(10), WRITE(12)
/// with the Streaming bit in byte 10 bit 7, SYNCHRONIZE CACHE Immed in byte 1 bit 1, START STOP
/// UNIT, READ CAPACITY) and libburn's templates: mmc.c MMC_WRITE_10 / MMC_WRITE_12 / MMC_READ_10 /
/// MMC_READ_CAPACITY / MMC_SYNC_CACHE (LBA in bytes 2-5, counts in 7-8 or 6-9) and sbc.c SBC_LOAD /
/// SBC_UNLOAD / SBC_START_UNIT.
/// </summary>
public class SbcCommandBytesTests
{
    [Fact]
    public void Read_10_puts_lba_in_bytes_2_to_5_and_blocks_in_7_and_8()
    {
        Bytes.Equal("28 00 00 01 02 03 00 00 10 00", SbcCommands.Read10(0x00010203, 16).Bytes);
    }

    [Fact]
    public void Read_12_puts_blocks_in_bytes_6_to_9()
    {
        Bytes.Equal("A8 00 00 00 04 00 00 01 00 00 00 00", SbcCommands.Read12(1024, 65536).Bytes);
    }

    [Fact]
    public void Write_10_of_16_blocks_at_lba_0()
    {
        // 16 blocks = 32 KiB, the CD/DVD chunk of libburn and growisofs.
        Bytes.Equal("2A 00 00 00 00 00 00 00 10 00", SbcCommands.Write10(0, 16).Bytes);
    }

    [Fact]
    public void Write_10_at_lba_minus_150_sends_the_lba_as_twos_complement()
    {
        // -150 (the CD pre-gap before LBA 0) = FFFFFF6Ah; libburn mmc_write shifts the signed int the same way.
        Bytes.Equal("2A 00 FF FF FF 6A 00 00 01 00", SbcCommands.Write10(-150, 1).Bytes);
    }

    [Fact]
    public void Write_12_without_streaming_leaves_byte_10_zero()
    {
        Bytes.Equal("AA 00 00 00 08 00 00 00 00 20 00 00", SbcCommands.Write12(2048, 32, streaming: false).Bytes);
    }

    [Fact]
    public void Write_12_with_streaming_sets_byte_10_bit_7()
    {
        Bytes.Equal("AA 00 00 00 08 00 00 00 00 20 80 00", SbcCommands.Write12(2048, 32, streaming: true).Bytes);
    }

    [Fact]
    public void Synchronize_cache_without_immed_is_libburns_template()
    {
        // libburn mmc.c MMC_SYNC_CACHE = { 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0 }.
        Bytes.Equal("35 00 00 00 00 00 00 00 00 00", SbcCommands.SynchronizeCache(immediate: false).Bytes);
    }

    [Fact]
    public void Synchronize_cache_with_immed_sets_byte_1_bit_1()
    {
        Bytes.Equal("35 02 00 00 00 00 00 00 00 00", SbcCommands.SynchronizeCache(immediate: true).Bytes);
    }

    [Fact]
    public void Start_stop_unit_eject_is_loej_without_start()
    {
        // libburn sbc.c SBC_UNLOAD = { 0x1b, 0, 0, 0, 2, 0 }.
        Bytes.Equal("1B 00 00 00 02 00", SbcCommands.StartStopUnit(immediate: false, loadEject: true, start: false).Bytes);
    }

    [Fact]
    public void Start_stop_unit_load_is_loej_with_start()
    {
        // libburn sbc.c SBC_LOAD = { 0x1b, 0, 0, 0, 3, 0 }.
        Bytes.Equal("1B 00 00 00 03 00", SbcCommands.StartStopUnit(immediate: false, loadEject: true, start: true).Bytes);
    }

    [Fact]
    public void Start_stop_unit_with_immed_sets_byte_1_bit_0()
    {
        // libburn sbc.c SBC_START_UNIT = { 0x1b, 0, 0, 0, 1, 0 }, here with Immed.
        Bytes.Equal("1B 01 00 00 01 00", SbcCommands.StartStopUnit(immediate: true, loadEject: false, start: true).Bytes);
    }

    [Fact]
    public void Read_capacity_is_opcode_25h_and_nine_zeros()
    {
        // libburn mmc.c MMC_READ_CAPACITY = { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 }.
        Bytes.Equal("25 00 00 00 00 00 00 00 00 00", SbcCommands.ReadCapacity().Bytes);
    }
}
