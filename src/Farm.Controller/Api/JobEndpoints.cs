using Farm.Controller.Api.Auth;
using Farm.Controller.Api.Reports;
using Farm.Controller.Scheduling;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Farm.Controller.Api;

/// <summary>
/// <c>/api/jobs</c>: each handler asks the farm controller singleton and maps its answer to HTTP.
/// A silent singleton is a 503 (the group's filter in <see cref="FarmApi"/>), bad input a 4xx.
/// </summary>
internal static partial class JobEndpoints
{
    /// <summary>The longest Idempotency-Key accepted (keys are usually UUIDs).</summary>
    private const int MaxKeyLength = 200;

    /// <summary>
    /// Keyed submissions on this process one at a time, so two concurrent retries of one key cannot
    /// both miss the other's job (submissions are rare; a retry on another process comes after the
    /// first request failed here).
    /// </summary>
    private static readonly SemaphoreSlim KeyedSubmissions = new(1, 1);

    public static void Map(RouteGroupBuilder jobs)
    {
        jobs.MapPost("/", SubmitAsync).RequireAuthorization(ApiRoles.Submitter);
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{id}", GetAsync);
        jobs.MapPost("/{id}/hold", (string id, HttpContext context, FarmControllerGateway farm, CancellationToken cancellationToken) =>
            ControlAsync(farm, "hold", new ControlJob(id, JobControl.Hold, false, $"held by {OperatorCommands.By(context.User)}"), cancellationToken))
            .RequireAuthorization(ApiRoles.Operator);
        jobs.MapPost("/{id}/resume", (string id, HttpContext context, FarmControllerGateway farm, CancellationToken cancellationToken) =>
            ControlAsync(farm, "resume", new ControlJob(id, JobControl.Resume, false, $"resumed by {OperatorCommands.By(context.User)}"), cancellationToken))
            .RequireAuthorization(ApiRoles.Operator);
        jobs.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(ApiRoles.Operator);
    }

    private static async Task<Results<Created<JobView>, Ok<JobView>, ProblemHttpResult, ValidationProblem>> SubmitAsync(
        HttpRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? key,
        FarmControllerGateway farm,
        FarmApiOptions options,
        ImageCatalog images,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (key is not null && (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl)))
        {
            return ApiProblems.BadRequest($"the Idempotency-Key header must be 1 to {MaxKeyLength} printable characters (e.g. a UUID)");
        }

