using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// MMC CDBs for reading the disc's state, against known bytes. Sources: MMC-5 (CLOSE TRACK
/// SESSION, 6.6 GET CONFIGURATION, 6.7 GET EVENT STATUS NOTIFICATION, READ BUFFER CAPACITY, 6.22
/// READ DISC INFORMATION, 6.27 READ TRACK INFORMATION) and libburn's mmc.c templates
/// (MMC_GET_CONFIGURATION, MMC_GET_DISC_INFO, MMC_TRACK_INFO, MMC_CLOSE, MMC_READ_BUFFER_CAPACITY,
/// MMC_GET_EVENT), whose "16" in byte 7 is an allocation length of 1000h.
/// </summary>
public class MmcCommandBytesTests
{
    [Fact]
    public void Get_configuration_of_all_features_with_4096_bytes_is_libburns_template()
    {
        // libburn mmc.c MMC_GET_CONFIGURATION = { 0x46, 0, 0, 0, 0, 0, 0, 16, 0, 0 }.
        Bytes.Equal("46 00 00 00 00 00 00 10 00 00", MmcCommands.GetConfiguration(ConfigurationRequest.All, 0x0000, 4096).Bytes);
    }

    [Fact]
    public void Get_configuration_of_one_feature_puts_rt_in_byte_1_and_the_feature_in_bytes_2_and_3()
    {
        // MMC-5 6.6: RT 10b = exactly the starting feature; feature 002Fh (DVD-R/-RW write).
        Bytes.Equal("46 02 00 2F 00 00 00 00 08 00", MmcCommands.GetConfiguration(ConfigurationRequest.One, 0x002F, 8).Bytes);
    }

    [Fact]
    public void Read_disc_information_with_4096_bytes_is_libburns_template()
    {
        // libburn mmc.c MMC_GET_DISC_INFO = { 0x51, 0, 0, 0, 0, 0, 0, 16, 0, 0 }.
        Bytes.Equal("51 00 00 00 00 00 00 10 00 00", MmcCommands.ReadDiscInformation(4096).Bytes);
    }

    [Fact]
    public void Read_disc_information_asks_for_the_34_byte_standard_block_by_default()
    {
        Bytes.Equal("51 00 00 00 00 00 00 00 22 00", MmcCommands.ReadDiscInformation().Bytes);
    }

    [Fact]
    public void Read_track_information_of_the_invisible_track_matches_libburns_nwa_query()
    {
        // libburn mmc.c mmc_get_nwa: MMC_TRACK_INFO with opcode[1] = 1 (track number) and
        // opcode[5] = 0xFF (the invisible/incomplete track on CD, DVD+R).
        Bytes.Equal("52 01 00 00 00 FF 00 10 00 00", MmcCommands.ReadTrackInformation(TrackAddressType.TrackNumber, 0xFF, 4096).Bytes);
    }

    [Fact]
    public void Read_track_information_by_lba_uses_address_type_00b()
    {
        Bytes.Equal("52 00 00 01 00 00 00 00 24 00", MmcCommands.ReadTrackInformation(TrackAddressType.LogicalBlockAddress, 0x10000).Bytes);
    }

    [Fact]
    public void Read_track_information_by_session_uses_address_type_10b()
    {
        Bytes.Equal("52 02 00 00 00 02 00 00 24 00", MmcCommands.ReadTrackInformation(TrackAddressType.SessionNumber, 2).Bytes);
    }

    [Theory]
    // MMC-5 CLOSE TRACK SESSION: close function in byte 2 bits 2-0, track/session number in bytes 4-5;
    // libburn mmc.c mmc_close: opcode[1] |= 1 (Immed), opcode[2] = function, opcode[4..5] = number.
    [InlineData(CloseFunction.StopBackgroundFormat, 0, "5B 01 00 00 00 00 00 00 00 00")]
    [InlineData(CloseFunction.CloseTrack, 1, "5B 01 01 00 00 01 00 00 00 00")]
    [InlineData(CloseFunction.CloseSession, 0, "5B 01 02 00 00 00 00 00 00 00")]
    [InlineData(CloseFunction.FinalizeMinimalRadius, 0, "5B 01 05 00 00 00 00 00 00 00")]
    [InlineData(CloseFunction.FinalizeDisc, 0, "5B 01 06 00 00 00 00 00 00 00")]
    public void Close_track_session_with_immed_puts_the_function_in_byte_2(CloseFunction function, ushort number, string expected)
    {
        Bytes.Equal(expected, MmcCommands.CloseTrackSession(function, number, immediate: true).Bytes);
    }

    [Fact]
    public void Close_track_without_immed_clears_byte_1_and_carries_a_two_byte_track_number()
    {
        Bytes.Equal("5B 00 01 00 01 2C 00 00 00 00", MmcCommands.CloseTrackSession(CloseFunction.CloseTrack, 300, immediate: false).Bytes);
    }

    [Fact]
    public void Read_buffer_capacity_with_4096_bytes_is_libburns_template()
    {
        // libburn mmc.c MMC_READ_BUFFER_CAPACITY = { 0x5C, 0, 0, 0, 0, 0, 0, 16, 0, 0 }.
        Bytes.Equal("5C 00 00 00 00 00 00 10 00 00", MmcCommands.ReadBufferCapacity(4096).Bytes);
        Bytes.Equal("5C 00 00 00 00 00 00 00 0C 00", MmcCommands.ReadBufferCapacity().Bytes);
    }

    [Fact]
    public void Get_event_status_notification_for_media_is_libburns_polled_media_request()
    {
        // libburn mmc.c (0.3.x) MMC_GET_EVENT = { 0x4A, 1, 0, 0, 16, 0, 0, 0, 8, 0 }: Polled, class 10h, 8 bytes.
        Bytes.Equal("4A 01 00 00 10 00 00 00 08 00", MmcCommands.GetEventStatusNotification(NotificationClasses.Media).Bytes);
    }

    [Fact]
    public void Get_event_status_notification_for_every_class_requests_7Eh()
    {
        // libburn mmc.c (1.x) mmc_get_event: opcode[4] = 0x7e, all classes from operational change to device busy.
        var all = NotificationClasses.OperationalChange | NotificationClasses.PowerManagement | NotificationClasses.ExternalRequest
            | NotificationClasses.Media | NotificationClasses.MultipleHosts | NotificationClasses.DeviceBusy;
        Bytes.Equal("4A 01 00 00 7E 00 00 00 08 00", MmcCommands.GetEventStatusNotification(all).Bytes);
    }
}
