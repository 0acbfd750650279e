using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// CD-DA on a simulated CD-R/RW: the 2352-byte blocks (an <see cref="AudioSectorStore"/>, in
/// memory only: the JSON sidecar of a file-backed disc does not keep audio), which tracks hold
/// audio, and a session-at-once recording in progress (the accepted cue sheet and the next LBA it
/// expects). Session-at-once: WRITEs must follow the cue sheet from its first LBA without a gap;
/// when the flush after the last block reaches the lead-out the drive writes lead-in and lead-out
/// and the disc is complete (finalised), its tracks those of the cue sheet (and, when the cue
/// sheet announced it, the CD-TEXT of the lead-in the host wrote first: SimulatedDisc.CdText.cs). Track-at-once audio
/// goes through the ordinary track model (NWA, CLOSE TRACK/SESSION) with 2352-byte blocks.
/// </summary>
public sealed partial class SimulatedDisc
{
    private readonly AudioSectorStore _audio = new();
    private readonly HashSet<int> _audioTracks = [];
    private CueSheetPlan? _cuePlan;
    private long _cueNext;

    /// <summary>True when a cue sheet was accepted and the session-at-once recording is not complete.</summary>
    public bool IsRecordingSessionAtOnce => _cuePlan is not null;

    /// <summary>Numbers of the tracks holding CD-DA (Q CONTROL without the data bit).</summary>
    public IReadOnlySet<int> AudioTrackNumbers => _audioTracks;

    /// <summary>Whether <paramref name="track"/> holds CD-DA.</summary>
    public bool IsAudio(SimulatedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return _audioTracks.Contains(track.Number);
    }

    /// <summary>Reads CD-DA blocks (checked by <see cref="CheckReadAudio"/>).</summary>
    internal void ReadAudio(long lba, Span<byte> destination) => _audio.Read(lba, destination);

    /// <summary>Takes an accepted cue sheet: the disc must be blank (the caller checked).</summary>
    internal void BeginSessionAtOnce(CueSheetPlan plan)
    {
        _cuePlan = plan;
        _cueNext = FirstWriteOf(plan);
    }

    /// <summary>
    /// Checks a CD-DA WRITE: session-at-once exactly at the next LBA of the cue sheet (5/21/02
    /// otherwise) and not past its lead-out (5/63/00); track-at-once like any sequential WRITE.
    /// </summary>
    internal SenseCode? CheckAudioWrite(long lba, long blocks, bool sessionAtOnce)
    {
        if (!sessionAtOnce)
        {
            return CheckWrite(lba, blocks);
        }

        if (IsRuined)
        {
            return SenseCode.WriteError;
        }

        if (_cuePlan is not { } plan)
        {
            return SenseCode.CommandSequenceError;
        }

        return lba != _cueNext ? SenseCode.InvalidAddressForWrite
            : lba + blocks > plan.LeadOutLba ? SenseCode.EndOfUserArea
            : null;
    }

    /// <summary>Records CD-DA blocks already checked by <see cref="CheckAudioWrite"/>.</summary>
    internal void WriteAudio(long lba, ReadOnlySpan<byte> data, bool sessionAtOnce)
    {
        _audio.Write(lba, data);
        long blocks = data.Length / Audio.CdAddress.BlockBytes;
        if (sessionAtOnce)
        {
            _cueNext = lba + blocks;
            return;
        }

        _audioTracks.Add(_tracks.First(t => t.IsOpen && t.NextWritableAddress == lba).Number);
        Advance(lba, blocks);
    }

    /// <summary>Checks a READ CD of CD-DA: every block inside a recorded audio track (5/64/00 in a data track, 5/21/00 elsewhere).</summary>
    internal SenseCode? CheckReadAudio(long lba, long blocks)
    {
        var first = TrackContaining(lba);
        var last = TrackContaining(lba + blocks - 1);
        if (first is null || last is null || lba + blocks - 1 > (LastRecordedAddress ?? -1))
        {
            return SenseCode.LogicalBlockAddressOutOfRange;
        }

        return _tracks.Where(t => t.Number >= first.Number && t.Number <= last.Number).All(IsAudio) ? null : SenseCode.IllegalModeForThisTrack;
    }

    /// <summary>Whether any of the blocks lies in an audio track.</summary>
    private bool AnyAudioIn(long lba, long blocks) =>
        _audioTracks.Count > 0 && _tracks.Any(t => _audioTracks.Contains(t.Number) && t.StartAddress < lba + blocks && lba < t.NextWritableAddress);

    /// <summary>The flush after the last block of a session-at-once recording: lead-in, lead-out, a finalised disc.</summary>
    private void CompleteCueSessionIfWritten()
    {
        if (_cuePlan is not { } plan || _cueNext != plan.LeadOutLba)
        {
            return;
        }

        _tracks.Clear();
        foreach (var track in plan.Tracks)
        {
            _tracks.Add(new SimulatedTrack(track.Number, 1, track.StartLba, track.EndLba, TrackStatus.Complete, track.EndLba));
            _audioTracks.Add(track.Number);
        }

        _sessions.Clear();
        _sessions.Add(new SimulatedSession(1, SessionState.Complete, 1, plan.Tracks.Count));
        Status = DiscStatus.Complete;
        KeepLeadInCdText();
        _cuePlan = null;
    }

    /// <summary>A blank disc again (BLANK): audio, tracks' audio marks and any cue sheet are gone.</summary>
    private void ForgetAudio()
    {
        _audio.Clear();
        _audioTracks.Clear();
        _cuePlan = null;
        ForgetCdText();
    }
}
