using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>
/// The CD-TEXT pack encoder (MMC-3 Annex J) against known-good bytes: the three 8Fh size
/// information packs of a block of 5 title and 3 performer packs over tracks 1-2, as cdrtfe's
/// author published them with their CRCs (built from Annex J and cdrecord's source; libburn's
/// burn_cdtext_from_session lays 8Fh out the same way), and
/// the six-bit symbol form libburn's burn_write_leadin_cdtext sends in the lead-in.
/// </summary>
public sealed class CdTextPacksTests : IDisposable
{
    private static readonly byte[][] ReferenceSizeInformation =
    [
        Convert.FromHexString("8F000800" + "000102000503000000000000" + "F300"),
        Convert.FromHexString("8F010900" + "00000000000000030A000000" + "361B"),
        Convert.FromHexString("8F020A00" + "000000000900000000000000" + "87ED"),
    ];

    private readonly TempDirectory _temp = new("farm-cdtext-packs");

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Album "Farm Sessions" by "The Burners"; track 1 "Opening Night Overture" by "The Burners",
    /// track 2 "Closing Time" by "Guest": 50 title bytes with the NULs (5 packs), 30 performer bytes (3 packs).
    /// </summary>
    private DiscMaster Album()
    {
        var master = DiscMaster.ForAudio(_temp.FullPath);
        master.Redbook.Disc = new AudioDiscInfo("Farm Sessions", "The Burners");
        master.Redbook.CreateTrack(info: new AudioTrackInfo("Opening Night Overture", "The Burners"));
        master.Redbook.AddBlocks(new byte[CdAddress.BlockBytes]);
        master.Redbook.CloseTrack();
        master.Redbook.CreateTrack(info: new AudioTrackInfo("Closing Time", "Guest"));
        master.Redbook.AddBlocks(new byte[CdAddress.BlockBytes]);
        master.Redbook.CloseTrack();
        return master;
    }

    private static byte[] Pack(byte[] packs, int index) => packs[(index * CdTextPacks.PackBytes)..((index + 1) * CdTextPacks.PackBytes)];

    [Fact]
    public void The_crc_is_crc16_ccitt_inverted_as_in_the_reference_size_information_packs()
    {
        Assert.Equal([0xF300, 0x361B, 0x87ED], ReferenceSizeInformation.Select(p => (int)CdTextPacks.Crc(p)));
        Assert.All(ReferenceSizeInformation, p => Assert.True(CdTextPacks.CrcMatches(p)));

        var flipped = (byte[])ReferenceSizeInformation[0].Clone();
        flipped[5] ^= 0x01;
        Assert.False(CdTextPacks.CrcMatches(flipped));
    }

    [Fact]
    public void Five_title_and_three_performer_packs_over_tracks_1_and_2_end_with_the_reference_size_information()
    {
        using var master = Album();

        var packs = CdTextPacks.For(master.Redbook.Layout());

        Assert.Equal(11 * CdTextPacks.PackBytes, packs.Length);
        Assert.Equal([0x80, 0x80, 0x80, 0x80, 0x80, 0x81, 0x81, 0x81, 0x8F, 0x8F, 0x8F], Enumerable.Range(0, 11).Select(i => (int)Pack(packs, i)[0]));
        Assert.Equal(ReferenceSizeInformation[0], Pack(packs, 8));
        Assert.Equal(ReferenceSizeInformation[1], Pack(packs, 9));
        Assert.Equal(ReferenceSizeInformation[2], Pack(packs, 10));
    }

