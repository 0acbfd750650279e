using Farm.Messages.Views;
using System.CommandLine;
using System.Globalization;
using Farm.Controller.Scheduling;
using Farm.Node.Hosting;

namespace Farm.Controller.Cli;

/// <summary><c>farm jobs --store ...</c>: every job of the farm, rebuilt from the journal.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var store = StoreCli.StoreOption();
        var command = new Command("jobs", "List the farm's jobs (from its journal)") { store };
        command.SetAction(async (result, cancellationToken) =>
        {
            FarmStore farmStore;
            try
            {
                farmStore = FarmStore.Parse(result.GetValue(store)!);
            }
            catch (ArgumentException bad)
            {
                return StoreCli.Fail("jobs", bad.Message);
            }

            using var loggers = StoreCli.Loggers(verbose: false);
            var journal = await farmStore.OpenAsync(TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
            await using (journal.ConfigureAwait(false))
            {
                var state = await StoreCli.ReadFarmAsync(journal, FarmState.Empty, cancellationToken).ConfigureAwait(false);
                Console.Write(Format(state));
                return 0;
            }
        });
        return command;
    }

    /// <summary>One line per job, newest first, under a header.</summary>
    internal static string Format(FarmState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Jobs.IsEmpty)
        {
            return "no jobs\n";
        }

        var rows = state.Jobs.Values.OrderByDescending(j => j.SubmittedAt).Select(j => new[]
        {
            j.JobId,
            j.Status.ToString(),
            string.Create(CultureInfo.InvariantCulture, $"{j.Verified}/{j.Discs}"),
            j.InFlight.ToString(CultureInfo.InvariantCulture),
            j.Rejected.ToString(CultureInfo.InvariantCulture),
            j.MediaType,
            j.DueAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
            j.DiscsPerSet > 1 ? $"{j.DiscsPerSet}-disc set ({Path.GetFileName(j.ImagePath)}...)" : Path.GetFileName(j.ImagePath),
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
