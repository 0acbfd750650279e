using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Tests.Commands;
using Farm.Device.Transports;
using Farm.Device.Writing;

namespace Farm.Device.Tests.Writing;

/// <summary>IWriteEngine2 parity: preconditions, WRITE(10) vs WRITE(12), chunking, progress, cancel, speeds.</summary>
public sealed class WriteEngineTests
{
    private static WriteEngine EngineFor(MmcDrive mmc, WriteEngineOptions? options = null) =>
        new(options ?? new WriteEngineOptions { DriveBufferBytes = 64L * 1024 * 1024 }) { Recorder = mmc, BytesPerSector = 2048 };

    private static MemoryStream Data(int blocks, int seed = 7)
    {
        var bytes = new byte[blocks * 2048];
        new Random(seed).NextBytes(bytes);
        return new MemoryStream(bytes);
    }

    private static async Task<(SimulatedDrive Drive, RecordingTransport Recorded, MmcDrive Mmc)> RewritableAsync(int? maxTransfer = null)
    {
        var drive = await Simulation.SimulatorKit.ReadyDriveAsync(Profile.DvdPlusRw, WritingKit.Fast());
        var recorded = new RecordingTransport(drive) { MaxTransferBytes = maxTransfer ?? drive.MaxTransferBytes };
        return (drive, recorded, WritingKit.MmcOf(recorded));
    }

