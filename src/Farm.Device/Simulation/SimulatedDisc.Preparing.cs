using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// Preparing a medium: formatting (FORMAT UNIT), blanking (BLANK) and reserving tracks (RESERVE
/// TRACK). The drive checks the command and decides the timing; the disc changes its state here
/// when the operation ends (a format or blank that is aborted leaves the disc as it was).
/// </summary>
public sealed partial class SimulatedDisc
{
    /// <summary>
    /// A formatted medium of <paramref name="profile"/> and <paramref name="capacity"/> blocks,
    /// all data gone: one complete session with one track over the whole capacity, writable
    /// anywhere (MMC-6 "Restricted overwrite", DVD+RW and BD-RE formatted media).
    /// <paramref name="state"/> is <see cref="FormatState.BackgroundFormatInProgress"/> while a
    /// DVD+RW basic format still runs in the background.
    /// </summary>
    internal void CompleteFormat(ProfileInfo profile, long capacity, FormatState state)
    {
        Profile = profile;
        CapacityBlocks = capacity;
        Formatting = state;
        RuinedReason = null;
        Status = DiscStatus.Complete;
        _sessions.Clear();
        _sessions.Add(new SimulatedSession(1, SessionState.Complete, 1, 1));
        _tracks.Clear();
        _tracks.Add(new SimulatedTrack(1, 1, 0, capacity, TrackStatus.Complete, capacity));
        Store.Truncate(0);
        ForgetAudio();
        SaveState();
    }

    /// <summary>The DVD+RW background format stopped (CLOSE 000b) or finished; the data already written stays.</summary>
    internal void SetBackgroundFormat(FormatState state)
    {
        Formatting = state;
        SaveState();
    }

    /// <summary>
    /// BLANK (full or minimal) of a CD-RW or DVD-RW: the disc reads as blank again, every session
    /// gone; a DVD-RW in restricted overwrite returns to sequential recording (MMC-6 BLANK command,
    /// "Blanking Types"). A disc ruined by a loss of streaming is usable again.
    /// </summary>
    internal void BlankAll()
    {
        if (Profile.Profile == Mmc.Profile.DvdRwRestrictedOverwrite)
        {
            Profile = Profiles.Get(Mmc.Profile.DvdRwSequential);
        }

        CapacityBlocks = Profile.CapacityBlocks;
        Formatting = FormatState.Usable;
        RuinedReason = null;
        Status = DiscStatus.Empty;
        _sessions.Clear();
        _sessions.Add(new SimulatedSession(1, SessionState.Empty, 1, 1));
        _tracks.Clear();
        _tracks.Add(new SimulatedTrack(1, 1, 0, 0, TrackStatus.Invisible, CapacityBlocks));
        Store.Truncate(0);
        ForgetAudio();
        SaveState();
    }

    /// <summary>
    /// RESERVE TRACK of <paramref name="blocks"/> (MMC-6 RESERVE TRACK command): the blank
    /// invisible track becomes a reserved track of that size (rounded up to an ECC block on DVD, a
    /// cluster on BD) and a new invisible track starts after it. Checks, in order: a disc with no
    /// blank invisible track (finalised, or the invisible track already written: reservations
    /// come before data) is 5/2C/00; a size of zero or beyond the free space is 5/24/00.
    /// </summary>
    internal SenseCode? ReserveTrack(long blocks)
    {
        var track = WritableTrack;
        if (track is null || track.Status != TrackStatus.Invisible)
        {
            return SenseCode.CommandSequenceError;
        }

        long end = MediaLayout.AlignTrackStart(Profile.Family, track.StartAddress + blocks);
        if (blocks <= 0 || end > CapacityBlocks)
        {
            return SenseCode.InvalidFieldInCdb;
        }

        _tracks[^1] = track with { Status = TrackStatus.Reserved, EndAddress = end, Reserved = true };
        long nextStart = MediaLayout.AlignTrackStart(Profile.Family, end);
        if (nextStart < CapacityBlocks)
        {
            _tracks.Add(new SimulatedTrack(track.Number + 1, track.Session, nextStart, nextStart, TrackStatus.Invisible, CapacityBlocks));
        }

        RecomputeOpenStatuses();
        SaveState();
        return null;
    }

    /// <summary>Reserved tracks of the open session (DVD-R disc-at-once allows one).</summary>
    internal int ReservedTracksInOpenSession => _tracks.Count(t => t.Reserved && t.Session == LastSession.Number);

    private void BecomeUnformatted()
    {
        Formatting = FormatState.Unformatted;
        Status = DiscStatus.Empty;
        _sessions.Clear();
        _sessions.Add(new SimulatedSession(1, SessionState.Empty, 1, 1));
        _tracks.Clear();
        _tracks.Add(new SimulatedTrack(1, 1, 0, 0, TrackStatus.Invisible, CapacityBlocks));
        SaveState();
    }
}
