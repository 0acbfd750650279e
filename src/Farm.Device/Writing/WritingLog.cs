using Microsoft.Extensions.Logging;

namespace Farm.Device.Writing;

/// <summary>Log messages of the write path; event ids 1200-1299.</summary>
internal static partial class WritingLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "{Drive}: writing {Blocks} blocks at LBA {Lba} ({Command}, {ChunkBytes}-byte WRITEs)")]
    public static partial void SectionStarted(ILogger logger, string drive, long blocks, long lba, string command, int chunkBytes);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "{Drive}: wrote {Blocks} blocks in {Elapsed}")]
    public static partial void SectionFinished(ILogger logger, string drive, long blocks, TimeSpan elapsed);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "{Drive}: WRITE timings: {Timings}")]
    public static partial void SectionTimings(ILogger logger, string drive, WriteTimings timings);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "{Drive}: the write failed at LBA {Lba} ({Status}); WRITE timings until then: {Timings}")]
    public static partial void SectionFailedTimings(ILogger logger, string drive, long lba, string status, WriteTimings timings);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "{Drive}: write cancelled after {Blocks} blocks; flushing the drive buffer so the drive stays usable")]
    public static partial void Cancelled(ILogger logger, string drive, long blocks);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "{Drive}: the flush after a cancel failed: {Error}")]
    public static partial void CancelFlushFailed(ILogger logger, string drive, string error);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Debug, Message = "{Drive}: READ BUFFER CAPACITY is not usable ({Error}); progress goes on without the drive buffer")]
    public static partial void BufferPollDisabled(ILogger logger, string drive, Errors.DeviceError error);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "{Drive}: write speed {Requested} requested, {SelectedKBps} kB/s selected (none: the drive's own) ({Status})")]
    public static partial void SpeedSelected(ILogger logger, string drive, WriteSpeedRequest requested, uint? selectedKBps, Errors.ImapiError status);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "{Drive}: {Command} is not implemented by the drive; {Consequence}")]
    public static partial void Unsupported(ILogger logger, string drive, string command, string consequence);

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information, Message = "{Drive}: {Action}")]
    public static partial void Step(ILogger logger, string drive, WriteAction action);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "{Drive}: block ranges given for a {Profile} disc are ignored: sequential media get the whole image as a new session")]
    public static partial void RangesIgnored(ILogger logger, string drive, string profile);

    [LoggerMessage(EventId = 1230, Level = LogLevel.Information, Message = "{Drive}: erasing the {Profile} disc with {Method}")]
    public static partial void Erasing(ILogger logger, string drive, string profile, string method);

    [LoggerMessage(EventId = 1240, Level = LogLevel.Debug, Message = "shared image {Path}: cursor {Cursor} fell {LagBytes} bytes behind and now reads from disk itself")]
    public static partial void CursorDetached(ILogger logger, string path, int cursor, long lagBytes);

    [LoggerMessage(EventId = 1241, Level = LogLevel.Information, Message = "shared image {Path} ({ImageBytes} bytes): its last drive is done; {DiskBytes} bytes read from disk for {Drives} drive(s), {Detached} of which read (part of) it on their own")]
    public static partial void ImageDone(ILogger logger, string path, long imageBytes, long diskBytes, int drives, int detached);
}
