using Farm.Device.Audio;
using Farm.Device.Mmc;

namespace Farm.Device.Tests.Commands;

/// <summary>
/// The CD-DA CDBs and the cue sheet against the spec's layouts: MMC-5 SEND CUE SHEET (5Dh, size
/// in bytes 6-8), READ TOC/PMA/ATIP (43h, MSF in byte 1 bit 1, format in byte 2) whose format-2
/// form is libburn's MMC_GET_TOC template <c>{ 0x43, 2, 2, 0, 0, 0, 0, 16, 0, 0 }</c>, READ CD (BEh,
/// expected sector type in byte 1 bits 4-2, length in bytes 6-8, user data bit 4 of byte 9); the
/// cue sheet entries as libburn's burn_create_toc_entries builds them.
/// </summary>
public class AudioCommandBytesTests
{
    [Fact]
    public void Send_cue_sheet_puts_the_size_in_bytes_6_to_8()
    {
        Bytes.Equal("5D 00 00 00 00 00 00 00 20 00", MmcCommands.SendCueSheet(32).Bytes);
        Bytes.Equal("5D 00 00 00 00 00 01 02 03 00", MmcCommands.SendCueSheet(0x010203).Bytes);
    }

    [Fact]
    public void Read_full_toc_with_4096_bytes_is_libburns_template()
    {
        Bytes.Equal("43 02 02 00 00 00 00 10 00 00", MmcCommands.ReadTocPmaAtip(TocFormat.FullToc, msf: true, 0, 4096).Bytes);
    }

    [Fact]
    public void Read_toc_format_0_and_1_with_lbas()
    {
        Bytes.Equal("43 00 00 00 00 00 01 03 2C 00", MmcCommands.ReadTocPmaAtip(TocFormat.Toc, msf: false, 1, 812).Bytes);
        Bytes.Equal("43 00 01 00 00 00 00 00 0C 00", MmcCommands.ReadTocPmaAtip(TocFormat.SessionInfo, msf: false, 0, 12).Bytes);
    }

    [Fact]
    public void Read_cd_asks_for_cd_da_user_data_without_sub_channel()
    {
        Bytes.Equal("BE 04 00 00 01 C2 00 00 1B 10 00 00", MmcCommands.ReadCdAudio(450, 27).Bytes);
        Bytes.Equal("BE 04 FF FF FF 6A 00 00 01 10 00 00", MmcCommands.ReadCdAudio(-150, 1).Bytes);
    }

    [Fact]
    public void The_cue_sheet_of_two_tracks_is_lead_in_pregap_two_index_1_and_lead_out()
    {
        using var temp = new Farm.Testing.TempDirectory("farm-cue-bytes");
        using var master = DiscMaster.ForAudio(temp.FullPath);
        var stager = master.Redbook;
        stager.Disc = new AudioDiscInfo(Catalog: "0123456789012");
        stager.CreateTrack(blocks: 450, info: new AudioTrackInfo(Isrc: "USRC17607839"));
        stager.CloseTrack();
        stager.CreateTrack(blocks: 300);
        stager.CloseTrack();

        var sheet = CueSheet.For(stager.Layout());

        Bytes.Equal(
            "02 30 31 32 33 34 35 36" + "02 37 38 39 30 31 32 00" // catalog, ADR 2
            + "01 00 00 01 00 00 00 00" // lead-in, data form 01h
            + "03 01 55 53 52 43 31 37" + "03 01 36 30 37 38 33 39" // ISRC of track 1, ADR 3
            + "01 01 00 00 00 00 00 00" // track 1 index 0 (pre-gap) at 00:00:00, CD-DA from the host
            + "01 01 01 00 00 00 02 00" // track 1 index 1 at 00:02:00
            + "01 02 01 00 00 00 08 00" // track 2 index 1 at LBA 450 = 00:08:00
            + "01 AA 01 01 00 00 0C 00", // lead-out at LBA 750 = 00:12:00
            sheet);
    }

    [Fact]
    public void A_toc_answer_parses_into_tracks_and_the_lead_out()
    {
        var answer = Bytes.Of("00 1A 01 02" + "00 10 01 00 00 00 00 00" + "00 10 02 00 00 00 01 C2" + "00 10 AA 00 00 00 03 02");

        Assert.True(TocData.TryParseToc(answer, out var tracks, out var problem), problem);
        Assert.Equal([(1, 0L), (2, 450L), (0xAA, 770L)], tracks.Select(t => (t.Number, t.StartLba)));
        Assert.All(tracks, t => Assert.Equal(1, t.Adr));
    }

    [Fact]
    public void CdAddress_converts_like_the_msf_of_mmc()
    {
        Assert.Equal(((byte)0, (byte)2, (byte)0), CdAddress.ToMsf(0));
        Assert.Equal(((byte)74, (byte)0, (byte)0), CdAddress.ToMsf(CdAddress.Minutes74 - 150));
        Assert.Equal(-150, CdAddress.FromMsf(0, 0, 0));
    }
}
