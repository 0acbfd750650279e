using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Device.Tests.Writing;

/// <summary>IDiscFormat2Data parity on the simulator: sessions, rewritable ranges, cancel, concurrency, media properties, verify.</summary>
public sealed class DataWriterParityTests : IDisposable
{
    private readonly TempDirectory _folder = new("farm-parity");

    public void Dispose() => _folder.Dispose();

    private static readonly DataWriterOptions Appendable = new() { ForceMediaToBeClosed = false };

    [Fact]
    public async Task An_appendable_disc_gets_the_next_image_as_a_new_session_at_the_new_next_writable_address()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var mmc = WritingKit.MmcOf(drive);
        var first = WritingKit.Image(_folder, 100, seed: 1);
        var second = WritingKit.Image(_folder, 50, seed: 2);

        var one = await new DataWriter(mmc, Appendable).WriteAsync(first, null, CancellationToken.None);
        var two = await new DataWriter(mmc, Appendable).WriteAsync(second, null, CancellationToken.None);

        // DVD tracks start on a 16-block ECC boundary and a closed session costs the simulator's 1,536-block gap.
        Assert.Equal((0L, 1), (one.StartLba, one.SessionNumber));
        Assert.Equal((112L + 1536, 2), (two.StartLba, two.SessionNumber));
        Assert.True((await Verifier.ReadBackAsync(mmc, one.StartLba, 100, one.ImageSha256, CancellationToken.None)).Matches);
        Assert.True((await Verifier.ReadBackAsync(mmc, two.StartLba, 50, two.ImageSha256, CancellationToken.None)).Matches);
    }

    [Fact]
    public async Task Media_properties_of_an_appendable_disc_name_the_previous_session()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var mmc = WritingKit.MmcOf(drive);
        var writer = new DataWriter(mmc, Appendable);
        var written = await writer.WriteAsync(WritingKit.Image(_folder, 100), null, CancellationToken.None);

        var media = await writer.ReadMediaAsync(CancellationToken.None);

        var capacity = Profiles.Get(Profile.DvdPlusR).CapacityBlocks;
        Assert.Equal(DataMediaState.Appendable, media.CurrentMediaStatus);
        Assert.Equal(WriteProtectState.None, media.WriteProtectStatus);
        Assert.Equal(112L + 1536, media.NextWritableAddress);
        Assert.Equal(capacity - 112 - 1536, media.FreeSectorsOnMedia);
        Assert.Equal(capacity, media.TotalSectorsOnMedia);
        Assert.Equal(written.StartLba, media.StartAddressOfPreviousSession);
        Assert.Equal(99L, media.LastWrittenAddressOfPreviousSession);
        Assert.True(media.IsWritable);
    }

    [Fact]
    public async Task Media_properties_of_a_blank_disc_say_blank_with_everything_free()
    {
        await using var drive = WritingKit.DriveWith(Profile.BdRSequential, out _);
        var media = await new DataWriter(WritingKit.MmcOf(drive)).ReadMediaAsync(CancellationToken.None);

        var capacity = Profiles.Get(Profile.BdRSequential).CapacityBlocks;
        Assert.Equal(DataMediaState.Blank, media.CurrentMediaStatus);
        Assert.Equal((capacity, capacity, (long?)0), (media.TotalSectorsOnMedia, media.FreeSectorsOnMedia, media.NextWritableAddress));
        Assert.Null(media.StartAddressOfPreviousSession);
        Assert.Null(media.LastWrittenAddressOfPreviousSession);
        // IMAPI2 reports speeds in 2048-byte sectors per second: BD 1x is 4,495,500 B/s = 2195.
        Assert.Equal(2195, media.SupportedWriteSpeeds.Min());
        Assert.Equal(media.SupportedWriteSpeeds.Order(), media.SupportedWriteSpeeds.Distinct().Order());
    }

    [Fact]
    public async Task Media_properties_of_a_finalised_disc_say_finalized_and_not_writable()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var writer = new DataWriter(WritingKit.MmcOf(drive));
        await writer.WriteAsync(WritingKit.Image(_folder, 32), null, CancellationToken.None);

        var media = await writer.ReadMediaAsync(CancellationToken.None);

        Assert.Equal(DataMediaState.Finalized, media.CurrentMediaStatus);
        Assert.Null(media.NextWritableAddress);
        Assert.Equal(0, media.FreeSectorsOnMedia);
        Assert.Equal(0L, media.StartAddressOfPreviousSession);
        Assert.Equal(31L, media.LastWrittenAddressOfPreviousSession);
        Assert.False(media.IsWritable);
    }

    [Fact]
    public async Task Media_properties_of_a_rewritable_disc_say_overwrite_only_from_sector_zero()
    {
        await using var drive = WritingKit.DriveWith(Profile.BdRe, out _);
        var media = await new DataWriter(WritingKit.MmcOf(drive)).ReadMediaAsync(CancellationToken.None);

        Assert.Equal(DataMediaState.OverwriteOnly, media.CurrentMediaStatus);
        Assert.Equal(0L, media.NextWritableAddress);
        Assert.Equal(Profiles.Get(Profile.BdRe).CapacityBlocks, media.FreeSectorsOnMedia);
    }

    [Theory]
    [InlineData(Profile.DvdPlusRw)]
    [InlineData(Profile.BdRe)]
    public async Task A_rewritable_disc_gets_only_the_listed_block_ranges(Profile profile)
    {
        await using var drive = WritingKit.DriveWith(profile, out _);
        var mmc = WritingKit.MmcOf(drive);
        var original = WritingKit.Image(_folder, 64, seed: 1);
        await new DataWriter(mmc).WriteAsync(original, null, CancellationToken.None);
        var changed = WritingKit.Image(_folder, 64, seed: 2) with { ChangedRanges = [new BlockRange(40, 40), new BlockRange(10, 19)] };
        var before = drive.BytesWritten;

        var written = await new DataWriter(mmc).WriteAsync(changed, null, CancellationToken.None);

        var disc = await WritingKit.ReadDiscAsync(mmc, 0, 64);
        var oldBytes = await File.ReadAllBytesAsync(original.Path);
        var newBytes = await File.ReadAllBytesAsync(changed.Path);
        Assert.Equal(11 * 2048, drive.BytesWritten - before);
        Assert.Equal(newBytes[(10 * 2048)..(20 * 2048)], disc[(10 * 2048)..(20 * 2048)]);
        Assert.Equal(newBytes[(40 * 2048)..(41 * 2048)], disc[(40 * 2048)..(41 * 2048)]);
        Assert.Equal(oldBytes[..(10 * 2048)], disc[..(10 * 2048)]);
        Assert.Equal(oldBytes[(20 * 2048)..(40 * 2048)], disc[(20 * 2048)..(40 * 2048)]);
        Assert.Equal([new BlockRange(10, 19), new BlockRange(40, 40)], written.WrittenRanges);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(newBytes)), written.ImageSha256);
    }

    [Fact]
    public async Task A_block_range_outside_the_image_is_refused_with_invalid_argument()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusRw, out _);
        var image = WritingKit.Image(_folder, 16) with { ChangedRanges = [new BlockRange(10, 16)] };

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(WritingKit.MmcOf(drive)).WriteAsync(image, null, CancellationToken.None));

        Assert.Equal(ImapiErrors.InvalidArgument, refused.Error.Error);
        Assert.Equal(0, drive.BytesWritten);
    }

    [Fact]
    public async Task A_second_write_on_the_same_writer_while_one_runs_fails_with_write_in_progress()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var writer = new DataWriter(WritingKit.MmcOf(drive));
        var other = WritingKit.Image(_folder, 16, seed: 9);
        Task<WriteResult>? second = null;
        var progress = new InlineProgress<WriteProgress>(p =>
        {
            if (p.Action == WriteAction.WritingData)
            {
                Assert.True(writer.WriteInProgress);
                second ??= writer.WriteAsync(other, null, CancellationToken.None);
            }
        });

        await writer.WriteAsync(WritingKit.Image(_folder, 64), progress, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => second!);
        Assert.Equal(ImapiErrors.Df2DataWriteInProgress, refused.Error.Error);
        Assert.Equal(0xC0AA0400u, refused.Error.Error.HResult);
        Assert.False(writer.WriteInProgress);
    }

    [Fact]
    public async Task Cancel_mid_write_ends_with_request_cancelled_and_the_drive_burns_a_fresh_disc_after()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var mmc = WritingKit.MmcOf(drive);
        var writer = new DataWriter(mmc);
        var progress = new InlineProgress<WriteProgress>(p =>
        {
            if (p.LastWrittenLba >= 255)
            {
                writer.CancelWrite();
            }
        });

        var cancelled = await Assert.ThrowsAsync<DeviceException>(() => writer.WriteAsync(WritingKit.Image(_folder, 2048), progress, CancellationToken.None));

        Assert.Equal(ImapiErrors.RequestCancelled, cancelled.Error.Error);
        Assert.InRange(drive.BytesWritten, 256 * 2048, 2047 * 2048);
        Assert.False(drive.IsMediumRemovalPrevented);
        var spoiled = drive.Eject();
        Assert.NotNull(spoiled);
        drive.Insert(SimulatedDisc.Blank(Profiles.Get(Profile.DvdPlusR), "disc-2", new MemoryMediaStore()));
        var image = WritingKit.Image(_folder, 128, seed: 3);
        var burned = await writer.BurnAsync(image, null, CancellationToken.None);
        Assert.True(burned.Verified);
    }

    [Fact]
    public async Task A_disc_left_with_an_open_session_by_a_cancelled_write_is_refused_as_non_empty_session()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var writer = new DataWriter(WritingKit.MmcOf(drive));
        var progress = new InlineProgress<WriteProgress>(p =>
        {
            if (p.LastWrittenLba >= 15)
            {
                writer.CancelWrite();
            }
        });
        await Assert.ThrowsAsync<DeviceException>(() => writer.WriteAsync(WritingKit.Image(_folder, 256), progress, CancellationToken.None));

        var media = await writer.ReadMediaAsync(CancellationToken.None);
        var refused = await Assert.ThrowsAsync<DeviceException>(() => writer.WriteAsync(WritingKit.Image(_folder, 16, seed: 5), null, CancellationToken.None));

        Assert.True(media.CurrentMediaStatus.HasFlag(DataMediaState.NonEmptySession));
        Assert.False(media.IsWritable);
        Assert.Equal(ImapiErrors.Df2DataMediaIsNotSupported, refused.Error.Error);
    }

    [Fact]
    public async Task A_stream_that_is_not_whole_sectors_is_refused_with_stream_not_supported()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        using var odd = new MemoryStream(new byte[(2048 * 4) + 1]);

        var refused = await Assert.ThrowsAsync<DeviceException>(() => new DataWriter(WritingKit.MmcOf(drive)).WriteAsync(odd, null, CancellationToken.None));

        Assert.Equal(ImapiErrors.Df2DataStreamNotSupported, refused.Error.Error);
        Assert.Equal(0, drive.BytesWritten);
    }

    [Fact]
    public async Task A_burn_reports_every_action_in_order_and_carries_the_image_hash()
    {
        await using var drive = WritingKit.DriveWith(Profile.BdRSequential, out _);
        var actions = new List<WriteAction>();
        var image = WritingKit.Image(_folder, 64);

        var burned = await new DataWriter(WritingKit.MmcOf(drive)).BurnAsync(image, new InlineProgress<WriteProgress>(p => actions.Add(p.Action)), CancellationToken.None);

        Assert.Equal(
            [WriteAction.ValidatingMedia, WriteAction.InitializingHardware, WriteAction.CalibratingPower, WriteAction.WritingData, WriteAction.Finalization, WriteAction.Completed, WriteAction.Verifying],
            actions.Distinct());
        var expected = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(image.Path)));
        Assert.Equal((expected, expected), (burned.Write.ImageSha256, burned.Verify!.DiscSha256));
        Assert.Equal(VerifyMode.Full, burned.Verify.Mode);
    }

    [Fact]
    public async Task A_requested_speed_the_drive_does_not_offer_is_reported_as_adjusted()
    {
        // The simulated DVD writer offers 2, 2.4, 3, 4, 5, 6, 8, 12 and 16x: 7x is not among them.
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var options = new DataWriterOptions { WriteSpeed = WriteSpeedRequest.Times(7) };

        var written = await new DataWriter(WritingKit.MmcOf(drive), options).WriteAsync(WritingKit.Image(_folder, 16), null, CancellationToken.None);

        Assert.Equal(ImapiErrors.SpeedAdjusted, written.Status);
    }

    [Fact]
    public async Task A_requested_speed_the_drive_offers_is_used_as_asked()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var options = new DataWriterOptions { WriteSpeed = WriteSpeedRequest.Times(4) };

        var written = await new DataWriter(WritingKit.MmcOf(drive), options).WriteAsync(WritingKit.Image(_folder, 16), null, CancellationToken.None);

        Assert.Equal(ImapiErrors.Ok, written.Status);
        Assert.Equal(5540u, written.SelectedSpeedKBps);
    }

    [Fact]
    public async Task A_quick_verify_samples_sectors_and_passes_on_a_good_burn()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var writer = new DataWriter(WritingKit.MmcOf(drive), new DataWriterOptions { Verify = VerifyMode.Quick, QuickVerifySamples = 4, QuickVerifyRunBlocks = 8 });

        var burned = await writer.BurnAsync(WritingKit.Image(_folder, 1000), null, CancellationToken.None);

        Assert.True(burned.Verified, burned.Verify?.Problem);
        Assert.Equal(VerifyMode.Quick, burned.Verify!.Mode);
        Assert.Equal(32, burned.Verify.BlocksRead);
    }

    [Fact]
    public async Task A_quick_verify_against_a_different_image_names_the_first_differing_sectors()
    {
        await using var drive = WritingKit.DriveWith(Profile.DvdPlusR, out _);
        var mmc = WritingKit.MmcOf(drive);
        var writer = new DataWriter(mmc);
        var written = await writer.WriteAsync(WritingKit.Image(_folder, 100, seed: 1), null, CancellationToken.None);

        var verified = await writer.VerifyAsync(written, WritingKit.Image(_folder, 100, seed: 2), VerifyMode.Quick, null, CancellationToken.None);

        Assert.False(verified!.Matches);
        Assert.Contains("sectors 0-15 differ", verified.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Quick_verify_samples_include_the_first_and_last_sectors()
    {
        Assert.Equal([0L, 328, 656, 984], Verifier.SampleOffsets(1000, 4, 16));
    }
}
