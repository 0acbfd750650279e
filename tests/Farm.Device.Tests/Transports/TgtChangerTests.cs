using Farm.Device.Mmc;
using Farm.Device.Towers;
using Farm.Device.Transports.Iscsi;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Transports;

/// <summary>
/// The SMC tower driver against tgt's media changer: element 16 is the arm, element 1 the drive
/// (the changer target's LUN 1), slots 1024-1025 hold blank DVD+R (DISC_000, DISC_001), slots
/// 1026-1028 are empty, element 32 is an import/export slot. Bins: input 1024-1025, output
/// 1026-1027, reject 1028.
/// </summary>
[Collection(TgtTestGroup.Name)]
[Trait("Category", "tgt")]
public sealed class TgtChangerTests(TgtFixture tgt)
{
    private const ushort Arm = 16;
    private const ushort Drive = 1;

    private static readonly SmcTowerLayout Layout = new(
        "tgt-tower",
        new Dictionary<string, ushort> { ["d1"] = Drive },
        Input: new SlotRange(1024, 1025),
        Output: new SlotRange(1026, 1027),
        Reject: new SlotRange(1028, 1028),
        InputMediaType: "DVD+R");

    [Fact]
    public async Task Element_status_lists_arm_slots_drive_and_import_export_with_volume_tags()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(transport);

        var arms = await changer.ReadElementStatusAsync(SmcElementType.MediumTransport, CancellationToken.None);
        var slots = await changer.ReadElementStatusAsync(SmcElementType.Storage, CancellationToken.None);
        var drives = await changer.ReadElementStatusAsync(SmcElementType.DataTransfer, CancellationToken.None);
        var mailslots = await changer.ReadElementStatusAsync(SmcElementType.ImportExport, CancellationToken.None);

