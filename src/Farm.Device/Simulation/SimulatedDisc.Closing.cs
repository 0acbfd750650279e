using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>Closing tracks and sessions, per MMC-6 CLOSE TRACK/SESSION.</summary>
public sealed partial class SimulatedDisc
{
    /// <summary>
    /// Closes logical track <paramref name="number"/> (close function 001b). The track's recorded
    /// blocks become a complete track; when it was the last track, a new invisible track opens at
    /// the next aligned address. A complete track closes again without effect; an unknown or blank
    /// invisible track is an invalid field; a reserved track that is not completely written is
    /// 5/72/04 (the farm does not let the drive pad it). <paramref name="runOutBlocks"/> are
    /// recorded after the data (CD track-at-once: 2 run-out blocks; the next track then starts
    /// after 1 link and 4 run-in blocks), readable as zeros and counted by READ CAPACITY.
    /// </summary>
    internal SenseCode? CloseTrack(int number, int runOutBlocks = 0)
    {
        if (IsOverwritable)
        {
            return null;
        }

        int index = _tracks.FindIndex(t => t.Number == number);
        if (index < 0 || _tracks[index].Status == TrackStatus.Invisible)
        {
            return SenseCode.InvalidFieldInCdb;
        }

        var track = _tracks[index];
        if (track.Status == TrackStatus.Complete)
        {
            return null;
        }

        if (track.Reserved && track.NextWritableAddress != track.EndAddress)
        {
            return SenseCode.EmptyOrPartiallyWrittenReservedTrack;
        }

        long end = track.NextWritableAddress;
        if (runOutBlocks > 0 && !track.Reserved)
        {
            Store.Write(end, new byte[runOutBlocks * IMediaStore.BlockSize]);
            end += runOutBlocks;
        }

        _tracks[index] = track with { Status = TrackStatus.Complete, NextWritableAddress = end, EndAddress = end };
        long nextStart = MediaLayout.AlignTrackStart(Profile.Family, end) + (runOutBlocks > 0 ? MediaLayout.CdLinkAndRunInBlocks : 0);
        if (index == _tracks.Count - 1 && nextStart < CapacityBlocks)
        {
            _tracks.Add(new SimulatedTrack(track.Number + 1, track.Session, nextStart, nextStart, TrackStatus.Invisible, CapacityBlocks));
        }

        RecomputeOpenStatuses();
        SaveState();
        return null;
    }

    /// <summary>
    /// Closes the last session (close function 010b) and, when <paramref name="finalize"/> is set
    /// or no room is left, finalises the disc. Otherwise a new empty session with an invisible
    /// track opens after the session gap and the disc stays appendable.
    /// </summary>
    internal SenseCode? CloseSession(bool finalize)
    {
        if (IsOverwritable)
        {
            return null;
        }

        if (Status == DiscStatus.Complete)
        {
            return SenseCode.CommandSequenceError;
        }

        var session = LastSession;
        var sessionTracks = _tracks.Where(t => t.Session == session.Number).ToList();
        if (sessionTracks.All(t => t.RecordedBlocks == 0))
        {
            return FinalizeAfterEmptySession(session, finalize);
        }

        if (sessionTracks.Any(t => t.Reserved && t.Status != TrackStatus.Complete && t.NextWritableAddress != t.EndAddress))
        {
            return SenseCode.EmptyOrPartiallyWrittenReservedTrack;
        }

        bool partiallyRecorded = sessionTracks.Any(t => t.Status == TrackStatus.Incomplete);
        if (partiallyRecorded && MediaLayout.NeedsExplicitTrackClose(Profile.Profile))
        {
            return SenseCode.SessionFixationIncompleteTrack;
        }

        // DVD+R, DVD+R DL and BD-R close the partially recorded track as part of the session close.
        for (int i = 0; i < _tracks.Count; i++)
        {
            if (_tracks[i].Session == session.Number && _tracks[i].Status is TrackStatus.Incomplete)
            {
                _tracks[i] = _tracks[i] with { Status = TrackStatus.Complete, EndAddress = _tracks[i].NextWritableAddress };
            }
        }

        _tracks.RemoveAll(t => t.Session == session.Number && t.Status == TrackStatus.Invisible);
        var last = _tracks[^1];
        _sessions[^1] = session with { Status = SessionState.Complete, LastTrack = last.Number };
        long nextStart = MediaLayout.AlignTrackStart(Profile.Family, last.NextWritableAddress)
            + MediaLayout.SessionGapBlocks(Profile.Family);
        if (finalize || nextStart >= CapacityBlocks)
        {
            Status = DiscStatus.Complete;
        }
        else
        {
            int trackNumber = last.Number + 1;
            _sessions.Add(new SimulatedSession(session.Number + 1, SessionState.Empty, trackNumber, trackNumber));
            _tracks.Add(new SimulatedTrack(trackNumber, session.Number + 1, nextStart, nextStart, TrackStatus.Invisible, CapacityBlocks));
            Status = DiscStatus.Incomplete;
        }

        SaveState();
        return null;
    }

    private SenseCode? FinalizeAfterEmptySession(SimulatedSession session, bool finalize)
    {
        // Nothing recorded in the open session: only finalising an appendable disc makes sense
        // (the empty session is dropped); closing an empty session is out of sequence.
        if (!finalize || _sessions.Count == 1)
        {
            return SenseCode.CommandSequenceError;
        }

        _tracks.RemoveAll(t => t.Session == session.Number);
        _sessions.RemoveAt(_sessions.Count - 1);
        Status = DiscStatus.Complete;
        SaveState();
        return null;
    }
}

/// <summary>Physical layout facts the simulator needs per media family (simplified, documented).</summary>
internal static class MediaLayout
{
    /// <summary>
    /// Where the track after one ending at <paramref name="end"/> starts: DVD tracks are padded
    /// to a 16-block ECC block, BD tracks to a 32-block cluster. CD tracks start right after
    /// (track-at-once run-out and link blocks are added by the close; pre-gaps are not modelled).
    /// </summary>
    public static long AlignTrackStart(MediaFamily family, long end)
    {
        long unit = family switch
        {
            MediaFamily.Dvd => 16,
            MediaFamily.Bd => 32,
            _ => 1,
        };
        return (end + unit - 1) / unit * unit;
    }

    /// <summary>
    /// Blocks a closed session costs before the next session's first track (approximations:
    /// CD lead-out 6750 + next lead-in 4500 + pre-gap 150; DVD closure + intro, 96 ECC blocks;
    /// BD-R SRM sessions need no gap).
    /// </summary>
    public static long SessionGapBlocks(MediaFamily family) => family switch
    {
        MediaFamily.Cd => 11_400,
        MediaFamily.Dvd => 96 * 16,
        _ => 0,
    };

    /// <summary>CD track-at-once: after a track's 2 run-out blocks come 1 link block and 4 run-in blocks before the next track.</summary>
    public const int CdLinkAndRunInBlocks = 5;

    /// <summary>CD track-at-once: the run-out blocks a drive records after each track's data.</summary>
    public const int CdRunOutBlocks = 2;

    /// <summary>CD and DVD-R/-RW need an explicit CLOSE TRACK before the session closes (5/72/03 otherwise).</summary>
    public static bool NeedsExplicitTrackClose(Profile profile) =>
        profile is Profile.CdR or Profile.CdRw or Profile.DvdRSequential or Profile.DvdRwSequential
            or Profile.DvdRDualLayerSequential;
}
