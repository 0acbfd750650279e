using Farm.Device.Spc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// SPC CDBs against known bytes. Sources: SPC-4 (6.6 INQUIRY, 6.10 MODE SELECT(10), 6.12 MODE
/// SENSE(10), 6.13 PREVENT ALLOW, 6.39 REQUEST SENSE, 6.47 TEST UNIT READY) and the CDB templates
/// of libburn's spc.c (SPC_TEST_UNIT_READY, SPC_INQUIRY, SPC_REQUEST_SENSE, SPC_PREVENT, SPC_ALLOW,
/// SPC_MODE_SENSE, SPC_MODE_SELECT).
/// </summary>
public class SpcCommandBytesTests
{
    [Fact]
    public void Test_unit_ready_is_six_zero_bytes()
    {
        // libburn spc.c SPC_TEST_UNIT_READY = { 0x00, 0, 0, 0, 0, 0 }.
        Bytes.Equal("00 00 00 00 00 00", SpcCommands.TestUnitReady().Bytes);
    }

    [Fact]
    public void Inquiry_puts_the_allocation_length_in_bytes_3_and_4()
    {
        // libburn spc.c SPC_INQUIRY = { 0x12, 0, 0, 0, 36, 0 }.
        Bytes.Equal("12 00 00 00 24 00", SpcCommands.Inquiry(36).Bytes);
        Bytes.Equal("12 00 00 00 60 00", SpcCommands.Inquiry().Bytes);
    }

    [Fact]
    public void Request_sense_for_18_bytes_of_fixed_sense_matches_libburn()
    {
        // libburn spc.c SPC_REQUEST_SENSE = { 0x03, 0, 0, 0, 18, 0 }.
        Bytes.Equal("03 00 00 00 12 00", SpcCommands.RequestSense(18).Bytes);
    }

    [Fact]
    public void Request_sense_sets_desc_in_byte_1_bit_0_for_descriptor_format()
    {
        // SPC-4 6.39 table 202: DESC is byte 1 bit 0.
        Bytes.Equal("03 01 00 00 FC 00", SpcCommands.RequestSense(252, descriptorFormat: true).Bytes);
    }

    [Fact]
    public void Prevent_and_allow_medium_removal_differ_only_in_byte_4()
    {
        // libburn spc.c SPC_PREVENT = { 0x1e, 0, 0, 0, 1, 0 }, SPC_ALLOW = { 0x1e, 0, 0, 0, 0, 0 }.
        Bytes.Equal("1E 00 00 00 01 00", SpcCommands.PreventAllowMediumRemoval(prevent: true).Bytes);
        Bytes.Equal("1E 00 00 00 00 00", SpcCommands.PreventAllowMediumRemoval(prevent: false).Bytes);
    }

    [Fact]
    public void Mode_sense_10_of_the_capabilities_page_matches_libburn()
    {
        // libburn spc.c spc_sense_caps_al: SPC_MODE_SENSE = { 0x5a, 0, 0, 0, 0, 0, 0, 16, 0, 0 } with
        // opcode[2] = 0x2A and the allocation length in bytes 7-8.
        Bytes.Equal("5A 00 2A 00 00 00 00 01 09 00", SpcCommands.ModeSense10(0x2A, 265).Bytes);
    }

    [Fact]
    public void Mode_sense_10_of_write_parameters_puts_page_05h_in_byte_2()
    {
        // libburn spc.c spc_sense_write_params: opcode[2] = 0x05, allocation 8 + 2 + 50 = 60 (3Ch).
        Bytes.Equal("5A 00 05 00 00 00 00 00 3C 00", SpcCommands.ModeSense10(0x05, 60).Bytes);
    }

    [Fact]
    public void Mode_sense_10_puts_page_control_in_byte_2_bits_7_6_and_dbd_in_byte_1_bit_3()
    {
        // SPC-4 6.12 table 97: DBD byte 1 bit 3; PC byte 2 bits 7-6 (01b changeable).
        Bytes.Equal("5A 08 45 00 00 00 00 00 3C 00", SpcCommands.ModeSense10(0x05, 60, ModePageControl.Changeable, disableBlockDescriptors: true).Bytes);
    }

    [Fact]
    public void Mode_select_10_sets_pf_and_the_parameter_list_length()
    {
        // libburn spc.c SPC_MODE_SELECT = { 0x55, 16, 0, ... } (PF = byte 1 bit 4), length in byte 8;
        // SPC-4 6.10 puts the parameter list length in bytes 7-8 of the 10-byte CDB.
        Bytes.Equal("55 10 00 00 00 00 00 00 3C 00", SpcCommands.ModeSelect10(60).Bytes);
    }

    [Fact]
    public void Mode_select_10_sets_sp_in_byte_1_bit_0_when_saving()
    {
        Bytes.Equal("55 11 00 00 00 00 00 01 00 00", SpcCommands.ModeSelect10(256, savePages: true).Bytes);
    }
}
