using System.CommandLine;

namespace Farm.Controller.Cli;

/// <summary>
/// <c>farm report JOB --farm URL [-o FILE.html|FILE.json]</c>: the job's report from
/// <c>GET /api/jobs/{id}/report</c>, HTML when the file ends in .html (else JSON), to the file or stdout.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var job = new Argument<string>("job") { Description = "The job's id (see farm jobs)" };
        var farm = ApiCli.FarmOption();
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to FILE: HTML for .html/.htm, JSON otherwise (default: JSON to stdout)" };
        var command = new Command("report", "A job's report: every disc burned for it, with drive, timings, speeds, verify and sha256") { job, farm, ApiCli.TokenOption(), output };
        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(
            result,
            farm,
            "report",
            async client =>
            {
                var id = result.GetValue(job)!;
                var file = result.GetValue(output);
                var html = file is not null && (file.EndsWith(".html", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".htm", StringComparison.OrdinalIgnoreCase));
                var answer = await client.SendAsync(HttpMethod.Get, $"/api/jobs/{Uri.EscapeDataString(id)}/report{(html ? "?format=html" : "")}", null, null, cancellationToken, StatusCommands.Patience).ConfigureAwait(false);
                if (!answer.IsSuccess)
                {
                    return ApiCli.Refused(result, "report", answer);
                }

                if (file is null)
                {
                    await result.InvocationConfiguration.Output.WriteLineAsync(answer.Body).ConfigureAwait(false);
                    return 0;
                }

                try
                {
                    await File.WriteAllTextAsync(file, answer.Body, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception unwritable) when (unwritable is IOException or UnauthorizedAccessException)
                {
                    return ApiCli.Fail(result, "report", $"cannot write {file}: {unwritable.Message}");
                }

                await result.InvocationConfiguration.Output.WriteLineAsync($"job {id}: report written to {Path.GetFullPath(file)}").ConfigureAwait(false);
                return 0;
            },
            StatusCommands.Patience,
            ApiCli.BadInput));
        return command;
    }
}