        Assert.Equal(Arm, Assert.Single(arms).Address);
        Assert.Equal([1024, 1025, 1026, 1027, 1028], slots.Select(slot => (int)slot.Address));
        Assert.Equal([true, true, false, false, false], slots.Select(slot => slot.Full));
        Assert.Equal(["DISC_000", "DISC_001", null, null, null], slots.Select(slot => slot.VolumeTag));
        var drive = Assert.Single(drives);
        Assert.Equal((Drive, false), (drive.Address, drive.Full));
        Assert.Equal(32, Assert.Single(mailslots).Address);
    }

    [Fact]
    public async Task A_blank_is_loaded_burned_verified_and_unloaded_to_the_output_bin()
    {
        await tgt.RestartAsync();
        await using var changerTransport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(changerTransport);
        await changer.InitializeElementStatusAsync(CancellationToken.None);
        using var robot = new SmcTowerRobot(changer, Layout);

        Assert.Equal(new TowerBins(2, "DVD+R", 0, 0), await robot.GetBinsAsync(CancellationToken.None));
        var discId = await robot.LoadBlankAsync("d1", "DVD+R", CancellationToken.None);
        Assert.Equal("DISC_000", discId);
        var drive = Assert.Single(await changer.ReadElementStatusAsync(SmcElementType.DataTransfer, CancellationToken.None));
        Assert.True(drive.Full);
        Assert.Equal((ushort)1024, drive.SourceAddress ?? 1024);

        using var folder = new TempDirectory("burnfarm-tgt-smc");
        var image = new byte[1024 * 1024];
        new Random(5).NextBytes(image);
        var imagePath = folder.PathOf("image.iso");
        await File.WriteAllBytesAsync(imagePath, image);
        await using (var driveTransport = IscsiTransport.Connect(tgt.ChangerDriveUrl))
        {
            var mmc = new MmcDrive(driveTransport, TimeProvider.System, new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(20) });
            var written = await new DataWriter(mmc, new DataWriterOptions { FifoBytes = 1024 * 1024 }).WriteAsync(ImageSource.Open(imagePath), null, CancellationToken.None);
            var verified = await Verifier.ReadBackAsync(mmc, written.StartLba, written.Blocks, written.ImageSha256, CancellationToken.None);
            Assert.True(verified.Matches);
        }

        await robot.UnloadAsync("d1", Bins.Output, CancellationToken.None);

        Assert.Equal(new TowerBins(1, "DVD+R", 1, 0), await robot.GetBinsAsync(CancellationToken.None));
        var slots = await changer.ReadElementStatusAsync(SmcElementType.Storage, CancellationToken.None);
        Assert.Equal("DISC_000", slots.Single(slot => slot.Address == 1026).VolumeTag);
        Assert.False(Assert.Single(await changer.ReadElementStatusAsync(SmcElementType.DataTransfer, CancellationToken.None)).Full);
        var burned = await File.ReadAllBytesAsync(Path.Combine(tgt.MediaDirectory, "DISC_000"));
        Assert.True(burned.AsSpan(0, image.Length).SequenceEqual(image), "the disc in the output bin does not hold the image");
    }

    [Fact]
    public async Task Moving_from_an_empty_slot_is_an_empty_source()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(transport);

        var failure = await Assert.ThrowsAsync<TowerException>(() => changer.MoveMediumAsync(Arm, 1026, Drive, CancellationToken.None));

        Assert.Equal(TowerFault.InputEmpty, failure.Fault);
        Assert.Contains("source element is empty", failure.Message, StringComparison.Ordinal);
        Assert.Contains("5/3B/0E", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moving_onto_a_full_slot_is_a_full_destination()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(transport);

        var failure = await Assert.ThrowsAsync<TowerException>(() => changer.MoveMediumAsync(Arm, 1024, 1025, CancellationToken.None));

        Assert.Equal(TowerFault.BinFull, failure.Fault);
        Assert.Contains("destination element is full", failure.Message, StringComparison.Ordinal);
        Assert.Contains("5/3B/0D", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moving_to_an_address_the_changer_lacks_is_a_bad_address()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(transport);

        var failure = await Assert.ThrowsAsync<TowerException>(() => changer.MoveMediumAsync(Arm, 1024, 4000, CancellationToken.None));

        Assert.True(failure.Fault == TowerFault.NoSuchDiscOrDrive, failure.Message);
        Assert.Equal(TowerFault.NoSuchDiscOrDrive, failure.Fault);
        Assert.Contains("element address does not exist", failure.Message, StringComparison.Ordinal);
        // tgt's quirk: 5/24/00 instead of SMC's 5/21/01; the unit tests cover 5/21/01 itself.
        Assert.Contains("[sense 5/24/00]", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_robot_reports_an_empty_input_bin_a_full_output_bin_and_an_empty_drive()
    {
        await tgt.RestartAsync();
        await using var transport = IscsiTransport.Connect(tgt.ChangerUrl);
        var changer = new SmcChanger(transport);
        using var robot = new SmcTowerRobot(changer, Layout with { Output = new SlotRange(1025, 1025), Input = new SlotRange(1026, 1027) });

        var empty = await Assert.ThrowsAsync<TowerException>(() => robot.LoadBlankAsync("d1", "DVD+R", CancellationToken.None));
        Assert.Equal(TowerFault.InputEmpty, empty.Fault);
        Assert.Contains("input bin (slots 1026-1027) is empty", empty.Message, StringComparison.Ordinal);

        var noDisc = await Assert.ThrowsAsync<TowerException>(() => robot.UnloadAsync("d1", Bins.Output, CancellationToken.None));
        Assert.Equal(TowerFault.NoSuchDiscOrDrive, noDisc.Fault);

        await changer.MoveMediumAsync(Arm, 1024, Drive, CancellationToken.None);
        var full = await Assert.ThrowsAsync<TowerException>(() => robot.UnloadAsync("d1", Bins.Output, CancellationToken.None));
        Assert.Equal(TowerFault.BinFull, full.Fault);
        Assert.Contains("output bin (slot 1025) is full", full.Message, StringComparison.Ordinal);

        var unknown = await Assert.ThrowsAsync<TowerException>(() => robot.LoadBlankAsync("d9", "DVD+R", CancellationToken.None));
        Assert.Equal(TowerFault.NoSuchDiscOrDrive, unknown.Fault);
    }
}
