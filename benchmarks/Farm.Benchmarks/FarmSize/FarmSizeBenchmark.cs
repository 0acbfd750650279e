using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Farm.Benchmarks.Scale;
using Farm.Messages.Serialization;
using Farm.Node.Cluster;

namespace Farm.Benchmarks.FarmSize;

/// <summary>
/// <c>farm-bench farmsize</c>: the controller at farm size. A real <c>farm serve</c> process (its
/// own PID, measured through /proc) on the given store; in this process, M cluster members (plain
/// ActorSystems, no Generic Host: no configuration watcher, no node journal) started one after
/// another, each waiting to be Up before the next, hosting N logical nodes between them
/// (<see cref="SimulatedNodeActor"/>: the real registration, the real <c>OutboxActor</c> as its
/// Akka.Delivery producer, the verified-disc claim) with protocol-level simulated drives. Once every
/// node is registered and every drive's start is confirmed, one job with enough copies to keep every
/// drive busy goes through the HTTP API, and the run is measured for the window from its
/// submission: event lag, idle-to-assigned latency, backlog, the controller's CPU and peak RSS,
/// events persisted per second. The figures are the controller's: the drives are simulators
/// of the protocol, not of a node (no RecorderActor, no node journal, no SCSI simulator).
/// </summary>
internal static class FarmSizeBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        FarmSizeOptions options;
        try
        {
            options = FarmSizeOptions.Parse(args);
        }
        catch (Exception bad) when (bad is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"farm-bench farmsize: {bad.Message}").ConfigureAwait(false);
            return 1;
        }

        // Each member's remoting and cluster daemons block pool threads while they start.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * options.Members), io);

        Directory.CreateDirectory(options.WorkDirectory);
        var image = Path.Combine(options.WorkDirectory, "image.iso");
        await ScaleBenchmark.WriteImageAsync(image, 1).ConfigureAwait(false);
        var clusterPort = ScaleBenchmark.FreePort();
        var http = new Uri($"http://127.0.0.1:{ScaleBenchmark.FreePort()}");
        var loadBefore = Cluster.RecoveryBenchmark.Load();
        using var controller = ScaleBenchmark.StartController(options.FarmDll, options.Store, options.WorkDirectory, clusterPort, http, options.HeartbeatPause);
        using var client = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(30) };
        var samples = new FarmSizeSamples();
        var members = new List<ActorSystem>();
        var cycles = (int)Math.Ceiling(options.Window.TotalSeconds / (DriveTimings.Default.Cycle.TotalSeconds / options.TimeScale));
        var copies = options.TotalDrives * (cycles + 1);
        try
        {
            await ScaleBenchmark.WaitForAsync("the controller's HTTP API", TimeSpan.FromMinutes(2), async () => (await ScaleBenchmark.TryGetAsync(client, "/api/status").ConfigureAwait(false)) is not null, controller).ConfigureAwait(false);
            // The controller's resident set with no node yet: what the farm adds is measured against it.
            var baseRssKib = RssKib(controller.Id);
            var startAt = Stopwatch.GetTimestamp();
            var nodeNumber = 0;
            for (var m = 0; m < options.Members; m++)
            {
                var hosted = (options.Nodes / options.Members) + (m < options.Nodes % options.Members ? 1 : 0);
                var system = await StartMemberAsync(options, clusterPort, m + 1, controller).ConfigureAwait(false);
                members.Add(system);
                // As Akka.Hosting's WithSingletonProxy names it: the manager and its singleton child both carry the singleton's name.
                var proxy = system.ActorOf(
                    ClusterSingletonProxy.Props($"/user/{FarmControllerKey.SingletonName}", ClusterSingletonProxySettings.Create(system).WithRole(FarmClusterOptions.ControllerRole).WithSingletonName(FarmControllerKey.SingletonName)),
                    "farm-controller-proxy");
                for (var n = 0; n < hosted; n++)
                {
                    var nodeId = string.Create(CultureInfo.InvariantCulture, $"s{++nodeNumber:D4}");
                    var spec = new SimulatedNodeSpec(nodeId, options.Towers, options.Drives, copies, options.TimeScale, DriveTimings.Default);
                    system.ActorOf(SimulatedNodeActor.Props(spec, proxy, samples), nodeId);
                }

                Progress(samples, controller, $"member {m + 1}/{options.Members} up, {nodeNumber} nodes started");
            }

            await ScaleBenchmark.WaitForAsync(
                $"{options.Nodes} nodes registered and every drive's start confirmed",
                options.StartLimit,
                () => Task.FromResult(samples.Registered == options.Nodes && samples.Unconfirmed == 0),
                controller,
                TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            var started = Stopwatch.GetElapsedTime(startAt);
            var startEvents = samples.EmittedCount;
            Progress(samples, controller, $"farm started in {started.TotalSeconds:F0} s");

            var cpuBefore = ScaleBenchmark.ProcessCpu(controller.Id);
            var submitted = DateTimeOffset.UtcNow;
            samples.Submitted(submitted.UtcTicks);
            var response = await client.PostAsJsonAsync("/api/jobs", new { image, copies, media = "DVD+R", verify = "Full" }).ConfigureAwait(false);
            var submitStatus = (int)response.StatusCode;

            // 503: the API's ask to the singleton timed out (the submit's decision on thousands of idle
            // drives takes longer than the API waits), but the submit is in the singleton's mailbox and
            // is carried out: the run goes on, and the first assignments show when it was.
            if (!response.IsSuccessStatusCode && submitStatus != 503)
            {
                await Console.Error.WriteLineAsync($"farm-bench farmsize: the job was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}").ConfigureAwait(false);
                return 1;
            }

            var maxBacklog = 0;
            var maxBacklogAge = 0.0;
            var maxRssKib = 0L;
            while (DateTimeOffset.UtcNow - submitted < options.Window)
            {
                // A benchmark's sampling clock, not a test: the run is measured in real time.
                await Task.Delay(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
                if (controller.HasExited)
                {
                    throw new InvalidOperationException($"the controller exited ({controller.ExitCode}) during the window; see controller.log");
                }

                var (backlog, oldest) = samples.Backlog(DateTimeOffset.UtcNow.UtcTicks);
                maxBacklog = Math.Max(maxBacklog, backlog);
                maxBacklogAge = Math.Max(maxBacklogAge, oldest);
                maxRssKib = Math.Max(maxRssKib, RssKib(controller.Id));
                Progress(samples, controller, $"{(DateTimeOffset.UtcNow - submitted).TotalSeconds:F0} s into the window");
            }

            var ended = DateTimeOffset.UtcNow;
            var cpu = ScaleBenchmark.ProcessCpu(controller.Id) - cpuBefore;
            var peakRssKib = ScaleBenchmark.PeakRssKib(controller.Id);
            var loadAfter = Cluster.RecoveryBenchmark.Load();
            var (backlogAtEnd, oldestAtEnd) = samples.Backlog(ended.UtcTicks);
            var (idleAtEnd, longestIdle) = samples.StillIdle(ended.UtcTicks);
            var lags = samples.ConfirmationLags(submitted.UtcTicks);
            var waits = samples.IdleToAssigned(submitted.UtcTicks);
            var first = samples.FirstAssignments();

            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.WhenAll(members.Select(s => s.Terminate())), Task.Delay(TimeSpan.FromSeconds(20))).ConfigureAwait(false);
            var journal = await FarmSizeJournal.ReadAsync(options.Store, samples, submitted.UtcTicks, ended.UtcTicks).ConfigureAwait(false);
            var wall = (ended - submitted).TotalSeconds;
            var demand = options.TotalDrives * 15 / (DriveTimings.Default.Cycle.TotalSeconds / options.TimeScale);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"farmsize store={ScaleBenchmark.StoreKind(options.Store)} drives={options.TotalDrives} nodes={options.Nodes} members={options.Members} towers={options.Nodes * options.Towers} time_scale={options.TimeScale} cycle_s={DriveTimings.Default.Cycle.TotalSeconds / options.TimeScale:F1} copies={copies} "
                + $"start_s={started.TotalSeconds:F0} start_events={startEvents} submit_http={submitStatus} window_s={wall:F0} "
                + $"first_assign_n={first.Count} first_assign_p50_ms={At(first, 0.5):F0} first_assign_p99_ms={At(first, 0.99):F0} first_assign_max_ms={At(first, 1):F0} "
                + $"assign_n={waits.Count} assign_p50_ms={At(waits, 0.5):F0} assign_p99_ms={At(waits, 0.99):F0} still_idle={idleAtEnd} longest_idle_ms={longestIdle:F0} "
                + $"lag_n={lags.Count} lag_p50_ms={At(lags, 0.5):F0} lag_p99_ms={At(lags, 0.99):F0} lag_max_ms={At(lags, 1):F0} "
                + $"received_lag_p50_ms={At(journal.ReceivedLagMs, 0.5):F0} received_lag_p99_ms={At(journal.ReceivedLagMs, 0.99):F0} persisted_lag_p50_ms={At(journal.PersistedLagMs, 0.5):F0} persisted_lag_p99_ms={At(journal.PersistedLagMs, 0.99):F0} "
                + $"backlog_end={backlogAtEnd} backlog_oldest_end_ms={oldestAtEnd:F0} backlog_max={maxBacklog} "
                + $"events={journal.EventsInWindow} events_per_s={journal.EventsInWindow / wall:F0} demand_events_per_s={demand:F0} assignments={journal.AssignmentsInWindow} writes={journal.Writes} writes_per_s={journal.Writes / wall:F1} events_per_write={(double)journal.EventsInWindow / Math.Max(1, journal.Writes):F1} largest_write={journal.LargestWrite} journal_rows={journal.JournalRows} journal_bytes={ScaleBenchmark.JournalBytes(options.Store)} "
                + $"controller_cpu_s={cpu.TotalSeconds:F1} controller_cpu_pct={100 * cpu.TotalSeconds / wall:F0} controller_rss_max_mib={maxRssKib / 1024.0:F0} controller_peak_rss_mib={peakRssKib / 1024.0:F0} controller_base_rss_mib={baseRssKib / 1024.0:F0} kib_per_drive={(double)(peakRssKib - baseRssKib) / options.TotalDrives:F1} "
                + $"load_before={loadBefore} load_after={loadAfter}"));
            return 0;
        }
        finally
        {
            if (!controller.HasExited)
            {
                controller.Kill(entireProcessTree: true);
            }

            foreach (var system in members)
            {
                _ = system.Terminate();
            }
        }
    }

    /// <summary>One member: an ActorSystem of the node role joined to the controller's seed, returned once it is Up.</summary>
    private static async Task<ActorSystem> StartMemberAsync(FarmSizeOptions options, int seedPort, int number, Process controller)
    {
        var cluster = new FarmClusterOptions
        {
            Host = "127.0.0.1",
            Port = ScaleBenchmark.FreePort(),
            Seeds = [$"127.0.0.1:{seedPort}"],
            Roles = [FarmClusterOptions.NodeRole],
            AcceptableHeartbeatPause = options.HeartbeatPause,
        };
        var system = ActorSystem.Create(FarmClusterOptions.SystemName, ConfigurationFactory.ParseString(cluster.ToHocon()).WithFallback(ConfigurationFactory.ParseString(FarmSerializer.Hocon)));
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        try
        {
            await ScaleBenchmark.WaitForAsync($"member {number} to be Up", TimeSpan.FromMinutes(2), () => Task.FromResult(up.Task.IsCompleted), controller).ConfigureAwait(false);
        }
        catch
        {
            await system.Terminate().ConfigureAwait(false);
            throw;
        }

        return system;
    }

    private static void Progress(FarmSizeSamples samples, Process controller, string what)
    {
        var now = DateTimeOffset.UtcNow.UtcTicks;
        var (backlog, oldest) = samples.Backlog(now);
        var (idle, longest) = samples.StillIdle(now);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:HH:mm:ss} {what}: registered {samples.Registered}, reports emitted {samples.EmittedCount}, unconfirmed {backlog} (oldest {oldest / 1000:F1} s), idle drives waiting {idle} (longest {longest / 1000:F1} s), controller RSS {RssKib(controller.Id) / 1024} MiB, load {Cluster.RecoveryBenchmark.Load()}"));
    }

    /// <summary>The process's resident set now (VmRSS), KiB; 0 once it has exited.</summary>
    private static long RssKib(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static double At(List<double> sorted, double p) => FarmSizeSamples.At(sorted, p);
}
