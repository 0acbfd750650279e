using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Farm.Controller.Api.Reports;

/// <summary>
/// A job's report as one self-contained HTML page: the job, a row per disc, and each disc's speed
/// curve (MB/s over the LBA) as an inline SVG. Every string that came from a user or a device
/// (label, paths, ids, reasons) is HTML-encoded.
/// </summary>
public static class ReportHtml
{
    private const int Width = 240;
    private const int Height = 48;

    public static string Render(JobReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var job = report.Job;
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Job ").Append(E(job.Id)).Append(" report</title>\n")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 6px;font-size:13px;vertical-align:top}")
            .Append("th{background:#eee}.verified{color:#060}.rejected,.aborted,.interrupted{color:#a00}code{font-size:12px}</style></head><body>\n");
        html.Append("<h1>Job ").Append(E(job.Id)).Append("</h1>\n<table>\n");
        Row(html, "Status", job.Status + (job.Why is null ? "" : $": {job.Why}"));
        Row(html, "Label", job.Label ?? "");
        Row(html, "Image", string.Join(", ", job.Images));
        Row(html, "Image sha256", job.Sha256 ?? "");
        if (job.CdText is { } text)
        {
            Row(html, "CD-TEXT album", $"{text.Title ?? "-"} / {text.Performer ?? "-"}");
            Row(html, "Catalog (UPC/EAN)", text.Catalog ?? "");
        }

        Row(html, "Media", job.Media);
        Row(html, "Verify", job.Verify);
        Row(html, "Copies", $"{job.Copies}{(job.DiscsPerSet > 1 ? $" sets of {job.DiscsPerSet} discs" : "")}");
        Row(html, "Verified / rejected", $"{job.Verified} / {job.Rejected}");
        Row(html, "Submitted", job.SubmittedAt.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "Report made", report.GeneratedAt.ToString("u", CultureInfo.InvariantCulture));
        html.Append("</table>\n<h2>Discs</h2>\n<table>\n<tr><th>Copy</th><th>Attempt</th><th>Drive</th><th>Node</th><th>Tower</th><th>Media</th>")
            .Append("<th>Started</th><th>Ended</th><th>Average MB/s</th><th>Peak MB/s</th><th>Verify</th><th>sha256</th><th>Outcome</th><th>Reason</th><th>Speed (MB/s over LBA)</th></tr>\n");
        foreach (var disc in report.Discs)
        {
            html.Append("<tr>");
            Cell(html, disc.Copy.ToString(CultureInfo.InvariantCulture));
            Cell(html, disc.Attempt.ToString(CultureInfo.InvariantCulture));
            Cell(html, disc.Drive);
            Cell(html, disc.Node);
            Cell(html, disc.Tower);
            Cell(html, disc.Media);
            Cell(html, disc.StartedAt?.ToString("u", CultureInfo.InvariantCulture));
            Cell(html, disc.EndedAt?.ToString("u", CultureInfo.InvariantCulture));
            Cell(html, disc.AverageMBps?.ToString("0.00", CultureInfo.InvariantCulture));
            Cell(html, disc.PeakMBps?.ToString("0.00", CultureInfo.InvariantCulture));
            Cell(html, disc.Verify);
            html.Append("<td><code>").Append(E(disc.Sha256 ?? "")).Append("</code></td>");
            html.Append("<td class=\"").Append(E(disc.Outcome)).Append("\">").Append(E(disc.Outcome)).Append("</td>");
            Cell(html, disc.RejectReason is null ? null : disc.InterruptedLba is { } lba ? $"{disc.RejectReason} (LBA {lba})" : disc.RejectReason);
            html.Append("<td>").Append(Curve(disc)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var disc in report.Discs.Where(d => d.Tracks is { Count: > 0 }))
        {
            Tracks(html, disc);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    /// <summary>An audio disc's tracks as read back: number, CD-TEXT, ISRC, start, mm:ss:ff (75 frames a second), checksum, WAV.</summary>
    private static void Tracks(StringBuilder html, DiscRecord disc)
    {
        html.Append("<h2>Tracks of copy ").Append(disc.Copy.ToString(CultureInfo.InvariantCulture))
            .Append(" (attempt ").Append(disc.Attempt.ToString(CultureInfo.InvariantCulture)).Append(")</h2>\n<table>\n")
            .Append("<tr><th>Track</th><th>Title</th><th>Performer</th><th>ISRC</th><th>Start LBA</th><th>Duration (mm:ss:ff)</th><th>Frames</th><th>sha256</th><th>WAV</th></tr>\n");
        foreach (var track in disc.Tracks!)
        {
            html.Append("<tr>");
            Cell(html, track.Number.ToString(CultureInfo.InvariantCulture));
            Cell(html, track.Title);
            Cell(html, track.Performer);
            Cell(html, track.Isrc);
            Cell(html, track.StartLba.ToString(CultureInfo.InvariantCulture));
            Cell(html, track.Duration);
            Cell(html, track.Blocks.ToString(CultureInfo.InvariantCulture));
            html.Append("<td><code>").Append(E(track.Sha256)).Append("</code></td>");
            Cell(html, track.Source);
            html.Append("</tr>\n");
        }

        html.Append("</table>\n");
    }

    /// <summary>The disc's speed over its LBA as an SVG polyline (scaled to the disc's peak), or nothing without points.</summary>
    public static string Curve(DiscRecord disc)
    {
        ArgumentNullException.ThrowIfNull(disc);
        if (disc.SpeedCurve.Count == 0)
        {
            return "";
        }

        var maxLba = Math.Max(1, disc.SpeedCurve.Max(p => p[0]));
        var maxSpeed = Math.Max(0.01, disc.SpeedCurve.Max(p => p[1]));
        var points = string.Join(' ', disc.SpeedCurve.Select(p => string.Create(
            CultureInfo.InvariantCulture, $"{p[0] / maxLba * Width:0.#},{Height - (p[1] / maxSpeed * (Height - 2)):0.#}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\"><title>peak {maxSpeed:0.00} MB/s</title><polyline fill=\"none\" stroke=\"#06c\" stroke-width=\"1.5\" points=\"{points}\"/></svg>");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static void Cell(StringBuilder html, string? value) => html.Append("<td>").Append(E(value ?? "")).Append("</td>");

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
