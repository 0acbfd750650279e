using System.Threading.Channels;
using Farm.Device.Mmc;
using Farm.Device.Writing;
using Farm.Messages.Drives;

namespace Farm.Node.Recording;

internal sealed partial class BurnAttempt
{
    /// <summary>
    /// Turns the writer's progress into <see cref="SectorsWritten"/> events, bounded by time and
    /// bytes (<see cref="ProgressBound"/>). The writer's loop drops a position into a one-slot
    /// channel only when one is due (<see cref="WakesSaver"/>); a separate task appends to the journal, so a slow disk never stalls the
    /// drive's WRITE stream. A position not yet persisted is persisted when its time is up even if
    /// the drive reports nothing new, and on completion whatever ended the write.
    /// </summary>
    private sealed class ProgressPersister : IProgress<WriteProgress>
    {
        private static readonly TimeSpan SpeedWindow = TimeSpan.FromMilliseconds(500);
        private readonly BurnAttempt _owner;
        private readonly AttemptInfo _attempt;
        private readonly string _discId;
        private readonly long? _resumeFromLba;
        private readonly ProgressBound _bound;
        private readonly Channel<WriteProgress> _latest = Channel.CreateBounded<WriteProgress>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        private readonly Task _persisting;
        private bool _started;
        private long _persistedLba = -1;
        private long _lastPersistTimestamp;
        private (TimeSpan Elapsed, long Sectors) _speedMark;
        private WriteProgress? _newest;
        private long _wokenLba = -1;
        private long _wokenTimestamp;
        private bool _finalizing;

        /// <summary>The burn's speed over its LBA, carried by BurnFinished into the farm's reports.</summary>
        public SpeedCurveRecorder Curve { get; } = new();

        /// <param name="resumeFromLba">Where a resumed burn starts writing: the writer reports the image's start on the disc (0 on rewritable media), but the burn starts here.</param>
        public ProgressPersister(BurnAttempt owner, AttemptInfo attempt, string discId, long? resumeFromLba = null)
        {
            _owner = owner;
            _attempt = attempt;
            _discId = discId;
            _resumeFromLba = resumeFromLba;
            _bound = ProgressBound.From(owner._options);
            _lastPersistTimestamp = owner._time.GetTimestamp();
            _persisting = Task.Run(PersistLoopAsync);
        }

        /// <summary>
        /// Called on the writer's own flow (the actor's logical thread): state changes happen
        /// here, in order; only the journal appends run on the persisting task.
        /// </summary>
        public void Report(WriteProgress value)
        {
            switch (value.Action)
            {
                case WriteAction.WritingData:
                    if (_owner.Current.State == RecorderState.Preparing)
                    {
                        _owner.MoveTo(RecorderState.Writing);
                    }

                    var current = CurrentSpeed(value);
                    Curve.Add(value);
                    _owner.ObserveProgress(s => s with
                    {
                        LastWrittenLba = value.LastWrittenLba,
                        BytesPerSecond = Speed(value),
                        CurrentBytesPerSecond = current ?? s.CurrentBytesPerSecond,
                        BufferFill = value.TotalSystemBuffer > 0 ? Math.Clamp((double)value.UsedSystemBuffer / value.TotalSystemBuffer, 0, 1) : 0,
                        DriveBufferFill = value.DriveBuffer?.FillRatio ?? s.DriveBufferFill,
                    });
                    Volatile.Write(ref _newest, value);
                    if (WakesSaver(value))
                    {
                        _latest.Writer.TryWrite(value);
                    }

                    break;
                case WriteAction.Finalization when _owner.Current.State == RecorderState.Writing:
                    _finalizing = true;
                    _owner.MoveTo(RecorderState.Closing);
                    _owner.Observe(s => s with { BufferFill = 0, DriveBufferFill = null });
                    _latest.Writer.TryWrite(value);
                    break;
            }
        }

        /// <summary>
        /// True when a WRITE's position must wake the saver: the first one, then once per
        /// <see cref="ProgressBound.Blocks"/> (32 MiB) or <see cref="ProgressBound.Interval"/>,
        /// whichever comes first. Waking it per WRITE (1,100 a second per BD 16x drive) cost a
        /// thread-pool hop, a timer and a cancellation source each, 35,000 a second for 32 drives.
        /// </summary>
        private bool WakesSaver(WriteProgress value)
        {
            var now = _owner._time.GetTimestamp();
            if (_wokenLba >= 0 && value.LastWrittenLba - _wokenLba < _bound.Blocks && _owner._time.GetElapsedTime(_wokenTimestamp, now) < _bound.Interval)
            {
                return false;
            }

            _wokenLba = value.LastWrittenLba;
            _wokenTimestamp = now;
            return true;
        }

