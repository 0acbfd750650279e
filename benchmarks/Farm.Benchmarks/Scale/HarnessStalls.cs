using System.Diagnostics;

namespace Farm.Benchmarks.Scale;

/// <summary>
/// Watches the benchmark's own process while the job runs, to tell the farm's latency from the
/// harness's: the 20 node ActorSystems share this process, so a garbage collection that stops it, or
/// a thread pool with every thread blocked, holds every node's reports at once (seen 2026-12-03:
/// idle reports of every node arriving together 250-470 ms late, the controller writing meanwhile).
/// Two probes wake every <see cref="Period"/> and note how late they woke: one on its own thread
/// (late only when the whole process stopped: a GC's pause) and one on the thread pool (late also
/// when the pool had no free thread: starvation). The GC's own pauses are read from the runtime.
/// </summary>
internal sealed class HarnessStalls : IDisposable
{
    /// <summary>How often each probe wakes.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    /// <summary>A wake-up later than this is noted.</summary>
    public static readonly TimeSpan Noted = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _pauseBefore = GC.GetTotalPauseDuration();
    private readonly int _gen2Before = GC.CollectionCount(2);
    private readonly long _allocatedBefore = GC.GetTotalAllocatedBytes();
    private readonly List<(string Probe, TimeSpan At, TimeSpan Late)> _stalls = [];
    private readonly Thread _thread;
    private readonly Task _pool;

    public HarnessStalls()
    {
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var before = _clock.Elapsed;
                Thread.Sleep(Period);
                Note("thread", before);
            }
        })
        {
            IsBackground = true,
            Name = "harness-stalls",
        };
        _thread.Start();
        _pool = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var before = _clock.Elapsed;
                await Task.Delay(Period).ConfigureAwait(false);
                Note("pool", before);
            }
        });
    }

    /// <summary>The lines to print: each stall noted, then the GC's total pause and gen-2 count since the start.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_stalls)
        {
            return
            [
                .. _stalls.Select(s => FormattableString.Invariant($"harness-stall probe={s.Probe} at_s={s.At.TotalSeconds:F3} late_ms={s.Late.TotalMilliseconds:F0}")),
                FormattableString.Invariant($"harness gc_pause_ms={(GC.GetTotalPauseDuration() - _pauseBefore).TotalMilliseconds:F0} gen2_collections={GC.CollectionCount(2) - _gen2Before} allocated_mib={(GC.GetTotalAllocatedBytes() - _allocatedBefore) / 1048576.0:F0} stalls_thread={_stalls.Count(s => s.Probe == "thread")} stalls_pool={_stalls.Count(s => s.Probe == "pool")} (late > {Noted.TotalMilliseconds:F0} ms)"),
            ];
        }
    }

    /// <summary>Stops both probes (once; the figures stay readable).</summary>
    public void Stop()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _thread.Join();
        _pool.Wait();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Note(string probe, TimeSpan before)
    {
        var late = _clock.Elapsed - before - Period;
        if (late > Noted)
        {
            lock (_stalls)
            {
                _stalls.Add((probe, before, late));
            }
        }
    }
}
