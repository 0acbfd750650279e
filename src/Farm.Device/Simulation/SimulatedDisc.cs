using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// One simulated medium: its profile, its sectors (an <see cref="IMediaStore"/>) and its recording
/// state as MMC-6 describes it (disc status, sessions, logical tracks, next writable address).
/// <para>
/// Sequential media (CD-R/RW, DVD-R/RW sequential, DVD+R, DVD+R DL, BD-R SRM) start with one
/// empty session holding one invisible track from LBA 0 to the capacity; a WRITE must land exactly
/// on an open track's next writable address (the invisible track, or a track RESERVE TRACK
/// sized). Overwritable media (DVD+RW, DVD-RAM, BD-RE, DVD-RW restricted overwrite) made by
/// <see cref="Blank"/> are already formatted: one complete session with one track spanning the
/// capacity, writable anywhere inside it; <see cref="Unformatted"/> makes them fresh, to be
/// formatted first. FORMAT UNIT and BLANK change the profile of a DVD-RW between sequential and
/// restricted overwrite.
/// </para>
/// A disc whose store is a <see cref="FileMediaStore"/> keeps its state in a JSON sidecar next to
/// the file (<see cref="StatePathFor"/>) so it can be re-opened after a crash with
/// <see cref="OpenFile"/>. The drive mutates a disc one command at a time; the disc itself is not
/// thread-safe.
/// </summary>
public sealed partial class SimulatedDisc : IDisposable
{
    private readonly List<SimulatedSession> _sessions;
    private readonly List<SimulatedTrack> _tracks;
    private int _lastWrittenTrack;
    private bool _disposed;

    private SimulatedDisc(
        string id,
        ProfileInfo profile,
        IMediaStore store,
        DiscStatus status,
        List<SimulatedSession> sessions,
        List<SimulatedTrack> tracks)
    {
        Id = id;
        Profile = profile;
        CapacityBlocks = profile.CapacityBlocks;
        Store = store;
        Status = status;
        _sessions = sessions;
        _tracks = tracks;
        StatePath = store is FileMediaStore file ? StatePathFor(file.Path) : null;
    }

    /// <summary>A name for messages and reports ("DVD+R#0042").</summary>
    public string Id { get; }

    /// <summary>The medium's profile, capacity and speeds (a DVD-RW changes between sequential and restricted overwrite).</summary>
    public ProfileInfo Profile { get; private set; }

    /// <summary>Whether an overwritable medium is formatted; always usable for sequential media.</summary>
    public FormatState Formatting { get; private set; }

    /// <summary>The disc's sectors.</summary>
    public IMediaStore Store { get; }

    /// <summary>Empty, incomplete (appendable) or complete (finalised / formatted).</summary>
    public DiscStatus Status { get; private set; }

    /// <summary>Why the disc can no longer be written (loss of streaming), or null.</summary>
    public string? RuinedReason { get; private set; }

    public bool IsRuined => RuinedReason is not null;

    /// <summary>Where the state sidecar lives, for file-backed discs; null in memory.</summary>
    public string? StatePath { get; }

    public IReadOnlyList<SimulatedSession> Sessions => _sessions;

    public IReadOnlyList<SimulatedTrack> Tracks => _tracks;

    /// <summary>True for random-writable media (DVD+RW, DVD-RAM, BD-RE, DVD-RW restricted overwrite).</summary>
    public bool IsOverwritable => !Profile.SequentialOnly;

    public SimulatedSession LastSession => _sessions[^1];

    /// <summary>The invisible (possibly partially recorded) track a sequential WRITE goes to, or null.</summary>
    public SimulatedTrack? WritableTrack =>
        !IsOverwritable && Status != DiscStatus.Complete && _tracks[^1].IsOpen ? _tracks[^1] : null;

    /// <summary>Where the next sequential WRITE must start; null on overwritable or closed media.</summary>
    public long? NextWritableAddress => WritableTrack?.NextWritableAddress;

    /// <summary>User blocks of the medium as formatted (BD-RE without spare areas holds more).</summary>
    public long CapacityBlocks { get; private set; }

