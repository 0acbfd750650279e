using Farm.Device.Audio;
using Farm.Device.Mmc;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;

namespace Farm.Controller.Api.Reports;

/// <summary>
/// Every disc burned for each job, built from the farm controller's journal in order (its own
/// decisions and the node reports it applied): the read model behind a job's <c>discs</c>, its
/// report and manifest. <see cref="Farm.Messages.Views.FarmState"/> keeps only each copy's current
/// attempt; this keeps every attempt. Memory is bounded: the newest <see cref="MaxJobs"/> jobs, and
/// per disc the speed curve its node recorded (BurnFinished, at most <see cref="SpeedPoint.MaxPerCurve"/> points).
/// Thread-safe: one writer (the journal's stream), many readers (requests).
/// </summary>
public sealed class DiscLedger
{
    public const int MaxJobs = 2000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Disc>> _jobs = new(StringComparer.Ordinal);
    private readonly Queue<string> _jobOrder = new();
    private readonly Dictionary<string, string> _towerOfDrive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AudioText> _audioText = new(StringComparer.Ordinal);

    /// <summary>The sequence number of the last controller event applied (0: none yet).</summary>
    public long Applied { get; private set; }

    /// <summary>The discs of a job, oldest attempt first (copy, then attempt); empty for a job it never saw.</summary>
    public IReadOnlyList<DiscRecord> Of(string jobId)
    {
        lock (_gate)
        {
            return _jobs.TryGetValue(jobId, out var discs) ? [.. discs.OrderBy(d => d.Copy).ThenBy(d => d.Attempt).Select(d => d.ToRecord())] : [];
        }
    }

    /// <summary>Applies one event of the controller's stream; <paramref name="sequenceNr"/> at or below the last one applied is skipped.</summary>
    public void Apply(IFarmEvent farmEvent, long sequenceNr)
    {
        ArgumentNullException.ThrowIfNull(farmEvent);
        lock (_gate)
        {
            if (sequenceNr > 0 && sequenceNr <= Applied)
            {
                return;
            }

            Applied = Math.Max(Applied, sequenceNr);
            if (farmEvent is NodeReported reported)
            {
                ApplyReport(reported.NodeId, reported.Event, reported.ReceivedAt);
            }
            else
            {
                ApplyDecision(farmEvent);
            }
        }
    }

    private void ApplyDecision(IFarmEvent farmEvent)
    {
        switch (farmEvent)
        {
            case JobSubmitted e when !_jobs.ContainsKey(e.JobId):
                _jobs[e.JobId] = [];
                _jobOrder.Enqueue(e.JobId);
                if (e.Source?.AudioText is { } text)
                {
                    _audioText[e.JobId] = text;
                }

                while (_jobOrder.Count > MaxJobs)
                {
                    var dropped = _jobOrder.Dequeue();
                    _jobs.Remove(dropped);
                    _audioText.Remove(dropped);
                }

                break;
            case CopyAssigned e when _jobs.TryGetValue(e.JobId, out var discs):
                discs.Add(new Disc(e.Copy, e.Attempt, e.DriveId, e.NodeId, _towerOfDrive.GetValueOrDefault(e.DriveId), e.MediaType, e.Verify.ToString().ToLowerInvariant()));
                break;
            case CopyVerified e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.Outcome = DiscOutcomes.Verified;
                disc.Sha256 = e.Sha256;
                break;
            case CopyFailed e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                if (disc.Outcome == DiscOutcomes.Burning)
                {
                    disc.Outcome = DiscOutcomes.Rejected;
                }

                disc.RejectReason ??= e.Reason.ToString();
                break;
            case NodeLost e:
                foreach (var disc in _jobs.Values.SelectMany(d => d).Where(d => d.Node == e.NodeId && d.Outcome == DiscOutcomes.Burning && d.EndedAt is null))
                {
                    disc.EndedAt = e.DeclaredAt;
                }

                break;
        }
    }

