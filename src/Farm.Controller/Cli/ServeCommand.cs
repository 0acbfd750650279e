using System.CommandLine;
using Farm.Controller.Hosting;
using Farm.Controller.Scheduling;
using Farm.Node.Hosting;

namespace Farm.Controller.Cli;

/// <summary><c>farm serve --store ...</c>: a controller of the multi-host farm (leader or standby).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var store = StoreCli.StoreOption();
        var lease = new Option<string>("--lease-timeout") { Description = "A node silent for this long is lost (e.g. 10s)", DefaultValueFactory = _ => "10s" };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per copy before its job fails (a job may set its own)", DefaultValueFactory = _ => 5 };
        var maintenanceAfter = new Option<int>("--maintenance-after") { Description = "Failed burns within --failure-window that send a drive to maintenance", DefaultValueFactory = _ => 3 };
        var failureWindow = new Option<string>("--failure-window") { Description = "The window --maintenance-after counts in (e.g. 10m)", DefaultValueFactory = _ => "10m" };
        var noDriveGrace = new Option<string>("--no-drive-grace") { Description = "How long a job may find no capable drive before it fails (e.g. 30s)", DefaultValueFactory = _ => "30s" };
        var snapshotEvery = new Option<int>("--snapshot-every") { Description = "Events between two snapshots of the farm's state (a standby rebuilds from the latest one plus the journal after it)", DefaultValueFactory = _ => 1000 };
        var console = new Option<string?>("--console") { Description = "Serve the operator console at this address, e.g. http://127.0.0.1:5080 (leader and standby alike)" };
        var verbose = new Option<bool>("--verbose") { Description = "Log information, not only warnings (to stderr)" };
        var command = new Command("serve", "Run a controller of the farm: leads when it holds the leader lock, stands by otherwise")
        {
            store, lease, maxAttempts, maintenanceAfter, failureWindow, noDriveGrace, snapshotEvery, console, verbose,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            ControllerHostOptions options;
            try
            {
                options = new ControllerHostOptions
                {
                    Store = FarmStore.Parse(result.GetValue(store)!),
                    ConsoleUrl = ConsoleUrl(result.GetValue(console)),
                    Scheduler = new SchedulerOptions
                    {
                        LeaseTimeout = Durations.Parse(result.GetValue(lease)!, "--lease-timeout"),
                        MaxAttemptsPerCopy = result.GetValue(maxAttempts),
                        MaintenanceAfterFailures = result.GetValue(maintenanceAfter),
                        FailureWindow = Durations.Parse(result.GetValue(failureWindow)!, "--failure-window"),
                        NoCapableDriveGrace = Durations.Parse(result.GetValue(noDriveGrace)!, "--no-drive-grace"),
                        SnapshotEvery = result.GetValue(snapshotEvery),
                    },
                }.Validate();
            }
            catch (ArgumentException bad)
            {
                return StoreCli.Fail("serve", bad.Message);
            }

            using var loggers = StoreCli.Loggers(result.GetValue(verbose));
            var host = new ControllerHost(options, TimeProvider.System, loggers, Console.Out);
            try
            {
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (InvalidOperationException busy) when (busy.Message.StartsWith("cannot serve the console", StringComparison.Ordinal))
            {
                return StoreCli.Fail("serve", busy.Message);
            }

            return 0;
        });
        return command;
    }

    /// <summary>An http:// address with a host and a port, or null; anything else says what is expected.</summary>
    private static string? ConsoleUrl(string? text)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && !uri.IsDefaultPort && uri.AbsolutePath == "/"
            ? $"http://{uri.Authority}"
            : throw new ArgumentException($"--console must be an address such as http://127.0.0.1:5080 (http, a host and a port), not '{text}'");
    }
}
