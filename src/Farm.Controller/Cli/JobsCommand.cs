using Farm.Controller.Api.Reports;
using System.CommandLine;
using System.Globalization;
using Farm.Controller.Api;

namespace Farm.Controller.Cli;

/// <summary><c>farm jobs --farm URL</c>: every job of the farm, as its controller knows them.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var farm = ApiCli.FarmOption();
        var command = new Command("jobs", "List the farm's jobs (through its HTTP API)") { farm, ApiCli.TokenOption() };
        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(result, farm, "jobs", async client =>
        {
            var answer = await client.SendAsync(HttpMethod.Get, "/api/jobs", null, null, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return ApiCli.Refused(result, "jobs", answer);
            }

            await result.InvocationConfiguration.Output.WriteAsync(Format(answer.Read<JobListView>().Jobs)).ConfigureAwait(false);
            return 0;
        }));
        return command;
    }

    /// <summary>One line per job, in the order given (the API lists newest first), under a header.</summary>
    internal static string Format(IReadOnlyList<JobView> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            return "no jobs\n";
        }

        var rows = jobs.Select(j => new[]
        {
            j.Id,
            j.Status,
            string.Create(CultureInfo.InvariantCulture, $"{j.Verified}/{j.Discs}"),
            j.InFlight.ToString(CultureInfo.InvariantCulture),
            j.Rejected.ToString(CultureInfo.InvariantCulture),
            j.Media,
            j.Due?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
            j.DiscsPerSet > 1 ? $"{j.DiscsPerSet}-disc set ({Path.GetFileName(j.Image)}...)" : Path.GetFileName(j.Image),
            j.Why ?? "",
        }).ToList();
        string[] header = ["JOB", "STATUS", "VERIFIED", "IN FLIGHT", "REJECTED", "MEDIA", "DUE", "SOURCE", "WHY"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new System.Text.StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }
}
