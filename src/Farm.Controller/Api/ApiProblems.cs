using Farm.Device.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Farm.Controller.Api;

/// <summary>The API's application/problem+json answers: each says what is wrong and what to do.</summary>
internal static class ApiProblems
{
    /// <summary>Seconds a client should wait before retrying a 503 (a failover takes about 10 s).</summary>
    public const int RetryAfterSeconds = 2;

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON");

    public static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large");

    public static ProblemHttpResult NoSuchJob(string jobId) =>
        TypedResults.Problem(
            $"there is no job '{jobId}'; farm jobs (GET /api/jobs) lists the farm's jobs, whose ids look like 20260101-120000-a1b2c3",
            statusCode: StatusCodes.Status404NotFound,
            title: "No such job");

    public static ProblemHttpResult NoSuchDrive(string driveId) =>
        TypedResults.Problem($"there is no drive '{driveId}'; GET /api/drives lists the farm's drives", statusCode: StatusCodes.Status404NotFound, title: "No such drive");

    public static ProblemHttpResult NoSuchTower(string towerId) =>
        TypedResults.Problem($"there is no tower '{towerId}'; GET /api/towers lists the farm's towers", statusCode: StatusCodes.Status404NotFound, title: "No such tower");

    public static ProblemHttpResult NoSuchAlert(string alertId) =>
        TypedResults.Problem($"no alert '{alertId}' stands (it may have been cleared); GET /api/alerts lists the standing ones", statusCode: StatusCodes.Status404NotFound, title: "No such alert");

    /// <summary>The controller refused a command (not a missing job: e.g. resuming a job that is not held).</summary>
    public static ProblemHttpResult Refused(string reason) =>
        TypedResults.Problem(reason, statusCode: StatusCodes.Status409Conflict, title: "The farm controller refused the command");

    public static ValidationProblem InvalidJob(IReadOnlyDictionary<string, string[]> errors, ImapiError? imapi)
    {
        Dictionary<string, object?>? extensions = imapi is null
            ? null
            : new(StringComparer.Ordinal) { ["imapiError"] = imapi.Name, ["hresult"] = $"0x{imapi.HResult:X8}" };
        return TypedResults.ValidationProblem(
            errors,
            detail: string.Join("; ", errors.SelectMany(e => e.Value)),
            title: "The job cannot be submitted",
            extensions: extensions);
    }

    public static ProblemHttpResult Unavailable(HttpContext context, string reason)
    {
        context.Response.Headers.RetryAfter = $"{RetryAfterSeconds}";
        return TypedResults.Problem(
            $"{reason}; retry in a few seconds (the farm CLI, given several --farm addresses, tries the next one)",
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "The farm controller is not answering");
    }
}
