using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Testing;

namespace Farm.Device.Tests.Audio;

/// <summary>
/// IRedbookDiscMaster's semantics and its seed-004 codes, one test per code. The values are
/// written out here from the seed (&H8004021A...) so a change in the error table fails them too.
/// </summary>
public sealed class RedbookStagerTests : IDisposable
{
    private const int Block = CdAddress.BlockBytes;

    private readonly TempDirectory _temp = new("farm-redbook");

    public void Dispose() => _temp.Dispose();

    private DiscMaster Master(long capacity = CdAddress.Minutes80) => DiscMaster.ForAudio(_temp.FullPath, capacity);

    private static DeviceError Fails(Action action) => Assert.Throws<DeviceException>(action).Error;

    [Fact]
    public void Creating_a_track_while_one_is_open_is_trackopen_8004021B()
    {
        using var master = Master();
        master.Redbook.CreateTrack();

        var error = Fails(() => master.Redbook.CreateTrack());

        Assert.Equal("IMAPI_E_TRACKOPEN", error.Error.Name);
        Assert.Equal(0x8004021Bu, error.Error.HResult);
        Assert.Contains("track 1 is still open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_blocks_without_an_open_track_is_tracknotopen_8004021A()
    {
        using var master = Master();

        var error = Fails(() => master.Redbook.AddBlocks(new byte[Block]));

        Assert.Equal("IMAPI_E_TRACKNOTOPEN", error.Error.Name);
        Assert.Equal(0x8004021Au, error.Error.HResult);
    }

    [Fact]
    public void Closing_without_an_open_track_is_tracknotopen_too()
    {
        using var master = Master();
        master.Redbook.CreateTrack();
        master.Redbook.AddBlocks(new byte[Block]);
        master.Redbook.CloseTrack();

        Assert.Equal(ImapiErrors.V1TrackNotOpen, Fails(() => master.Redbook.CloseTrack()).Error);
    }

    [Fact]
    public void Blocks_beyond_the_capacity_are_discfull_8004021C()
    {
        // A disc of 1,000 blocks (capacity is the stager's parameter; 74/80 minutes in the next test), 150 of them the pre-gap.
        using var master = Master(1000);
        var stager = master.Redbook;
        stager.CreateTrack();
        stager.AddBlocks(new byte[Block * 800]);

        Assert.Equal(50, stager.AvailableBlocks);
        stager.AddBlocks(new byte[Block * 50]);
        var error = Fails(() => stager.AddBlocks(new byte[Block]));

        Assert.Equal("IMAPI_E_DISCFULL", error.Error.Name);
        Assert.Equal(0x8004021Cu, error.Error.HResult);
        Assert.Equal(0, stager.AvailableBlocks);
        Assert.Equal(850, stager.CloseTrack().Blocks);
    }

    [Fact]
    public void A_track_of_n_blocks_larger_than_what_is_left_is_discfull_at_creation()
    {
        using var master = Master(CdAddress.Minutes74);

        Assert.Equal(ImapiErrors.V1DiscFull, Fails(() => master.Redbook.CreateTrack(CdAddress.Minutes74)).Error);
        master.Redbook.CreateTrack(CdAddress.Minutes74 - 150);
    }

    [Fact]
    public void A_hundredth_track_is_discfull()
    {
        using var master = Master();
        var stager = master.Redbook;
        for (int i = 0; i < 99; i++)
        {
            stager.CreateTrack();
            stager.AddBlocks(new byte[Block]);
            stager.CloseTrack();
        }

        var error = Fails(() => stager.CreateTrack());

        Assert.Equal(ImapiErrors.V1DiscFull, error.Error);
        Assert.Contains("99 tracks", error.Message, StringComparison.Ordinal);
        Assert.Equal(99, stager.Tracks.Count);
    }

    [Fact]
    public void Staging_data_while_redbook_is_active_is_wrongformat_80040221()
    {
        using var master = Master();
        master.Redbook.CreateTrack();

        var error = Fails(() => _ = master.Joliet);

        Assert.Equal("IMAPI_E_WRONGFORMAT", error.Error.Name);
        Assert.Equal(0x80040221u, error.Error.HResult);
    }

    [Fact]
    public void A_redbook_facet_kept_after_switching_to_joliet_is_wrongformat_and_its_tracks_are_cleared()
    {
        using var master = Master();
        var audio = master.Redbook;
        audio.CreateTrack();
        audio.AddBlocks(new byte[Block]);
        audio.CloseTrack();

        master.SetActiveFormat(DiscMasterFormat.Joliet);

        Assert.Equal(ImapiErrors.V1WrongFormat, Fails(() => audio.CreateTrack()).Error);
        Assert.Equal(ImapiErrors.V1WrongFormat, Fails(() => audio.AddBlocks(new byte[Block])).Error);
        master.SetActiveFormat(DiscMasterFormat.Redbook);
        Assert.Empty(audio.Tracks);
    }

    [Fact]
    public void Without_a_format_the_facets_are_noactiveformat()
    {
        using var master = new DiscMaster(_temp.FullPath);

        Assert.Equal(ImapiErrors.V1NoActiveFormat, Fails(() => _ = master.Redbook).Error);
        Assert.Equal(0x8004021Fu, ImapiErrors.V1NoActiveFormat.HResult);
    }

    [Fact]
    public void More_blocks_than_a_fixed_track_holds_is_track_not_big_enough_8004022D()
    {
        using var master = Master();
        master.Redbook.CreateTrack(blocks: 2);
        master.Redbook.AddBlocks(new byte[Block * 2]);

        var error = Fails(() => master.Redbook.AddBlocks(new byte[Block]));

        Assert.Equal("IMAPI_E_TRACK_NOT_BIG_ENOUGH", error.Error.Name);
        Assert.Equal(0x8004022Du, error.Error.HResult);
    }

    [Fact]
    public void Blocks_that_are_not_whole_are_invalid_argument()
    {
        using var master = Master();
        master.Redbook.CreateTrack();

        Assert.Equal(ImapiErrors.InvalidArgument, Fails(() => master.Redbook.AddBlocks(new byte[Block + 4])).Error);
    }

    [Fact]
    public void Burning_with_a_track_open_is_trackopen_and_without_tracks_invalidimage()
    {
        using var master = Master();
        Assert.Equal(ImapiErrors.V1InvalidImage, Fails(() => master.Redbook.Layout()).Error);
        master.Redbook.CreateTrack();
        Assert.Equal(ImapiErrors.V1TrackOpen, Fails(() => master.Redbook.Layout()).Error);
    }

    [Fact]
    public void The_layout_is_gapless_after_a_two_second_pregap_and_reads_back_what_was_staged()
    {
        using var master = Master();
        var stager = master.Redbook;
        var first = TestWav.Samples(Block * 400, seed: 7);
        var second = TestWav.Samples(Block * 10, seed: 9);
        stager.CreateTrack();
        stager.AddBlocks(first);
        stager.CloseTrack();
        stager.CreateTrack(blocks: 12);
        stager.AddBlocks(second);
        Assert.Equal(12, stager.CloseTrack().Blocks);

        var layout = stager.Layout();

        Assert.Equal([0L, 400L], layout.Tracks.Select(t => t.StartLba));
        // 12 blocks are below Red Book's 4 seconds: the track holds 300 on the disc.
        Assert.Equal(700, layout.LeadOutLba);
        Assert.Equal(850, layout.TotalBlocks);
        var disc = new byte[Block * (int)layout.TotalBlocks];
        layout.ReadBlocks(-150, disc);
        Assert.All(disc[..(Block * 150)], b => Assert.Equal(0, b));
        Assert.Equal(first, disc[(Block * 150)..(Block * 550)]);
        Assert.Equal(second, disc[(Block * 550)..(Block * 560)]);
        Assert.All(disc[(Block * 560)..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_bad_isrc_or_catalog_is_refused_with_the_expected_shape()
    {
        using var master = Master();

        Assert.Contains("CCOOOYYNNNNN", Fails(() => master.Redbook.CreateTrack(info: new AudioTrackInfo(Isrc: "US-RC1-76-07839"))).Message, StringComparison.Ordinal);
        Assert.Contains("13-digit", Fails(() => master.Redbook.Disc = new AudioDiscInfo(Catalog: "12345")).Message, StringComparison.Ordinal);
    }
}
