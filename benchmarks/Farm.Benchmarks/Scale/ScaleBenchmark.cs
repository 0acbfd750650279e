using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Farm.Node.Cluster;
using Farm.Node.Configuration;
using Farm.Node.Hosting;

namespace Farm.Benchmarks.Scale;

/// <summary>
/// <c>farm-bench scale</c>: a real <c>farm serve</c> process (its own PID, measured through /proc)
/// on the given store, and N node ActorSystems in this process (each a whole
/// <see cref="NodeProcess"/> on its own Generic Host, as <c>farm-node --config</c> runs it), each
/// with simulated towers of simulated DVD+R drives at 16x and the tower's default arm timings
/// (load 8 s, unload 6 s) in accelerated time. One job of D copies with full verify goes through
/// the HTTP API; the run ends when the job is finished. The figures come from the journals
/// afterwards (<see cref="ScaleFigures"/>), and the controller's CPU time and peak RSS from
/// /proc/PID/stat and /proc/PID/status.
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary>The towers' arm: simulated seconds to load a blank and to unload a disc (realistic robot timings).</summary>
    private static readonly TimeSpan ArmLoad = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan ArmUnload = TimeSpan.FromSeconds(6);

    public static async Task<int> RunAsync(string[] args)
    {
        ScaleOptions options;
        try
        {
            options = ScaleOptions.Parse(args);
        }
        catch (Exception bad) when (bad is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"farm-bench scale: {bad.Message}").ConfigureAwait(false);
            return 1;
        }

        // The node ActorSystems share this process's thread pool, which starts with one thread per
        // core; each node of a farm has a process, and a pool, of its own. Their journals block pool
        // threads while they write (Microsoft.Data.Sqlite's I/O is synchronous under its async API),
        // so with the pool's minimum the reports of every node waited together, 100-500 ms, while the
        // pool grew (harness-stall probe=pool at load 1; docs/BENCHMARKS.md). As farm-bench farmsize does.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 4 * options.Nodes), io);

        Directory.CreateDirectory(options.WorkDirectory);
        var image = Path.Combine(options.WorkDirectory, "image.iso");
        await WriteImageAsync(image, options.ImageMiB).ConfigureAwait(false);
        var clusterPort = FreePort();
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        using var controller = StartController(options.FarmDll, options.Store, options.WorkDirectory, clusterPort, http, options.HeartbeatPause);
        using var client = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(10) };
        using var stopNodes = new CancellationTokenSource();
        var nodes = new List<Task<int>>();
        try
        {
            await WaitForAsync("the controller's HTTP API", TimeSpan.FromMinutes(2), async () => (await TryGetAsync(client, "/api/status").ConfigureAwait(false)) is not null, controller).ConfigureAwait(false);
            for (var n = 1; n <= options.Nodes; n++)
            {
                nodes.Add(StartNode(options, n, clusterPort, stopNodes.Token));
            }

            await WaitForAsync($"{options.TotalDrives} idle drives", TimeSpan.FromMinutes(5), async () => await IdleDrivesAsync(client).ConfigureAwait(false) >= options.TotalDrives, controller).ConfigureAwait(false);
            var cpuBefore = ProcessCpu(controller.Id);
            using var stalls = new HarnessStalls();
            var submitted = DateTimeOffset.UtcNow;
            var response = await client.PostAsJsonAsync("/api/jobs", new { image, copies = options.Discs, media = "DVD+R", verify = "Full" }).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"farm-bench scale: the job was refused: {(int)response.StatusCode} {body}").ConfigureAwait(false);
                return 1;
            }

            var jobId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            JsonElement job = default;
            var realLimit = TimeSpan.FromHours(3);
            await WaitForAsync($"job {jobId} to finish", realLimit, async () =>
            {
                job = await TryGetAsync(client, $"/api/jobs/{jobId}").ConfigureAwait(false) ?? default;
                return job.ValueKind == JsonValueKind.Object && job.GetProperty("finished").GetBoolean();
            }, controller, TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            var finished = DateTimeOffset.UtcNow;
            stalls.Stop();
            var cpu = ProcessCpu(controller.Id) - cpuBefore;
            var peakRssKib = PeakRssKib(controller.Id);
            var load = Cluster.RecoveryBenchmark.Load();
            var verified = job.GetProperty("verified").GetInt32();
            var rejected = job.GetProperty("rejected").GetInt32();
            var status = job.GetProperty("status").GetString();

            await stopNodes.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(nodes).ConfigureAwait(false);
            controller.Kill(entireProcessTree: true);
            await controller.WaitForExitAsync().ConfigureAwait(false);

            var nodeStores = Enumerable.Range(1, options.Nodes).Select(n => Path.Combine(options.WorkDirectory, $"n{n}")).ToList();
            var figures = await ScaleFigures.ReadAsync(options.Store, nodeStores, submitted, finished, ArmLoad / options.TimeScale, ArmUnload / options.TimeScale).ConfigureAwait(false);
            // The job ends when the controller wrote JobCompleted, not when the 1 s poll above saw
            // it: the poll added up to a second to a 45 s job (2 % of its utilisation).
            var wall = (figures.Completed ?? finished) - submitted;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"scale store={StoreKind(options.Store)} drives={options.TotalDrives} nodes={options.Nodes} towers={options.Nodes * options.Towers} discs={options.Discs} time_scale={options.TimeScale} image_mib={options.ImageMiB} status={status} verified={verified} rejected={rejected} "
                + $"wall_s={wall.TotalSeconds:F1} limit_s={figures.PhysicalLimit.TotalSeconds:F1} utilisation_pct={100 * figures.PhysicalLimit / wall:F1} "
                + $"even_spread_s={figures.EvenSpread.TotalSeconds:F1} even_spread_pct={100 * figures.EvenSpread / wall:F1} "
                + $"assign_p50_ms={figures.AssignP50Ms:F0} assign_p99_ms={figures.AssignP99Ms:F0} assign_n={figures.AssignCount} "
                + $"controller_cpu_s={cpu.TotalSeconds:F1} controller_cpu_pct={100 * cpu / wall:F0} controller_peak_rss_mib={peakRssKib / 1024.0:F0} "
                + $"events={figures.ControllerEvents} events_per_s={figures.ControllerEvents / wall.TotalSeconds:F1} journal_rows={figures.JournalRows} journal_bytes={JournalBytes(options.Store)} load={load}"));
            Console.WriteLine(Describe(figures));
            foreach (var line in stalls.Lines())
            {
                Console.WriteLine(line);
            }

            return status == "Completed" && verified == options.Discs ? 0 : 1;
        }
        finally
        {
            await stopNodes.CancelAsync().ConfigureAwait(false);
            if (!controller.HasExited)
            {
                controller.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A real <c>farm serve</c> process on <paramref name="store"/>, its output in WORK/controller.log.</summary>
    internal static Process StartController(string farmDll, string store, string workDirectory, int clusterPort, Uri http, TimeSpan? heartbeatPause)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { farmDll, "serve", "--store", store, "--cluster", $"127.0.0.1:{clusterPort}", "--http", http.ToString().TrimEnd('/') })
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.GetEnvironmentVariable("FARM_BENCH_CONTROLLER_VERBOSE") == "1")
        {
            start.ArgumentList.Add("--verbose");
        }

        if (heartbeatPause is { } pause)
        {
            start.ArgumentList.Add("--heartbeat-pause");
            start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{pause.TotalSeconds}s"));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var log = new StreamWriter(Path.Combine(workDirectory, "controller.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (log) { log.WriteLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static Task<int> StartNode(ScaleOptions options, int number, int clusterPort, CancellationToken stop)
    {
        var nodeId = $"n{number}";
        var folder = Path.Combine(options.WorkDirectory, nodeId);
        Directory.CreateDirectory(folder);
        var towers = Enumerable.Range(1, options.Towers).Select(t => new
        {
            id = $"{nodeId}-T{t}",
            robot = "simulated",
            loadSeconds = ArmLoad.TotalSeconds,
            unloadSeconds = ArmUnload.TotalSeconds,
            bins = new { input = new { media = "DVD+R", capacity = Math.Min(100_000, options.Discs) }, output = new { capacity = Math.Min(100_000, options.Discs) }, reject = new { capacity = 1000 } },
            drives = Enumerable.Range(1, options.Drives).Select(d => new { id = $"{nodeId}-T{t}-D{d}", simulate = "DVD+R", writeSpeed = 16 }).ToList(),
        });
        var configPath = Path.Combine(folder, "node.json");
        File.WriteAllText(configPath, JsonSerializer.Serialize(new { timeScale = options.TimeScale, towers }));
        var config = NodeConfig.Load(configPath);
        var errors = new StreamWriter(Path.Combine(folder, "node.log")) { AutoFlush = true };
        return Task.Run(async () =>
        {
            await using (errors.ConfigureAwait(false))
            {
                // As its supervisor would (systemd Restart=always): a node that exits 1 asking to be
                // started again (not a member 20 s after starting, when 20 ActorSystems start at once
                // on two cores) is, as a fresh incarnation on a fresh port.
                while (true)
                {
                    var cluster = new FarmClusterOptions { Host = "127.0.0.1", Port = FreePort(), Seeds = [$"127.0.0.1:{clusterPort}"], Roles = [FarmClusterOptions.NodeRole] };
                    if (options.HeartbeatPause is { } pause)
                    {
                        cluster = cluster with { AcceptableHeartbeatPause = pause };
                    }

                    var nodeOptions = new NodeProcessOptions(cluster, nodeId, folder) { Config = config }.Validate();
                    var exit = await NodeProcess.RunAsync(nodeOptions, TextWriter.Synchronized(errors), TextWriter.Synchronized(errors), stop).ConfigureAwait(false);
                    if (exit != 1 || stop.IsCancellationRequested)
                    {
                        return exit;
                    }

                    await Console.Error.WriteLineAsync($"farm-bench scale: node {nodeId} exited asking to be started again; starting it again").ConfigureAwait(false);
                }
            }
        }, CancellationToken.None);
    }

    internal static async Task WriteImageAsync(string path, int mib)
    {
        var bytes = new byte[1024 * 1024];
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            for (var i = 0; i < mib; i++)
            {
                Random.Shared.NextBytes(bytes);
                await stream.WriteAsync(bytes).ConfigureAwait(false);
            }
        }
    }

    internal static async Task<JsonElement?> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).RootElement.Clone() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<int> IdleDrivesAsync(HttpClient client) =>
        await TryGetAsync(client, "/api/status").ConfigureAwait(false) is { } status && status.TryGetProperty("drives", out var drives)
            ? drives.EnumerateArray().Count(d => d.GetProperty("state").GetString() == "Idle")
            : 0;

    internal static async Task WaitForAsync(string what, TimeSpan limit, Func<Task<bool>> done, Process controller, TimeSpan? every = null)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (!await done().ConfigureAwait(false))
        {
            if (controller.HasExited)
            {
                throw new InvalidOperationException($"the controller exited ({controller.ExitCode}) while waiting for {what}; see controller.log");
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {limit} waiting for {what}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
        }
    }

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>User + system CPU time of a process from /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    internal static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>The process's peak resident set (VmHWM in /proc/PID/status), KiB.</summary>
    internal static long PeakRssKib(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();

    /// <summary>The figures of a run kept in a folder (its journals), from its JobSubmitted row to its JobCompleted row: <c>farm-bench scale-figures STORE WORK NODES</c>.</summary>
    public static async Task<int> FiguresAsync(string[] args)
    {
        var timeScale = 10.0;
        if (args.Length is not (3 or 4) || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var nodes) || nodes < 1
            || (args.Length == 4 && (!double.TryParse(args[3], CultureInfo.InvariantCulture, out timeScale) || timeScale <= 0)))
        {
            await Console.Error.WriteLineAsync("usage: farm-bench scale-figures STORE WORK NODES [TIME_SCALE] (the store and work folder of a kept scale run, its node count, and its time scale, 10 if not given)").ConfigureAwait(false);
            return 2;
        }

        var submitted = await ScaleFigures.SubmittedAsync(args[0]).ConfigureAwait(false);
        if (submitted is not { } from)
        {
            await Console.Error.WriteLineAsync($"farm-bench scale-figures: no job was submitted in {args[0]}").ConfigureAwait(false);
            return 1;
        }

        var nodeStores = Enumerable.Range(1, nodes).Select(n => Path.Combine(args[1], $"n{n}")).ToList();
        var figures = await ScaleFigures.ReadAsync(args[0], nodeStores, from, DateTimeOffset.MaxValue, ArmLoad / timeScale, ArmUnload / timeScale).ConfigureAwait(false);
        var wall = (figures.Completed ?? from) - from;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scale-figures wall_s={wall.TotalSeconds:F1} limit_s={figures.PhysicalLimit.TotalSeconds:F1} utilisation_pct={100 * figures.PhysicalLimit / wall:F1} even_spread_s={figures.EvenSpread.TotalSeconds:F1} even_spread_pct={100 * figures.EvenSpread / wall:F1} assign_p50_ms={figures.AssignP50Ms:F0} assign_p99_ms={figures.AssignP99Ms:F0} assign_n={figures.AssignCount}"));
        Console.WriteLine(Describe(figures));
        foreach (var slow in figures.SlowestReports)
        {
            // Reports slow together (within a few ms of each other, from many sources) point at a
            // pause of one process or of the store; slow apart, at each node's own way.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"slow-report idle_at_s={slow.IdleAfterSubmit.TotalSeconds:F3} source={slow.SourceId} to_controller_ms={slow.ToControllerMs:F0} in_controller_ms={slow.InControllerMs:F0}"));
        }

        return 0;
    }

    private static string Describe(ScaleFigures figures) => Describe(figures.Breakdown) + string.Create(CultureInfo.InvariantCulture,
        $" idle_report_to_controller_p50_ms={figures.ToControllerMs.P50:F0} p99_ms={figures.ToControllerMs.P99:F0} in_controller_p50_ms={figures.InControllerMs.P50:F0} p99_ms={figures.InControllerMs.P99:F0}");

    private static string Describe(IdleBreakdown b) => string.Create(CultureInfo.InvariantCulture,
        $"drive-time busy_pct={b.BusyPct:F1} lead_pct={b.LeadPct:F1} between_pct={b.BetweenPct:F1} (decide_pct={b.DecidePct:F1} deliver_pct={b.DeliverPct:F1}) tail_pct={b.TailPct:F1} discs_per_drive={b.MinDiscs}-{b.MaxDiscs} "
        + $"busy_while_copies_waited_pct={100 * b.BusyPct / (b.BusyPct + b.LeadPct + b.BetweenPct):F1}");

    internal static string StoreKind(string store) => store.StartsWith("sqlite:", StringComparison.Ordinal) ? "sqlite" : "postgresql";

    /// <summary>SQLite: the database file with its WAL; PostgreSQL: measured by scale.sh (psql), so "-" here.</summary>
    internal static string JournalBytes(string store)
    {
        if (!store.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            return "-";
        }

        var path = store["sqlite:".Length..];
        return (new[] { path, path + "-wal" }.Where(File.Exists).Sum(p => new FileInfo(p).Length)).ToString(CultureInfo.InvariantCulture);
    }
}