    private void ApplyReport(string nodeId, IFarmEvent farmEvent, DateTimeOffset at)
    {
        switch (farmEvent)
        {
            case DriveCameOnline e:
                _towerOfDrive[e.DriveId] = e.TowerId;
                break;
            case BurnAssigned e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.StartedAt ??= at;
                disc.Node ??= nodeId;
                break;
            case DiscLoaded e when Current(e.JobId, e.Copy, e.DriveId) is { } disc:
                disc.StartedAt ??= at;
                disc.Media = e.Profile;
                break;
            case BurnResumed e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.Outcome = DiscOutcomes.Burning;
                disc.InterruptedLba = e.LastPersistedLba;
                break;
            case BurnFinished e when Current(e.JobId, e.Copy, e.DriveId) is { } disc:
                if (e.Duration > TimeSpan.Zero && e.Blocks > 0)
                {
                    disc.AverageBytesPerSecond = e.Blocks * (double)MmcDrive.BlockSize / e.Duration.TotalSeconds;
                }

                disc.Finished(e.SpeedCurve);

                break;
            case DiscVerified e when Current(e.JobId, e.Copy, e.DriveId) is { } disc:
                disc.Sha256 = e.Sha256;
                disc.Tracks = e.Tracks is { Count: > 0 } tracks ? [.. tracks.Select(t => TrackOf(t, _audioText.GetValueOrDefault(e.JobId)))] : null;
                break;
            case BurnFailed e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.Outcome = e.Phase == BurnFailed.AbortedPhase ? DiscOutcomes.Aborted : DiscOutcomes.Rejected;
                disc.RejectReason = e.Reason.ToString();
                disc.EndedAt ??= at;
                break;
            case DiscInterrupted e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.Outcome = DiscOutcomes.Interrupted;
                disc.InterruptedLba = e.LastPersistedLba;
                disc.RejectReason = e.LastPersistedLba < 0
                    ? $"interrupted while {e.Phase} (node stopped or lost power) before the first block was written"
                    : $"interrupted while {e.Phase} (node stopped or lost power) at LBA {e.LastPersistedLba} of {e.TotalBlocks}";
                disc.EndedAt ??= at;
                break;
            case DiscUnloaded e when Find(e.JobId, e.Copy, e.Attempt) is { } disc:
                disc.EndedAt = at;
                disc.Sha256 ??= e.Sha256;
                break;
        }
    }

    /// <summary>A track as the report shows it: its length as mm:ss:ff from its frames, and the job's CD-TEXT and ISRC for its number.</summary>
    private static TrackRecord TrackOf(TrackChecksum track, AudioText? text)
    {
        var info = text?.Tracks is { } infos && track.Number >= 1 && track.Number <= infos.Count ? infos[track.Number - 1] : null;
        return new TrackRecord(track.Number, track.Source, track.StartLba, track.Blocks, CdAddress.Duration(track.Blocks), track.Sha256, info?.Title, info?.Performer, info?.Isrc);
    }

    private Disc? Find(string jobId, int copy, int attempt) =>
        _jobs.TryGetValue(jobId, out var discs) ? discs.FindLast(d => d.Copy == copy && d.Attempt == attempt) : null;

    /// <summary>The attempt a drive holds now at a copy (the events without an attempt number).</summary>
    private Disc? Current(string jobId, int copy, string driveId) =>
        _jobs.TryGetValue(jobId, out var discs) ? discs.FindLast(d => d.Copy == copy && d.Drive == driveId) : null;

    /// <summary>A disc being built up from its events.</summary>
    private sealed class Disc(int copy, int attempt, string drive, string node, string? tower, string media, string verify)
    {
        private readonly List<double[]> _curve = [];

        public int Copy { get; } = copy;

        public int Attempt { get; } = attempt;

        public string Drive { get; } = drive;

        public string? Node { get; set; } = node;

        public string Media { get; set; } = media;

        public DateTimeOffset? StartedAt { get; set; }

        public DateTimeOffset? EndedAt { get; set; }

        public string? Sha256 { get; set; }

        public string Outcome { get; set; } = DiscOutcomes.Burning;

        public string? RejectReason { get; set; }

        public long? InterruptedLba { get; set; }

        public double? AverageBytesPerSecond { get; set; }

        public IReadOnlyList<TrackRecord>? Tracks { get; set; }

        private double? PeakBytesPerSecond { get; set; }

        /// <summary>The curve the drive's node recorded while writing (a resumed burn: its last stretch).</summary>
        public void Finished(IReadOnlyList<SpeedPoint>? points)
        {
            if (points is not { Count: > 0 })
            {
                return;
            }

            _curve.Clear();
            _curve.AddRange(points.Take(SpeedPoint.MaxPerCurve).Select(p => new[] { p.Lba, Math.Round(p.BytesPerSecond / 1_000_000, 2) }));
            PeakBytesPerSecond = points.Max(p => p.BytesPerSecond);
        }

        public DiscRecord ToRecord() => new(
            Copy, Attempt, Drive, Node, tower, Media, StartedAt, EndedAt,
            AverageBytesPerSecond is { } average ? Math.Round(average / 1_000_000, 2) : null,
            PeakBytesPerSecond is { } peak ? Math.Round(peak / 1_000_000, 2) : null,
            verify, Sha256, Outcome, RejectReason, InterruptedLba, [.. _curve.Select(p => (double[])p.Clone())], Tracks);
    }
}
