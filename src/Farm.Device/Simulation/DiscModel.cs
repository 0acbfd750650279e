using System.Text.Json.Serialization;
using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// Where a logical track is in its life (MMC-6 "Track states"): the invisible track is the
/// blank remainder of the disc; once written it is incomplete (partially recorded, still
/// invisible to READ TOC); closing it makes it complete and opens a new invisible track. A
/// reserved track (RESERVE TRACK) is blank with a fixed size until its first WRITE.
/// </summary>
public enum TrackStatus
{
    Invisible = 0,
    Incomplete = 1,
    Complete = 2,
    Reserved = 3,
}

/// <summary>
/// Whether an overwritable medium can be written (READ DISC INFORMATION "BG Format Status" on
/// DVD+RW; READ FORMAT CAPACITIES descriptor type on every formattable medium). Sequential media
/// are always <see cref="Usable"/>.
/// </summary>
public enum FormatState
{
    /// <summary>Formatted (or sequential): WRITE and READ work.</summary>
    Usable = 0,

    /// <summary>A fresh DVD+RW / BD-RE / DVD-RAM: it must be formatted before the first WRITE.</summary>
    Unformatted = 1,

    /// <summary>DVD+RW basic format (26h) running in the background: the disc is already writable.</summary>
    BackgroundFormatInProgress = 2,

    /// <summary>A background format stopped by CLOSE function 000b ("stop de-icing"); FORMAT UNIT with Restart resumes it.</summary>
    BackgroundFormatStopped = 3,
}

/// <summary>One session of a simulated disc.</summary>
/// <param name="Number">Session number, from 1.</param>
/// <param name="Status">Empty, incomplete or complete.</param>
/// <param name="FirstTrack">Number of the session's first track.</param>
/// <param name="LastTrack">Number of the session's last track.</param>
public sealed record SimulatedSession(int Number, SessionState Status, int FirstTrack, int LastTrack);

/// <summary>One logical track of a simulated disc.</summary>
/// <param name="Number">Logical track number, from 1.</param>
/// <param name="Session">The session the track belongs to.</param>
/// <param name="StartAddress">LBA of the track's first block.</param>
/// <param name="NextWritableAddress">The next LBA a WRITE must use (for a complete track: one past its end).</param>
/// <param name="Status">Invisible, incomplete or complete.</param>
/// <param name="EndAddress">One past the last block the track may hold (the disc capacity for the invisible track).</param>
/// <param name="Reserved">The track's size was fixed by RESERVE TRACK (it must be filled before its session closes).</param>
public sealed record SimulatedTrack(
    int Number,
    int Session,
    long StartAddress,
    long NextWritableAddress,
    TrackStatus Status,
    long EndAddress,
    bool Reserved = false)
{
    /// <summary>Not complete: a WRITE at its next writable address is accepted.</summary>
    [JsonIgnore]
    public bool IsOpen => Status != TrackStatus.Complete;

    /// <summary>Blocks recorded in the track.</summary>
    [JsonIgnore]
    public long RecordedBlocks => NextWritableAddress - StartAddress;

    /// <summary>Blocks still writable (0 for a complete track).</summary>
    [JsonIgnore]
    public long FreeBlocks => Status == TrackStatus.Complete ? 0 : EndAddress - NextWritableAddress;

    /// <summary>The last recorded LBA, or null when nothing is recorded.</summary>
    [JsonIgnore]
    public long? LastRecordedAddress => RecordedBlocks > 0 ? NextWritableAddress - 1 : null;

    /// <summary>The track size MMC reports: recorded size when complete, otherwise all the space up to the end.</summary>
    [JsonIgnore]
    public long Size => Status == TrackStatus.Complete ? RecordedBlocks : EndAddress - StartAddress;

    public bool Contains(long lba) => lba >= StartAddress && lba < (Status == TrackStatus.Complete ? NextWritableAddress : EndAddress);
}
