using System.CommandLine;
using System.Globalization;
using Akka.Actor;
using Farm.Controller.Scheduling;
using Farm.Device.Errors;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Cli;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Views;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Demo;

/// <summary>
/// <c>farm demo</c>: the embedded farm (one process of both roles: the controller singleton on
/// SQLite, one node with a simulated tower of drives on its own journal) burning a sample job, one
/// line per disc, with the API and the live console on port 5080. Started again on the same data
/// folder it carries on from its journals.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var copies = new Option<int>("--copies") { Description = "Copies to burn", DefaultValueFactory = _ => 8 };
        var drives = new Option<int>("--drives") { Description = "Simulated drives in the tower", DefaultValueFactory = _ => 4 };
        var image = new Option<string?>("--image") { Description = "Image to burn (default: a 32 MiB sample made in the data folder)" };
        var timeScale = new Option<double>("--time-scale") { Description = "Simulated seconds per real second", DefaultValueFactory = _ => 10 };
        var data = new Option<string>("--data") { Description = "Folder for the journal and the simulated media", DefaultValueFactory = _ => ".farm-data" };
        var port = new Option<int>("--port") { Description = "Port of the operator console on 127.0.0.1", DefaultValueFactory = _ => 5080 };
        var host = new Option<string>("--host") { Description = "Address the console listens on (0.0.0.0 inside a container)", DefaultValueFactory = _ => "127.0.0.1" };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "Exit 0 once the job has all its copies verified" };
        var writeSpeed = new Option<double?>("--write-speed") { Description = "Write speed of the simulated drives as a multiple of the medium's 1x (default: the medium's highest)" };
        var hotFolder = Cli.ServeCommand.HotFolderOption();
        var access = new Cli.ApiAccessOptions();
        var command = new Command("demo", "Run the embedded farm on simulated drives and burn a sample job")
        {
            copies, drives, image, timeScale, data, port, host, exitWhenDone, writeSpeed, hotFolder,
        };
        access.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            Api.FarmApiOptions api;
            try
            {
                api = access.Read(result);
            }
            catch (ArgumentException bad)
            {
                return Task.FromResult(Fail(bad.Message));
            }

            return RunAsync(
                new DemoSettings(
                    result.GetValue(copies),
                    result.GetValue(drives),
                    result.GetValue(image),
                    result.GetValue(timeScale),
                    result.GetValue(data)!,
                    result.GetValue(port),
                    result.GetValue(host)!,
                    result.GetValue(exitWhenDone),
                    result.GetValue(writeSpeed),
                    api,
                    result.GetValue(hotFolder)),
                cancellationToken);
        });
        return command;
    }

    private sealed record DemoSettings(int Copies, int Drives, string? Image, double TimeScale, string Data, int Port, string Host, bool ExitWhenDone, double? WriteSpeedX, Api.FarmApiOptions Api, string? HotFolder);

    private static async Task<int> RunAsync(DemoSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Copies < 1)
        {
            return Fail($"--copies must be at least 1, not {settings.Copies}");
        }

        if (settings.Port is < 1 or > 65535)
        {
            return Fail($"--port must be between 1 and 65535, not {settings.Port}");
        }

        ImageSource source;
        EmbeddedFarmOptions farmOptions;
        try
        {
            farmOptions = new EmbeddedFarmOptions
            {
                DataDirectory = Path.GetFullPath(settings.Data),
                Drives = settings.Drives,
                TimeScale = settings.TimeScale,
                WriteSpeedX = settings.WriteSpeedX,
                InputBlanks = Math.Max(100, (settings.Copies * 2) + 10),
                HotFolder = Cli.ServeCommand.HotFolderOptionsOf(settings.HotFolder),
                Api = settings.Api,
            }.Validate();
            Directory.CreateDirectory(farmOptions.DataDirectory);
            source = ImageSource.Open(settings.Image ?? SampleImage.EnsureExists(farmOptions.DataDirectory));
        }
        catch (DeviceException bad)
        {
            return Fail(bad.Message);
        }
        catch (ArgumentException bad)
        {
            return Fail(bad.Message);
        }

        if (!System.Net.IPAddress.TryParse(settings.Host, out _))
        {
            return Fail($"--host must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{settings.Host}'");
        }

        var url = $"http://{settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)}";
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        EmbeddedFarm farm;
        try
        {
            farm = await EmbeddedFarm.StartAsync(farmOptions with { Http = url }, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException busy)
        {
            return Fail(busy.Message);
        }

        await using var running = farm.ConfigureAwait(false);
        var printer = new DiscPrinter();
        var listener = farm.System.ActorOf(Props.Create(() => new AppliedListener(printer.OnApplied)), "demo-printer");
        farm.System.EventStream.Subscribe(listener, typeof(FarmEventApplied));

        var state = await farm.StateAsync(cancellationToken).ConfigureAwait(false);
        var resumed = state.Jobs.Values.FirstOrDefault(j => j.Status == JobStatus.Running);
        string jobId;
        if (resumed is not null)
        {
            jobId = resumed.JobId;
            Console.WriteLine($"resuming job {jobId}: {resumed.Verified}/{resumed.Copies} copies verified so far ({farmOptions.DataDirectory})");
        }
        else
        {
            jobId = await farm.SubmitAsync(
                new JobRequest(source.Path, source.Blocks, settings.Copies, VerifyMode.Full, farmOptions.MediaType),
                TimeProvider.System,
                cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"job {jobId}: {settings.Copies} {(settings.Copies == 1 ? "copy" : "copies")} of {source.Path} ({Units.FormatSize(source.Length)}) on {settings.Drives} simulated {farmOptions.MediaType} drives");
        }

        Console.WriteLine($"console: {url}");
        if (farmOptions.HotFolder is { } hot)
        {
            Console.WriteLine($"hot folder: {hot.Folder} (drop NAME.JRQ job requests there)");
        }

        printer.Follow(jobId, await farm.StateAsync(cancellationToken).ConfigureAwait(false));
        var outcome = await Task.WhenAny(printer.Finished, farm.System.WhenTerminated, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        if (outcome == farm.System.WhenTerminated)
        {
            return Fail("the farm's actor system stopped");
        }

        if (outcome != printer.Finished)
        {
            return 130;
        }

        var job = await printer.Finished.ConfigureAwait(false);
        var report = Path.Combine(farmOptions.DataDirectory, $"report-{jobId}.html");
        try
        {
            await farm.WriteReportAsync(jobId, report, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"report: {report}");
        }
        catch (IOException bad)
        {
            await Console.Error.WriteLineAsync($"farm demo: cannot write the job's report to {report}: {bad.Message}").ConfigureAwait(false);
        }

        if (!settings.ExitWhenDone)
        {
            Console.WriteLine($"the console stays at {url}; Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return job.Status == JobStatus.Completed ? 0 : 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"farm demo: {message}");
        return 2;
    }

    /// <summary>Hands every event the controller applied (published on the local event stream) to the printer.</summary>
    private sealed class AppliedListener : ReceiveActor
    {
        public AppliedListener(Action<FarmEventApplied> onApplied) => Receive(onApplied);
    }

    /// <summary>Prints one line per disc of the followed job, and the job's end.</summary>
    private sealed class DiscPrinter
    {
        private readonly TaskCompletionSource<JobState> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<(string JobId, int Copy), DateTimeOffset> _started = [];
        private readonly Lock _gate = new();
        private string? _jobId;

        public Task<JobState> Finished => _finished.Task;

        /// <summary>Follows the job from now on; a job already over (it ended while the demo started) ends at once.</summary>
        public void Follow(string id, FarmState state)
        {
            lock (_gate)
            {
                _jobId = id;
            }

            if (state.Jobs.TryGetValue(id, out var job) && job.Status is JobStatus.Completed or JobStatus.Failed)
            {
                Console.WriteLine($"job {id}: {job.Verified}/{job.Copies} copies verified, {job.Rejected} rejected");
                _finished.TrySetResult(job);
            }
        }

        /// <summary>On the listener's thread: one event as the controller applied it, with the state after it.</summary>
        public void OnApplied(FarmEventApplied applied)
        {
            var (farmEvent, at) = applied.Event is NodeReported reported ? (reported.Event, reported.ReceivedAt) : (applied.Event, DateTimeOffset.UtcNow);
            var state = applied.State;
            string? followed;
            lock (_gate)
            {
                // Before the job is known only what happens now is shown, such as discs this start found interrupted.
                followed = _jobId ?? farmEvent switch { DiscInterrupted e => e.JobId, CopyFailed e => e.JobId, _ => null };
            }

            switch (farmEvent)
            {
                case BurnAssigned e:
                    _started[(e.JobId, e.Copy)] = at;
                    break;
                case CopyVerified e when e.JobId == followed:
                    var took = _started.TryGetValue((e.JobId, e.Copy), out var from) ? at - from : TimeSpan.Zero;
                    Console.WriteLine($"disc {state.Jobs[e.JobId].Verified}/{state.Jobs[e.JobId].Copies}: copy {e.Copy} on drive {e.DriveId} (attempt {e.Attempt}) in {took.TotalSeconds:F1} s, verified sha256 {e.Sha256}");
                    break;
                case CopyFailed e when e.JobId == followed:
                    Console.WriteLine($"rejected: copy {e.Copy} on drive {e.DriveId} (attempt {e.Attempt}): {e.Reason}");
                    break;
                case DiscInterrupted e when e.JobId == followed:
                    Console.WriteLine(e.LastPersistedLba < 0
                        ? $"interrupted: copy {e.Copy} on drive {e.DriveId} while {e.Phase}, before the first block was written (of {e.TotalBlocks})"
                        : $"interrupted: copy {e.Copy} on drive {e.DriveId} while {e.Phase}, last persisted LBA {e.LastPersistedLba} of {e.TotalBlocks}");
                    break;
                case JobCompleted e when e.JobId == followed:
                    Console.WriteLine($"job {e.JobId}: {e.Verified}/{state.Jobs[e.JobId].Copies} copies verified, {e.Rejected} rejected");
                    _finished.TrySetResult(state.Jobs[e.JobId]);
                    break;
                case JobFailed e when e.JobId == followed:
                    Console.WriteLine($"job {e.JobId} failed: {e.Why} ({e.Verified}/{state.Jobs[e.JobId].Copies} verified, {e.Rejected} rejected)");
                    _finished.TrySetResult(state.Jobs[e.JobId]);
                    break;
            }
        }
    }
}
