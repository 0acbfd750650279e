using System.CommandLine;
using Spectre.Console;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm status --farm URL [--once]</c>: a live table of every drive (state, job and copy, a
/// progress bar with the LBA, MB/s, drive buffer and FIFO, last error) and every job, refreshed from
/// <c>GET /api/drives</c> and <c>GET /api/jobs</c> until Ctrl-C; <c>--once</c> prints it once.
/// <c>farm drives --farm URL</c>: the drives' table once.
/// </summary>
public static class StatusCommands
{
    /// <summary>How often the live table is refreshed.</summary>
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>How long these commands wait for a farm that does not answer before they say so (exit 2).</summary>
    internal static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public static Command Status()
    {
        var farm = ApiCli.FarmOption();
        var once = new Option<bool>("--once") { Description = "Print the tables once and exit (for scripts)" };
        var command = new Command("status", "A live table of the farm's drives and jobs (Ctrl-C to stop)") { farm, ApiCli.TokenOption(), once };
        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(
            result,
            farm,
            "status",
            async client =>
            {
                var output = result.InvocationConfiguration.Output;
                var (tables, problem) = await ReadAsync(client, withJobs: true, cancellationToken).ConfigureAwait(false);
                if (tables is null)
                {
                    return ApiCli.Refused(result, "status", problem!);
                }

                var live = !result.GetValue(once) && output == Console.Out && !Console.IsOutputRedirected;
                if (!live)
                {
                    StatusTables.Render(tables, output, ansi: false);
                    return 0;
                }

                return await LiveAsync(client, tables, result, cancellationToken).ConfigureAwait(false);
            },
            Patience,
            ApiCli.BadInput));
        return command;
    }

    public static Command Drives()
    {
        var farm = ApiCli.FarmOption();
        var command = new Command("drives", "The farm's drives, one table") { farm, ApiCli.TokenOption() };
        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(
            result,
            farm,
            "drives",
            async client =>
            {
                var (tables, problem) = await ReadAsync(client, withJobs: false, cancellationToken).ConfigureAwait(false);
                if (tables is null)
                {
                    return ApiCli.Refused(result, "drives", problem!);
                }

                StatusTables.Render(tables, result.InvocationConfiguration.Output, ansi: false);
                return 0;
            },
            Patience,
            ApiCli.BadInput));
        return command;
    }

    /// <summary>Refreshes the table in place until Ctrl-C (exit 0), or until the farm refuses a request.</summary>
    private static async Task<int> LiveAsync(FarmApiClient client, Rows first, ParseResult result, CancellationToken cancellationToken)
    {
        FarmAnswer? refused = null;
        try
        {
            await AnsiConsole.Live(first).StartAsync(async context =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(Refresh, cancellationToken).ConfigureAwait(false);
                    var (tables, problem) = await ReadAsync(client, withJobs: true, cancellationToken).ConfigureAwait(false);
                    if (tables is null)
                    {
                        refused = problem;
                        return;
                    }

                    context.UpdateTarget(tables);
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        return refused is null ? 0 : ApiCli.Refused(result, "status", refused);
    }

    private static async Task<(Rows? Tables, FarmAnswer? Problem)> ReadAsync(FarmApiClient client, bool withJobs, CancellationToken cancellationToken)
    {
        var drives = await client.SendAsync(HttpMethod.Get, "/api/drives", null, null, cancellationToken, Patience).ConfigureAwait(false);
        if (!drives.IsSuccess)
        {
            return (null, drives);
        }

        if (!withJobs)
        {
            return (new Rows(StatusTables.Drives(StatusTables.ReadDrives(drives.Body))), null);
        }

        var jobs = await client.SendAsync(HttpMethod.Get, "/api/jobs", null, null, cancellationToken, Patience).ConfigureAwait(false);
        return jobs.IsSuccess
            ? (new Rows(StatusTables.Drives(StatusTables.ReadDrives(drives.Body)), StatusTables.Jobs(StatusTables.ReadJobs(jobs.Body))), null)
            : (null, jobs);
    }
}