    [Fact]
    public void Text_runs_on_across_packs_each_pack_naming_the_track_and_character_position_it_starts_with()
    {
        using var master = Album();

        var packs = CdTextPacks.For(master.Redbook.Layout());

        // Pack 0: the album title's first 12 characters.
        Assert.Equal("800000004661726D2053657373696F6E", Convert.ToHexString(Pack(packs, 0)[..16]));
        // Pack 1: album (track 0) from character 12: "s", NUL, then track 1's "Opening Ni".
        Assert.Equal([0x80, 0x00, 0x01, 0x0C], Pack(packs, 1)[..4]);
        Assert.Equal("s\0Opening Ni"u8.ToArray(), Pack(packs, 1)[4..16]);
        // Pack 2: track 1 from character 10.
        Assert.Equal([0x80, 0x01, 0x02, 0x0A], Pack(packs, 2)[..4]);
        Assert.Equal("ght Overture"u8.ToArray(), Pack(packs, 2)[4..16]);
        // Pack 3 starts with track 1's NUL, its 22nd character: the position says 15 ("15 or more").
        Assert.Equal([0x80, 0x01, 0x03, 0x0F], Pack(packs, 3)[..4]);
        // The last title pack is padded with zeros after "Time" and its NUL.
        Assert.Equal("e\0\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), Pack(packs, 4)[4..16]);
        Assert.All(Enumerable.Range(0, 11), i => Assert.True(CdTextPacks.CrcMatches(Pack(packs, i)), $"pack {i}"));
        Assert.Equal(["Farm Sessions", "Opening Night Overture", "Closing Time"], CdTextPacks.Decode(packs, CdTextPacks.TypeTitle));
        Assert.Equal(["The Burners", "The Burners", "Guest"], CdTextPacks.Decode(packs, CdTextPacks.TypePerformer));
    }

    [Fact]
    public void A_catalog_and_isrcs_add_upc_isrc_packs_and_a_disc_without_titles_has_no_cd_text()
    {
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        master.Redbook.Disc = new AudioDiscInfo(Catalog: "0123456789012");
        master.Redbook.CreateTrack(info: new AudioTrackInfo(Isrc: "USRC17607839"));
        master.Redbook.AddBlocks(new byte[CdAddress.BlockBytes]);
        master.Redbook.CloseTrack();
        Assert.Empty(CdTextPacks.For(master.Redbook.Layout()));

        master.Redbook.Disc = new AudioDiscInfo("Album", Catalog: "0123456789012");
        var packs = CdTextPacks.For(master.Redbook.Layout());

        Assert.Equal(["Album", string.Empty], CdTextPacks.Decode(packs, CdTextPacks.TypeTitle));
        Assert.Equal(["0123456789012", "USRC17607839"], CdTextPacks.Decode(packs, CdTextPacks.TypeUpcIsrc));
        Assert.Empty(CdTextPacks.Decode(packs, CdTextPacks.TypePerformer));
    }

    [Fact]
    public void More_text_than_one_block_of_256_packs_holds_is_invalid_argument_naming_the_limit()
    {
        using var master = DiscMaster.ForAudio(_temp.FullPath);
        var long160 = new string('x', 160);
        for (int i = 0; i < 10; i++)
        {
            master.Redbook.CreateTrack(info: new AudioTrackInfo(long160, long160));
            master.Redbook.AddBlocks(new byte[CdAddress.BlockBytes]);
            master.Redbook.CloseTrack();
        }

        var error = Assert.Throws<DeviceException>(() => CdTextPacks.For(master.Redbook.Layout()));

        Assert.Equal(ImapiErrors.InvalidArgument, error.Error.Error);
        Assert.Contains("256 packs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pack_becomes_24_six_bit_symbols_as_libburn_sends_them_and_comes_back()
    {
        var pack = ReferenceSizeInformation[2];

        var symbols = CdTextLeadIn.ToSymbols(pack);

        // 8F 02 0A -> 100011 110000 001000 001010.
        Assert.Equal([0x23, 0x30, 0x08, 0x0A], symbols[..4]);
        Assert.Equal(24, symbols.Length);
        Assert.All(symbols, s => Assert.Equal(0, s & 0xC0));
        var back = new byte[18];
        Assert.True(CdTextLeadIn.TryFromSymbols(symbols, back));
        Assert.Equal(pack, back);
        symbols[5] |= 0x40;
        Assert.False(CdTextLeadIn.TryFromSymbols(symbols, back));
    }

    [Fact]
    public void Lead_in_blocks_carry_four_packs_each_and_the_packs_repeat_without_a_seam()
    {
        using var master = Album();
        var symbols = CdTextLeadIn.ToSymbols(CdTextPacks.For(master.Redbook.Layout()));
        var blocks = new byte[3 * CdTextLeadIn.BlockBytes];

        CdTextLeadIn.Fill(symbols, 2, blocks);

        // Blocks 2-4 of the lead-in hold packs 8-19 of the cycle of 11: 8, 9, 10, 0, 1, ... 8.
        int[] expected = [8, 9, 10, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        for (int slot = 0; slot < expected.Length; slot++)
        {
            Assert.Equal(symbols.AsSpan(expected[slot] * 24, 24).ToArray(), blocks.AsSpan(slot * 24, 24).ToArray());
        }
    }

    [Fact]
    public void A_lead_in_msf_in_minutes_90_to_99_is_a_negative_lba()
    {
        Assert.Equal(-11634, CdAddress.FromLeadInMsf(0x00_61_1A_42)); // 97:26:66
        Assert.Equal(-150, CdAddress.FromLeadInMsf(0x00_00_00_00));
        Assert.Equal(0, CdAddress.FromLeadInMsf(0x00_00_02_00));
    }
}