        /// <summary>Stops the loop after persisting the last position; returns the last persisted LBA.</summary>
        public async Task<long> CompleteAsync()
        {
            // The last WRITE's position, which may not have woken the saver: persisted as the end.
            if (!_finalizing && Volatile.Read(ref _newest) is { } newest && newest.LastWrittenLba > _wokenLba)
            {
                _latest.Writer.TryWrite(newest);
            }

            _latest.Writer.TryComplete();
            await _persisting.ConfigureAwait(false);

            // The recorder is told the live figures at most every 100 ms; at the end it gets the last ones.
            _owner.Observe(s => s);
            return _persistedLba;
        }

        private static double Speed(WriteProgress value) =>
            value.Elapsed > TimeSpan.Zero ? value.SectorsWritten * MmcDrive.BlockSize / value.Elapsed.TotalSeconds : 0;

        // Over the last half second or more: the drive's speed now, not the burn's average.
        private double? CurrentSpeed(WriteProgress value)
        {
            var span = value.Elapsed - _speedMark.Elapsed;
            if (span < SpeedWindow)
            {
                return null;
            }

            var speed = (value.SectorsWritten - _speedMark.Sectors) * (double)MmcDrive.BlockSize / span.TotalSeconds;
            _speedMark = (value.Elapsed, value.SectorsWritten);
            return speed;
        }

        private async Task PersistLoopAsync()
        {
            var reader = _latest.Reader;
            WriteProgress? pending = null;
            while (true)
            {
                if (pending is null)
                {
                    if (!await reader.WaitToReadAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                else if (!await WaitForValueOrDueAsync(reader).ConfigureAwait(false))
                {
                    // Its time is up and nothing newer woke the saver: persist the newest WRITE's position.
                    await PersistAsync(Newest(pending)).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                if (!reader.TryRead(out var value))
                {
                    if (reader.Completion.IsCompleted)
                    {
                        break;
                    }

                    continue;
                }

                if (!_started)
                {
                    _started = true;
                    await _owner.PersistAsync(new BurnStarted(_owner.DriveId, _attempt.JobId, _attempt.Copy, _discId, _resumeFromLba ?? value.StartLba, value.SectorCount)).ConfigureAwait(false);
                }

                if (value.Action == WriteAction.Finalization)
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    await _owner.PersistAsync(new BurnClosing(_owner.DriveId, _attempt.JobId, _attempt.Copy, value.LastWrittenLba)).ConfigureAwait(false);
                    pending = null;
                    continue;
                }

                pending = value;
                if (_bound.IsDue(_persistedLba, value.LastWrittenLba, _owner._time.GetElapsedTime(_lastPersistTimestamp)))
                {
                    await PersistAsync(value).ConfigureAwait(false);
                    pending = null;
                }
            }

            if (pending is not null)
            {
                await PersistAsync(pending).ConfigureAwait(false);
            }
        }

        /// <summary>True when a value (or the end) arrived before the pending position's time was up.</summary>
        private async Task<bool> WaitForValueOrDueAsync(ChannelReader<WriteProgress> reader)
        {
            var due = _bound.Interval - _owner._time.GetElapsedTime(_lastPersistTimestamp);
            if (due <= TimeSpan.Zero)
            {
                return false;
            }

            using var stop = new CancellationTokenSource();
            var arrival = reader.WaitToReadAsync(stop.Token).AsTask();
            var timeUp = Task.Delay(due, _owner._time, stop.Token);
            var first = await Task.WhenAny(arrival, timeUp).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            return first == arrival;
        }

        /// <summary>The last WRITE's position when it is past <paramref name="pending"/> (WRITEs that did not wake the saver).</summary>
        private WriteProgress Newest(WriteProgress pending) =>
            Volatile.Read(ref _newest) is { } newest && pending.Action == WriteAction.WritingData && newest.LastWrittenLba > pending.LastWrittenLba ? newest : pending;

        private async Task PersistAsync(WriteProgress value)
        {
            _lastPersistTimestamp = _owner._time.GetTimestamp();
            if (value.LastWrittenLba <= _persistedLba)
            {
                return;
            }

            // Not cancellable: the position must reach the journal even while the burn is being cancelled.
            await _owner.PersistAsync(new SectorsWritten(_owner.DriveId, _attempt.JobId, _attempt.Copy, value.LastWrittenLba, value.SectorCount, Speed(value))).ConfigureAwait(false);
            _persistedLba = value.LastWrittenLba;
        }
    }
}
