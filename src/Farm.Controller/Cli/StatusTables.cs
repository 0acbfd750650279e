using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Farm.Controller.Cli;

/// <summary>A drive as <c>GET /api/drives</c> gives it (docs/API contract); absent fields are null.</summary>
internal sealed record DriveRow(
    string Id, string? Node, string? Tower, string? Product, string? State, string? Phase, string? Job, int? Copy, int? Attempt,
    long? Lba, long? TotalBlocks, double? Percent, double? Mbps, double? BufferPercent, double? FifoPercent, string? LastError, int? Failures);

/// <summary>A job as <c>GET /api/jobs</c> gives it; absent fields are null.</summary>
internal sealed record JobRow(
    string Id, string? Status, string? Label, string? Media, int Copies, int Verified, int Rejected, int InFlight, int Priority, double? EtaSeconds, string? Why);

/// <summary>The tables of <c>farm status</c> and <c>farm drives</c>, built from the API's JSON; plain text where the output is not a terminal.</summary>
internal static class StatusTables
{
    private const int BarWidth = 20;

    public static IReadOnlyList<DriveRow> ReadDrives(string json) => JsonSerializer.Deserialize<List<DriveRow>>(json, FarmApiClient.Json) ?? [];

    /// <summary>The jobs of <c>GET /api/jobs</c>: a list (the contract), or an object with <c>jobs</c> (earlier controllers).</summary>
    public static IReadOnlyList<JobRow> ReadJobs(string json)
    {
        using var document = JsonDocument.Parse(json);
        var list = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("jobs", out var jobs) ? jobs : document.RootElement;
        return list.Deserialize<List<JobRow>>(FarmApiClient.Json) ?? [];
    }

    public static Table Drives(IReadOnlyList<DriveRow> drives)
    {
        ArgumentNullException.ThrowIfNull(drives);
        var table = new Table().Border(TableBorder.Simple).Title("drives");
        foreach (var column in new[] { "DRIVE", "NODE/TOWER", "STATE", "JOB", "COPY", "PROGRESS", "MB/S", "BUFFER", "FIFO", "LAST ERROR" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var d in drives.OrderBy(d => d.Node, StringComparer.Ordinal).ThenBy(d => d.Tower, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal))
        {
            table.AddRow(
                Text(d.Id),
                Text($"{d.Node}/{d.Tower}"),
                new Markup(Markup.Escape(d.State ?? "?") + (string.IsNullOrEmpty(d.Phase) ? "" : " " + Markup.Escape(d.Phase)), new Style(StateColour(d.State))),
                Text(d.Job ?? "-"),
                Text(d.Copy is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.Copy} (try {d.Attempt ?? 1})") : "-"),
                Text(d.Job is null ? "" : Progress(d.Percent ?? 0, d.Lba, d.TotalBlocks)),
                Text(d.Mbps is { } mbps && d.Job is not null ? mbps.ToString("F1", CultureInfo.InvariantCulture) : "-"),
                Text(Percent(d.BufferPercent)),
                Text(Percent(d.FifoPercent)),
                Text(d.LastError ?? ""));
        }

        if (drives.Count == 0)
        {
            table.Caption("no drives have registered");
        }

        return table;
    }

    public static Table Jobs(IReadOnlyList<JobRow> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var table = new Table().Border(TableBorder.Simple).Title("jobs");
        foreach (var column in new[] { "JOB", "STATUS", "PROGRESS", "IN FLIGHT", "REJECTED", "MEDIA", "ETA", "LABEL / WHY" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var j in jobs)
        {
            table.AddRow(
                Text(j.Id),
                Text(j.Status ?? "?"),
                Text(Progress(j.Copies > 0 ? 100.0 * j.Verified / j.Copies : 0, null, null) + string.Create(CultureInfo.InvariantCulture, $" {j.Verified}/{j.Copies}")),
                Text(j.InFlight.ToString(CultureInfo.InvariantCulture)),
                Text(j.Rejected.ToString(CultureInfo.InvariantCulture)),
                Text(j.Media ?? ""),
                Text(j.EtaSeconds is { } eta ? TimeSpan.FromSeconds(Math.Round(eta)).ToString("c", CultureInfo.InvariantCulture) : "-"),
                Text(j.Why ?? j.Label ?? ""));
        }

        if (jobs.Count == 0)
        {
            table.Caption("no jobs");
        }

        return table;
    }

    /// <summary>A bar of <see cref="BarWidth"/> cells, the percentage, and the LBA when known.</summary>
    public static string Progress(double percent, long? lba, long? totalBlocks)
    {
        var clamped = Math.Clamp(double.IsFinite(percent) ? percent : 0, 0, 100);
        var full = (int)Math.Round(clamped / 100 * BarWidth);
        var bar = new string('#', full) + new string('.', BarWidth - full);
        var blocks = lba is { } at && totalBlocks is > 0 ? string.Create(CultureInfo.InvariantCulture, $" LBA {at:N0}/{totalBlocks:N0}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"[{bar}] {clamped,5:F1}%{blocks}");
    }

    /// <summary>Writes a renderable to a writer as text of the given width (no colours when it is not a terminal).</summary>
    public static void Render(IRenderable renderable, TextWriter output, bool ansi, int width = 200)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = ansi ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = ansi ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = width;
        console.Write(renderable);
    }

    private static Text Text(string text) => new(text);

    private static string Percent(double? percent) => percent is { } p ? p.ToString("F0", CultureInfo.InvariantCulture) + "%" : "-";

    private static Color StateColour(string? state) => state switch
    {
        "busy" => Color.Green,
        "idle" => Color.Grey,
        "paused" => Color.Yellow,
        "maintenance" => Color.Red,
        _ => Color.Maroon,
    };
}