    /// <summary>True when a sequential WRITE may go to <paramref name="track"/> (reserved, incomplete or invisible, on an open disc).</summary>
    public bool IsOpenForWriting(SimulatedTrack track) =>
        !IsOverwritable && Status != DiscStatus.Complete && track.IsOpen && _tracks.Contains(track);

    /// <summary>The last recorded LBA on the disc, or null when nothing is recorded.</summary>
    public long? LastRecordedAddress
    {
        get
        {
            if (IsOverwritable)
            {
                long extent = Store.WrittenExtentBlocks;
                return extent > 0 ? extent - 1 : null;
            }

            return _tracks.Select(t => t.LastRecordedAddress).Max();
        }
    }

    /// <summary>A blank disc of <paramref name="profile"/> on <paramref name="store"/> (state saved when file-backed).</summary>
    public static SimulatedDisc Blank(ProfileInfo profile, string id, IMediaStore store)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(store);
        long capacity = profile.CapacityBlocks;
        SimulatedDisc disc = profile.SequentialOnly
            ? new SimulatedDisc(
                id, profile, store, DiscStatus.Empty,
                [new SimulatedSession(1, SessionState.Empty, 1, 1)],
                [new SimulatedTrack(1, 1, 0, 0, TrackStatus.Invisible, capacity)])
            : new SimulatedDisc(
                id, profile, store, DiscStatus.Complete,
                [new SimulatedSession(1, SessionState.Complete, 1, 1)],
                [new SimulatedTrack(1, 1, 0, capacity, TrackStatus.Complete, capacity)]);
        disc.SaveState();
        return disc;
    }

    /// <summary>
    /// A fresh overwritable disc straight from the spindle (DVD+RW, BD-RE, DVD-RAM): unformatted,
    /// so READ DISC INFORMATION reports it empty and a WRITE fails until FORMAT UNIT ran.
    /// </summary>
    public static SimulatedDisc Unformatted(ProfileInfo profile, string id, IMediaStore store)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.SequentialOnly || profile.Profile == Mmc.Profile.DvdRwRestrictedOverwrite)
        {
            throw new ArgumentException($"{profile.Name} is not a medium that comes unformatted (a fresh DVD-RW is a blank sequential disc)", nameof(profile));
        }

        var disc = Blank(profile, id, store);
        disc.BecomeUnformatted();
        return disc;
    }

    /// <summary>A new blank disc in the file <paramref name="path"/> (any earlier disc there is replaced).</summary>
    public static SimulatedDisc CreateFile(ProfileInfo profile, string id, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.Delete(path);
        File.Delete(StatePathFor(Path.GetFullPath(path)));
        return Blank(profile, id, FileMediaStore.Open(path));
    }

    /// <summary>The sidecar that holds the state of the disc stored in <paramref name="mediaPath"/>.</summary>
    public static string StatePathFor(string mediaPath) => mediaPath + ".state.json";

    /// <summary>Releases the store after saving the state.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        SaveState();
        Store.Dispose();
        _disposed = true;
    }

    /// <summary>Flushes the store and saves the state (SYNCHRONIZE CACHE reaches here).</summary>
    public void Flush()
    {
        Store.Flush();
        CompleteCueSessionIfWritten();
        SaveState();
    }

    /// <summary>The track holding <paramref name="lba"/>, or null.</summary>
    public SimulatedTrack? TrackContaining(long lba) => _tracks.FirstOrDefault(t => t.Contains(lba));

    /// <summary>Checks a WRITE of <paramref name="blocks"/> blocks at <paramref name="lba"/>; null when allowed.</summary>
    internal SenseCode? CheckWrite(long lba, long blocks)
    {
        if (IsRuined)
        {
            return SenseCode.WriteError;
        }

        if (Formatting == FormatState.Unformatted)
        {
            return SenseCode.MediumNotFormatted;
        }

        if (IsOverwritable)
        {
            return lba + blocks > CapacityBlocks ? SenseCode.LogicalBlockAddressOutOfRange : null;
        }

        // A finalised disc has no open track, so no address is writable (MMC-6: writes only at an NWA).
        var track = OpenTrackAt(lba);
        if (track is null)
        {
            return SenseCode.InvalidAddressForWrite;
        }

        return lba + blocks > track.EndAddress ? SenseCode.EndOfUserArea : null;
    }

    /// <summary>The open track whose next writable address is <paramref name="lba"/>, or null.</summary>
    internal SimulatedTrack? OpenTrackAt(long lba) =>
        IsOverwritable || Status == DiscStatus.Complete ? null : _tracks.FirstOrDefault(t => t.IsOpen && t.NextWritableAddress == lba);

    /// <summary>Records <paramref name="data"/> at <paramref name="lba"/> (already checked by <see cref="CheckWrite"/>).</summary>
    internal void Write(long lba, ReadOnlySpan<byte> data)
    {
        Store.Write(lba, data);
        if (IsOverwritable || data.IsEmpty)
        {
            return;
        }

        Advance(lba, data.Length / IMediaStore.BlockSize);
    }

    /// <summary>Moves the open track whose NWA is <paramref name="lba"/> on by <paramref name="blocks"/> recorded blocks.</summary>
    private void Advance(long lba, long blocks)
    {
        int index = _tracks.FindIndex(t => t.IsOpen && t.NextWritableAddress == lba);
        var track = _tracks[index];
        _tracks[index] = track with { NextWritableAddress = track.NextWritableAddress + blocks, Status = TrackStatus.Incomplete };
        _lastWrittenTrack = track.Number;
        bool firstWriteOfSession = LastSession.Status == SessionState.Empty;
        RecomputeOpenStatuses();
        if (firstWriteOfSession)
        {
            SaveState();
        }
    }

    /// <summary>Checks a READ; null when every block is readable.</summary>
    internal SenseCode? CheckRead(long lba, long blocks)
    {
        if (Formatting == FormatState.Unformatted)
        {
            return SenseCode.MediumNotFormatted;
        }

        // CD-DA blocks have no 2048-byte user data: READ(10/12) of them is an illegal mode (READ CD reads them).
        if (AnyAudioIn(lba, blocks))
        {
            return SenseCode.IllegalModeForThisTrack;
        }

        if (IsOverwritable)
        {
            return lba + blocks > CapacityBlocks ? SenseCode.LogicalBlockAddressOutOfRange : null;
        }

        // Sequential media: nothing past the last recorded address (drives differ: some return
        // 3/11/xx or blank check 8/00/00; the farm wants one clear answer).
        long? last = LastRecordedAddress;
        return last is null || lba + blocks - 1 > last ? SenseCode.LogicalBlockAddressOutOfRange : null;
    }

    internal void Read(long lba, Span<byte> destination) => Store.Read(lba, destination);

    /// <summary>A loss of streaming ruined the disc: every later WRITE fails.</summary>
    internal void Ruin(string reason)
    {
        RuinedReason ??= reason;
        SaveState();
    }

    /// <summary>Power was lost with <paramref name="blocks"/> blocks still in the drive buffer: they never reached the disc.</summary>
    internal void LoseBufferedBlocks(long blocks)
    {
        int index = _tracks.FindIndex(t => t.Number == _lastWrittenTrack && t.Status == TrackStatus.Incomplete);
        if (IsOverwritable || blocks <= 0 || index < 0)
        {
            return;
        }

        var track = _tracks[index];
        long nextWritable = Math.Max(track.StartAddress, track.NextWritableAddress - blocks);
        var blankStatus = track.Reserved ? TrackStatus.Reserved : TrackStatus.Invisible;
        _tracks[index] = track with
        {
            NextWritableAddress = nextWritable,
            Status = nextWritable == track.StartAddress ? blankStatus : TrackStatus.Incomplete,
        };
        Store.Truncate(nextWritable);
        RecomputeOpenStatuses();
        SaveState();
    }

    /// <summary>Derives the open session's and the disc's status from the tracks of the open session.</summary>
    private void RecomputeOpenStatuses()
    {
        if (IsOverwritable || Status == DiscStatus.Complete)
        {
            return;
        }

        var session = LastSession;
        bool anyRecorded = _tracks.Any(t => t.Session == session.Number && t.RecordedBlocks > 0);
        _sessions[^1] = session with
        {
            Status = anyRecorded ? SessionState.Incomplete : SessionState.Empty,
            LastTrack = _tracks[^1].Number,
        };
        Status = _sessions.Count == 1 && !anyRecorded ? DiscStatus.Empty : DiscStatus.Incomplete;
    }
}
