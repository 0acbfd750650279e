using System.Net;
using System.Text.Json;
using Farm.Controller.Api;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// 10,000 generated POST /api/jobs requests (valid, boundary, malformed; <see cref="JobRequests"/>)
/// against the real endpoints hosted in-process without authentication on loopback: no answer is
/// a 5xx, every refusal is a problem document saying what is wrong, and the API still answers
/// afterwards. The seed is printed; FARM_FUZZ_SEED replays a run.
/// </summary>
public sealed class JobRequestFuzzTests(ITestOutputHelper output) : ApiSpec("farm-api-fuzz")
{
    private const int Requests = 10_000;
    private const int InParallel = 4;

    // The fuzz is about input, not failover: the stand-in controller may take more than the
    // other specs' 1 s to answer 10,000 requests on a loaded machine, which would be a 503 by design.
    protected override FarmApiOptions Options => new() { AskTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Ten_thousand_generated_job_requests_get_no_5xx_and_every_refusal_says_why()
    {
        var seed = FuzzSeed.Choose(ciSeed: 990373163, output.WriteLine);
        var generator = new JobRequests(seed, WriteImage("good.iso", 100 * 2048), WriteImage("odd.iso", (100 * 2048) + 7), Folder.FullPath);
        var requests = Enumerable.Range(0, Requests).Select(_ => generator.Next()).ToList();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = InParallel }, async (sent, cancellationToken) =>
        {
            using var request = sent.Request;
            using var response = await Api.Http.SendAsync(request, cancellationToken);
            statuses.AddOrUpdate(response.StatusCode, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True((int)response.StatusCode < 500, $"seed {seed}: {(int)response.StatusCode} for {sent.Description}: {body}");
            if ((int)response.StatusCode >= 400)
            {
                Assert.False(string.IsNullOrWhiteSpace(DetailOf(body)), $"seed {seed}: {(int)response.StatusCode} without a detail for {sent.Description}: {body}");
            }
        });

        output.WriteLine(string.Join(", ", statuses.OrderBy(pair => pair.Key).Select(pair => $"{(int)pair.Key}: {pair.Value}")));
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.Accepted) + statuses.GetValueOrDefault(HttpStatusCode.Created) + statuses.GetValueOrDefault(HttpStatusCode.OK) > 0, "no request was accepted: the generator's valid jobs are not valid");
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.BadRequest) > 0, "no request was refused: the generator's bad jobs are not bad");
        using var after = await Api.Http.GetAsync("/api/jobs");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private static string? DetailOf(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
