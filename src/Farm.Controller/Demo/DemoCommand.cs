using Farm.Messages.Views;
using System.CommandLine;
using System.Globalization;
using Farm.Controller.OperatorConsole;
using Farm.Controller.Scheduling;
using Farm.Device.Errors;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Demo;

/// <summary>
/// <c>farm demo</c>: the embedded farm (controller + one node + a simulated tower of drives +
/// SQLite) burning a sample job, one line per disc, with the live console on port 5080.
/// Started again on the same data folder it carries on from its journal.
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
        var command = new Command("demo", "Run the embedded farm on simulated drives and burn a sample job")
        {
            copies, drives, image, timeScale, data, port, host, exitWhenDone, writeSpeed,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            new DemoSettings(
                result.GetValue(copies),
                result.GetValue(drives),
                result.GetValue(image),
                result.GetValue(timeScale),
                result.GetValue(data)!,
                result.GetValue(port),
                result.GetValue(host)!,
                result.GetValue(exitWhenDone),
                result.GetValue(writeSpeed)),
            cancellationToken));
        return command;
    }

    private sealed record DemoSettings(int Copies, int Drives, string? Image, double TimeScale, string Data, int Port, string Host, bool ExitWhenDone, double? WriteSpeedX);

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

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await using var farm = await EmbeddedFarm.StartAsync(farmOptions, TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
        var printer = new DiscPrinter();
        farm.Controller.Applied += printer.OnApplied;

        if (!System.Net.IPAddress.TryParse(settings.Host, out _))
        {
            return Fail($"--host must be an IP address such as 127.0.0.1 or 0.0.0.0, not '{settings.Host}'");
        }

        var url = $"http://{settings.Host}:{settings.Port.ToString(CultureInfo.InvariantCulture)}";
        await using var web = await ConsoleServer.StartAsync(farm.Controller, url, loggers, cancellationToken).ConfigureAwait(false);
        await Task.WhenAny(farm.Controller.CaughtUp, farm.Running).ConfigureAwait(false);
        if (farm.Running.IsFaulted)
        {
            return Fail($"the farm stopped: {farm.Running.Exception?.GetBaseException().Message}");
        }

        var running = farm.Controller.State.Jobs.Values.FirstOrDefault(j => j.Status == JobStatus.Running);
        string jobId;
        if (running is not null)
        {
            jobId = running.JobId;
            Console.WriteLine($"resuming job {jobId}: {running.Verified}/{running.Copies} copies verified so far ({farmOptions.DataDirectory})");
        }
        else
        {
            jobId = await farm.Controller.SubmitAsync(
                new JobRequest(source.Path, source.Blocks, settings.Copies, VerifyMode.Full, farmOptions.MediaType),
                cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"job {jobId}: {settings.Copies} {(settings.Copies == 1 ? "copy" : "copies")} of {source.Path} ({source.Length / (1024.0 * 1024):F1} MiB) on {settings.Drives} simulated {farmOptions.MediaType} drives");
        }

        Console.WriteLine($"console: {url}");
        printer.Follow(jobId);
        var outcome = await Task.WhenAny(printer.Finished, farm.Running, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        if (outcome == farm.Running)
        {
            return Fail($"the farm stopped: {farm.Running.Exception?.GetBaseException().Message}");
        }

        if (outcome != printer.Finished)
        {
            return 130;
        }

        var job = await printer.Finished.ConfigureAwait(false);
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

    /// <summary>Prints one line per disc of the followed job, and the job's end.</summary>
    private sealed class DiscPrinter
    {
        private readonly TaskCompletionSource<JobState> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<(string JobId, int Copy), DateTimeOffset> started = [];
        private readonly DateTimeOffset since = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        private string? jobId;

        public Task<JobState> Finished => finished.Task;

        private static string? JobOf(IFarmEvent farmEvent) => farmEvent switch
        {
            DiscInterrupted e => e.JobId,
            CopyFailed e => e.JobId,
            _ => null,
        };

        public void Follow(string id)
        {
            Volatile.Write(ref jobId, id);
        }

        public void OnApplied(Node.Journal.JournalEntry entry, FarmState state)
        {
            // Before the job is known (the journal is still being read) only what happens now is
            // shown, such as discs this start found interrupted; older history stays quiet.
            var followed = Volatile.Read(ref jobId) ?? (entry.Timestamp >= since ? JobOf(entry.Event) : null);
            switch (entry.Event)
            {
                case BurnAssigned e:
                    started[(e.JobId, e.Copy)] = entry.Timestamp;
                    break;
                case CopyVerified e when e.JobId == followed:
                    var took = started.TryGetValue((e.JobId, e.Copy), out var from) ? entry.Timestamp - from : TimeSpan.Zero;
                    var verified = state.Jobs[e.JobId].Verified;
                    Console.WriteLine($"disc {verified}/{state.Jobs[e.JobId].Copies}: copy {e.Copy} on drive {e.DriveId} (attempt {e.Attempt}) in {took.TotalSeconds:F1} s, verified sha256 {e.Sha256}");
                    break;
                case CopyFailed e when e.JobId == followed:
                    Console.WriteLine($"rejected: copy {e.Copy} on drive {e.DriveId} (attempt {e.Attempt}): {e.Reason}");
                    break;
                case DiscInterrupted e when e.JobId == followed:
                    Console.WriteLine($"interrupted: copy {e.Copy} on drive {e.DriveId} while {e.Phase}, last persisted LBA {e.LastPersistedLba} of {e.TotalBlocks}");
                    break;
                case JobCompleted e when e.JobId == followed:
                    Console.WriteLine($"job {e.JobId}: {e.Verified}/{state.Jobs[e.JobId].Copies} copies verified, {e.Rejected} rejected");
                    finished.TrySetResult(state.Jobs[e.JobId]);
                    break;
                case JobFailed e when e.JobId == followed:
                    Console.WriteLine($"job {e.JobId} failed: {e.Why} ({e.Verified}/{state.Jobs[e.JobId].Copies} verified, {e.Rejected} rejected)");
                    finished.TrySetResult(state.Jobs[e.JobId]);
                    break;
            }
        }
    }
}