        var (body, status, unreadable) = await JobSubmission.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return status switch
            {
                StatusCodes.Status415UnsupportedMediaType => ApiProblems.UnsupportedMediaType(unreadable!),
                StatusCodes.Status413PayloadTooLarge => ApiProblems.TooLarge(unreadable!),
                _ => ApiProblems.BadRequest(unreadable!),
            };
        }

        var submission = JobSubmission.Check(body, options.ImageRoots);
        if (submission.Job is not { } checkedJob)
        {
            return ApiProblems.InvalidJob(submission.Errors, submission.Imapi);
        }

        JobSubmitted job;
        try
        {
            // Nodes without the image's path fetch it by this hash (GET /api/images/{sha256}).
            job = await images.WithHashesAsync(checkedJob, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception cannotRead) when (cannotRead is IOException or UnauthorizedAccessException)
        {
            return ApiProblems.BadRequest($"the image cannot be read to compute its SHA-256: {cannotRead.Message}; check that the controller may read it");
        }

        if (key is null)
        {
            var now = time.GetUtcNow();
            return await AskToSubmitAsync(farm, job with { JobId = JobIds.New(now), SubmittedAt = now }, request.HttpContext, cancellationToken).ConfigureAwait(false);
        }

        await KeyedSubmissions.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The id's time is when the key was first seen; a retry finds the job the first try made.
            var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
            if (FirstWithKey(state, key, job) is { } earlier)
            {
                return TypedResults.Ok(JobView.Detail(earlier));
            }

            var now = time.GetUtcNow();
            return await AskToSubmitAsync(farm, job with { JobId = JobIds.ForKey(now, key), SubmittedAt = now }, request.HttpContext, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            KeyedSubmissions.Release();
        }
    }

    private static async Task<Results<Created<JobView>, Ok<JobView>, ProblemHttpResult, ValidationProblem>> AskToSubmitAsync(
        FarmControllerGateway farm, JobSubmitted job, HttpContext context, CancellationToken cancellationToken)
    {
        // Checked here to name the field (the singleton checks again, for submitters other than the API).
        if (job.Label is not null && LabelPrinters.Problem(await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false), job.MediaType) is { } noPrinter)
        {
            return ApiProblems.InvalidJob(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["label"] = [noPrinter] }, null);
        }

        switch (await farm.AskAsync(new SubmitJob(job), cancellationToken).ConfigureAwait(false))
        {
            case JobAccepted { AlreadyKnown: true } accepted:
                return TypedResults.Ok(JobView.Submitted(job with { JobId = accepted.JobId }));
            case JobAccepted accepted:
                var logger = Logger(context);
                LogSubmitted(logger, accepted.JobId, job.Copies, job.ImagePath);
                return TypedResults.Created($"/api/jobs/{accepted.JobId}", JobView.Submitted(job with { JobId = accepted.JobId }));
            case CommandRefused refused:
                return TypedResults.Problem(
                    refused.Reason,
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The farm controller refused the job");
            case var other:
                throw new InvalidOperationException($"the farm controller answered SubmitJob with {other.GetType().Name}");
        }
    }

    /// <summary>The job an earlier try with this key made: its id ends in the key's digits and it asks for the same burn.</summary>
    private static JobState? FirstWithKey(FarmState state, string key, JobSubmitted job)
    {
        var suffix = "-" + JobIds.KeySuffix(key);
        return state.Jobs.Values
            .Where(j => j.JobId.EndsWith(suffix, StringComparison.Ordinal)
                && j.ImagePath == job.ImagePath && j.Copies == job.Copies && j.MediaType == job.MediaType && j.Verify == job.Verify && j.Priority == job.Priority)
            .OrderBy(j => j.SubmittedAt)
            .FirstOrDefault();
    }

    private static async Task<Ok<JobListView>> ListAsync(FarmControllerGateway farm, DiscLedger discs, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new JobListView([.. state.Jobs.Values.OrderByDescending(j => j.SubmittedAt).Select(j => JobView.Summary(j, discs.Of(j.JobId)))]));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetAsync(string id, FarmControllerGateway farm, DiscLedger discs, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return state.Jobs.TryGetValue(id, out var job) ? TypedResults.Ok(JobView.Detail(job, discs.Of(id))) : ApiProblems.NoSuchJob(id);
    }

    private static Task<Results<Accepted<JobControlView>, ProblemHttpResult>> CancelAsync(
        string id, [FromQuery] string? abort, HttpContext context, FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        bool abortInFlight;
        switch (abort?.ToUpperInvariant())
        {
            case null or "FALSE" or "0":
                abortInFlight = false;
                break;
            case "TRUE" or "1" or "":
                abortInFlight = true;
                break;
            default:
                return Task.FromResult<Results<Accepted<JobControlView>, ProblemHttpResult>>(
                    ApiProblems.BadRequest($"abort is true or false, not '{abort}'"));
        }

        var by = OperatorCommands.By(context.User);
        var reason = abortInFlight ? $"cancelled by {by}; burns in flight aborted" : $"cancelled by {by}";
        return ControlAsync(farm, "cancel", new ControlJob(id, JobControl.Cancel, abortInFlight, reason), cancellationToken);
    }

    private static async Task<Results<Accepted<JobControlView>, ProblemHttpResult>> ControlAsync(
        FarmControllerGateway farm, string action, ControlJob control, CancellationToken cancellationToken) =>
        await farm.AskAsync(control, cancellationToken).ConfigureAwait(false) switch
        {
            CommandAccepted accepted => TypedResults.Accepted((string?)null, new JobControlView(control.JobId, action, accepted.What)),
            CommandRefused { NotFound: true } => ApiProblems.NoSuchJob(control.JobId),
            CommandRefused refused => ApiProblems.Refused(refused.Reason),
            var other => throw new InvalidOperationException($"the farm controller answered ControlJob with {other.GetType().Name}"),
        };

    public static void LogUnavailable(HttpContext context, string reason)
    {
        var logger = Logger(context);
        LogUnanswered(logger, context.Request.Method, context.Request.Path, reason);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Farm.Controller.Api");

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Job {JobId} submitted through the API: {Copies} copies of {ImagePath}")]
    private static partial void LogSubmitted(ILogger logger, string jobId, int copies, string imagePath);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Reason}")]
    private static partial void LogUnanswered(ILogger logger, string method, string path, string reason);
}
