using Farm.Controller.Api.Reports;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary><c>/api/jobs/{id}/report</c> (JSON, or HTML for <c>Accept: text/html</c> or <c>?format=html</c>) and <c>/api/jobs/{id}/manifest</c>.</summary>
internal static class ReportEndpoints
{
    public static void Map(RouteGroupBuilder jobs)
    {
        jobs.MapGet("/{id}/report", ReportAsync);
        jobs.MapGet("/{id}/manifest", ManifestAsync);
    }

    private static async Task<Results<Ok<JobReport>, ContentHttpResult, ProblemHttpResult>> ReportAsync(
        string id, [FromQuery] string? format, HttpRequest request, FarmControllerGateway farm, DiscLedger discs, TimeProvider time, CancellationToken cancellationToken)
    {
        bool html;
        switch (format?.ToUpperInvariant())
        {
            case null:
                html = request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));
                break;
            case "HTML":
                html = true;
                break;
            case "JSON":
                html = false;
                break;
            default:
                return ApiProblems.BadRequest($"format is html or json, not '{format}'");
        }

        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        if (!state.Jobs.TryGetValue(id, out var job))
        {
            return ApiProblems.NoSuchJob(id);
        }

        var report = JobReport.Of(job, discs.Of(id), time.GetUtcNow());
        return html ? TypedResults.Content(ReportHtml.Render(report), "text/html; charset=utf-8") : TypedResults.Ok(report);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ManifestAsync(string id, FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return state.Jobs.TryGetValue(id, out var job)
            ? TypedResults.Content(JobReport.Manifest(job), "text/plain; charset=utf-8")
            : ApiProblems.NoSuchJob(id);
    }
}