    [Fact]
    public async Task Write_section_without_a_recorder_fails_with_recorder_required()
    {
        var engine = new WriteEngine { BytesPerSector = 2048 };

        var refused = await Assert.ThrowsAsync<DeviceException>(() => engine.WriteSectionAsync(Data(1), 0, 1, CancellationToken.None));

        Assert.Equal(ImapiErrors.RecorderRequired, refused.Error.Error);
        Assert.Contains("set Recorder", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_section_without_bytes_per_sector_fails_with_invalid_argument()
    {
        var (drive, _, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = new WriteEngine { Recorder = mmc };

        var refused = await Assert.ThrowsAsync<DeviceException>(() => engine.WriteSectionAsync(Data(1), 0, 1, CancellationToken.None));

        Assert.Equal(0x80070057u, refused.Error.Error.HResult);
        Assert.Contains("BytesPerSector", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_per_sector_other_than_2048_is_refused_with_invalid_argument()
    {
        var refused = Assert.Throws<DeviceException>(() => new WriteEngine { BytesPerSector = 2352 });

        Assert.Equal(ImapiErrors.InvalidArgument, refused.Error.Error);
    }

    [Fact]
    public async Task A_section_lands_at_its_starting_address_with_write10_by_default()
    {
        var (drive, recorded, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var data = Data(64);

        var result = await EngineFor(mmc).WriteSectionAsync(data, 1000, 64, CancellationToken.None);

        Assert.Equal(ImapiErrors.Ok, result.Status);
        Assert.Equal(data.ToArray(), await WritingKit.ReadDiscAsync(mmc, 1000, 64));
        Assert.All(recorded.Of(0x2A), c => Assert.Equal(32 * 1024, c.DataLength));
        Assert.Empty(recorded.Of(0xAA));
    }

    [Fact]
    public async Task Use_streaming_write12_sends_write12_with_the_streaming_bit()
    {
        var (drive, recorded, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = EngineFor(mmc);
        engine.UseStreamingWrite12 = true;

        await engine.WriteSectionAsync(Data(32), 0, 32, CancellationToken.None);

        Assert.Empty(recorded.Of(0x2A));
        Assert.All(recorded.Of(0xAA), c => Assert.Equal(0x80, c.Cdb[10]));
        Assert.Equal(2, recorded.Of(0xAA).Count);
    }

    [Fact]
    public async Task Writes_are_cut_to_the_chunk_size_capped_by_the_adapters_maximum_transfer()
    {
        var (drive, recorded, mmc) = await RewritableAsync(maxTransfer: 16 * 1024);
        await using var _drive = drive;
        var engine = EngineFor(mmc);
        engine.ChunkBytes = 64 * 1024;

        await engine.WriteSectionAsync(Data(40), 0, 40, CancellationToken.None);

        Assert.Equal([16 * 1024, 16 * 1024, 16 * 1024, 16 * 1024, 16 * 1024], recorded.Of(0x2A).Select(c => c.DataLength));
    }

    [Fact]
    public async Task A_negative_starting_address_goes_into_the_cdb_as_twos_complement()
    {
        var scripted = new ScriptedTransport((_, _) => ScsiResult.Good());

        await EngineFor(WritingKit.MmcOf(scripted)).WriteSectionAsync(Data(1), -150, 1, CancellationToken.None);

        var write = scripted.Sent.Single(c => c.OperationCode == 0x2A);
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0x6A }, write.Cdb[2..6]);
    }

    [Fact]
    public async Task A_stream_shorter_than_the_blocks_asked_for_fails_with_invalid_argument()
    {
        var (drive, _, mmc) = await RewritableAsync();
        await using var _drive = drive;

        var refused = await Assert.ThrowsAsync<DeviceException>(() => EngineFor(mmc).WriteSectionAsync(Data(10), 0, 20, CancellationToken.None));

        Assert.Equal(ImapiErrors.InvalidArgument, refused.Error.Error);
        Assert.Contains("ended after 10 of the 20 blocks", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_carries_the_event_args_fields_and_time_left()
    {
        var (drive, _, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = EngineFor(mmc, new WriteEngineOptions { FifoBytes = 4 * 1024 * 1024, DriveBufferBytes = 64L * 1024 * 1024 });
        var reports = new List<WriteProgress>();
        engine.Update += (_, p) => reports.Add(p);

        await engine.WriteSectionAsync(Data(64), 500, 64, CancellationToken.None);

        Assert.Equal([515L, 531, 547, 563], reports.Select(r => r.LastWrittenLba));
        Assert.All(reports, r => Assert.Equal((500L, 64L, 4L * 1024 * 1024), (r.StartLba, r.SectorCount, r.TotalSystemBuffer)));
        Assert.All(reports, r => Assert.InRange(r.LastReadLba, r.LastWrittenLba, 563));
        Assert.Equal(TimeSpan.Zero, reports[^1].Remaining);
        Assert.Equal(1.0, reports[^1].Fraction);
    }

    [Fact]
    public async Task The_drive_buffer_is_polled_only_after_a_buffer_full_of_data_was_sent()
    {
        var (drive, recorded, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = EngineFor(mmc, new WriteEngineOptions { DriveBufferBytes = 1024 * 1024 });
        var reports = new List<WriteProgress>();
        engine.Update += (_, p) => reports.Add(p);

        await engine.WriteSectionAsync(Data(1024), 0, 1024, CancellationToken.None);

        var commands = recorded.Sent.Select(c => c.Cdb[0]).ToList();
        var firstPoll = commands.IndexOf(0x5C);
        Assert.True(firstPoll > 0, "READ BUFFER CAPACITY was never sent");
        Assert.Equal(32, commands.Take(firstPoll).Count(op => op == 0x2A));
        Assert.All(reports.Where(r => r.SectorsWritten < 512), r => Assert.Null(r.DriveBuffer));
        Assert.NotNull(reports[^1].DriveBuffer);
        Assert.Equal(4u * 1024 * 1024, reports[^1].DriveBuffer!.BufferLength);
    }

    [Fact]
    public async Task Write_in_progress_is_true_only_during_a_section_and_a_second_section_is_refused()
    {
        var (drive, _, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = EngineFor(mmc);
        var during = new List<bool>();
        Task<WriteSectionResult>? second = null;
        engine.Update += (_, _) =>
        {
            during.Add(engine.WriteInProgress);
            second ??= engine.WriteSectionAsync(Data(1), 0, 1, CancellationToken.None);
        };

        await engine.WriteSectionAsync(Data(32), 0, 32, CancellationToken.None);

        Assert.All(during, Assert.True);
        Assert.False(engine.WriteInProgress);
        var refused = await Assert.ThrowsAsync<DeviceException>(() => second!);
        Assert.Equal(0xC0AA0400u, refused.Error.Error.HResult);
    }

    [Fact]
    public async Task Cancel_write_stops_before_the_next_write_flushes_and_reports_request_cancelled()
    {
        var (drive, recorded, mmc) = await RewritableAsync();
        await using var _drive = drive;
        var engine = EngineFor(mmc);
        engine.Update += (_, p) =>
        {
            if (p.LastWrittenLba >= 63)
            {
                engine.CancelWrite();
            }
        };

        var cancelled = await Assert.ThrowsAsync<DeviceException>(() => engine.WriteSectionAsync(Data(256), 0, 256, CancellationToken.None));

        Assert.Equal(ImapiErrors.RequestCancelled, cancelled.Error.Error);
        Assert.Equal(0xC0AA0002u, cancelled.Error.Error.HResult);
        Assert.Equal(4, recorded.Of(0x2A).Count);
        Assert.Equal(0x35, recorded.Sent[^2].Cdb[0]);
        Assert.False(engine.WriteInProgress);
    }

    [Fact]
    public async Task A_speed_the_drive_does_not_offer_is_adjusted_to_the_fastest_offered_below_it()
    {
        var scripted = new ScriptedTransport((cdb, data) => cdb[0] == 0xAC ? ScriptedTransport.Reply(data, WriteSpeeds(11_080, 22_160)) : ScsiResult.Good());
        var engine = EngineFor(WritingKit.MmcOf(scripted));
        engine.Medium = Profiles.Get(Profile.DvdPlusR);
        engine.EndingSectorsPerSecond = 12 * 1_385_000 / 2048;

        var result = await engine.WriteSectionAsync(Data(1), 0, 1, CancellationToken.None);

        Assert.Equal(ImapiErrors.SpeedAdjusted, result.Status);
        Assert.Equal(0x00AA0004u, result.Status.HResult);
        var streaming = scripted.Sent.Single(c => c.OperationCode == 0xB6);
        Assert.Equal(new byte[] { 0, 0, 0x2B, 0x48 }, streaming.DataOut[20..24]);
    }

    [Fact]
    public async Task A_speed_the_drive_offers_is_set_exactly_and_reported_as_ok()
    {
        var scripted = new ScriptedTransport((cdb, data) => cdb[0] == 0xAC ? ScriptedTransport.Reply(data, WriteSpeeds(11_080, 22_160)) : ScsiResult.Good());
        var engine = EngineFor(WritingKit.MmcOf(scripted));
        engine.Medium = Profiles.Get(Profile.DvdPlusR);
        engine.StartingSectorsPerSecond = 22_160 * 1000 / 2048;

        var result = await engine.WriteSectionAsync(Data(1), 0, 1, CancellationToken.None);

        Assert.Equal(ImapiErrors.Ok, result.Status);
    }

    /// <summary>GET PERFORMANCE type 03h answer: 8-byte header, then 16-byte descriptors with the write speed in bytes 12-15.</summary>
    private static byte[] WriteSpeeds(params uint[] kbps)
    {
        var data = new byte[8 + (16 * kbps.Length)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - 4));
        for (var i = 0; i < kbps.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8 + (16 * i) + 12), kbps[i]);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8 + (16 * i) + 8), kbps[i]);
        }

        return data;
    }
}
