using Farm.Controller.Api.Reports;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// The HTTP API's mapping, with its real endpoints hosted in-process and a TestProbe registered
/// under FarmControllerKey in the farm controller singleton's place: what each request asks the
/// controller, and how each answer (or silence) becomes HTTP.
/// </summary>
public sealed class FarmApiTests : ApiSpec
{
    private const string JobIdPattern = @"^\d{8}-\d{6}-[0-9a-f]{6}$";

    public FarmApiTests()
        : base("farm-api")
    {
        Image = WriteImage("release.iso", 100 * 2048);
    }

    private string Image { get; }

    private HttpClient Http => Api.Http;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_submission_asks_the_controller_for_the_job_and_answers_201_with_its_id()
    {
        var body = new
        {
            image = Image, copies = 3, media = "dvd+r", verify = "quick", priority = 5, due = "2026-12-01T17:00Z", maxAttempts = 2,
            label = "{title} {copy}/{copies}", mergeFields = new[] { new { title = "A" }, new { title = "B" }, new { title = "C" } },
        };

        using var response = await Http.PostAsJsonAsync("/api/jobs", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JobView>())!;
        Assert.Matches(JobIdPattern, job.Id);
        Assert.Equal($"/api/jobs/{job.Id}", response.Headers.Location?.OriginalString);
        var sent = Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job;
        Assert.Equal(
            (job.Id, Image, 100L, 3, VerifyMode.Quick, "DVD+R", 5, DateTimeOffset.Parse("2026-12-01T17:00Z", System.Globalization.CultureInfo.InvariantCulture), 2),
            (sent.JobId, sent.ImagePath, sent.ImageBlocks, sent.Copies, sent.Verify, sent.MediaType, sent.Priority, sent.DueAt!.Value, sent.MaxAttemptsPerCopy!.Value));
        Assert.Equal("{title} {copy}/{copies}", sent.Label!.Template);
        Assert.Equal(["A", "B", "C"], sent.Label.MergeFields!.Select(f => f["title"]));
        Assert.Equal(sent.SubmittedAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture), job.Id[..15]);
    }

    [Fact]
    public async Task A_label_no_tower_of_the_media_can_print_is_a_400_naming_the_label_and_nothing_is_submitted()
    {
        var changerTower = new TowerView("T1", 50, "DVD+R", 0, 0, null);
        Controller.Farm = FarmState.Empty with { Towers = FarmState.Empty.Towers.Add("T1", changerTower) };
        var body = new { image = Image, copies = 2, media = "DVD+R", label = "{job} copy {copy}" };

        using var refused = await Http.PostAsJsonAsync("/api/jobs", body);

        var problem = await ProblemOf(refused, HttpStatusCode.BadRequest);
        var reason = problem.GetProperty("errors").GetProperty("label")[0].GetString()!;
        Assert.Contains("no tower holding DVD+R media can print it (T1", reason, StringComparison.Ordinal);
        Assert.Contains("submit it without a label", reason, StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);

        Controller.Farm = FarmState.Empty with { Towers = FarmState.Empty.Towers.Add("T1", changerTower with { CanPrintLabels = true }) };
        using var accepted = await Http.PostAsJsonAsync("/api/jobs", body);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("{job} copy {copy}", Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job.Label!.Template);
    }

    [Fact]
    public async Task Several_images_are_one_collated_set()
    {
        var second = WriteImage("disc2.iso", 50 * 2048);

        using var response = await Http.PostAsJsonAsync("/api/jobs", new { images = new[] { Image, second }, copies = 2 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var job = (await response.Content.ReadFromJsonAsync<JobView>())!;
        Assert.Equal((2, 2, 4), (job.Copies, job.DiscsPerSet, job.Discs));
        var sent = Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job;
        Assert.Equal(SourceKind.CollatedSet, sent.Source!.Kind);
        Assert.Equal([(Image, 100L), (second, 50L)], sent.Source.SetImages!.Select(i => (i.Path, i.Blocks)));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_gives_the_same_job_and_no_second_one()
    {
        async Task<(HttpStatusCode Status, string Id)> SubmitAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { image = Image, copies = 2 }) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await Http.SendAsync(request);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JobView>())!.Id);
        }

        var first = await SubmitAsync("7c0e5b7e-retry-me");
        var again = await SubmitAsync("7c0e5b7e-retry-me");
        var other = await SubmitAsync("another-key");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal((HttpStatusCode.OK, first.Id), again);
        Assert.Equal(HttpStatusCode.Created, other.Status);
        Assert.NotEqual(first.Id, other.Id);
        Assert.EndsWith("-" + JobIds.KeySuffix("7c0e5b7e-retry-me"), first.Id, StringComparison.Ordinal);
        Assert.Equal([first.Id, other.Id], Controller.Commands.OfType<SubmitJob>().Select(s => s.Job.JobId));
        Assert.Equal(2, Controller.Farm.Jobs.Count);
    }

    [Fact]
    public async Task A_retry_the_controller_already_took_is_answered_200_with_that_job()
    {
        // The first try reached the controller, but its answer was lost: the controller knows the id.
        var now = DateTimeOffset.UtcNow;
        var id = JobIds.ForKey(now, "lost-answer");
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add(id, ControllerStandIn.JobOf(new JobSubmitted(id, Image, 100, 2, VerifyMode.Full, "DVD+R", 0, now))) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { image = Image, copies = 2 }) };
        request.Headers.Add("Idempotency-Key", "lost-answer");

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, (await response.Content.ReadFromJsonAsync<JobView>())!.Id);
        Assert.Empty(Controller.Commands);
    }

    public static TheoryData<string, string, string> BadJobs => new()
    {
        { """{"image": "IMAGE", "copies": 0}""", "copies", "between 1 and 100000 copies, not 0" },
        { """{"image": "IMAGE\u0000"}""", "image", "holds a NUL character" }, // was a 500 (API fuzz run, docs/RELIABILITY.md)
        { """{"image": "IMAGE", "copies": 1000001}""", "copies", "between 1 and 100000 copies, not 1000001" },
        { """{"image": "IMAGE", "media": "DVD-Z"}""", "media", "unknown media 'DVD-Z'; the farm burns CD-R, CD-RW, DVD-R" },
        { """{"image": "FOLDER/missing.iso"}""", "image", "does not exist" },
        { """{"image": "release.iso"}""", "image", "must be an absolute path on the controller's file system, not 'release.iso'" },
        { """{}""", "image", "name the image to burn" },
        { """{"image": "IMAGE", "images": ["IMAGE"]}""", "image", "not both" },
        { """{"image": "IMAGE", "verify": "Sometimes"}""", "verify", "verify is None, Quick or Full, not 'Sometimes'" },
        { """{"image": "IMAGE", "due": "tomorrow"}""", "due", "due must be a date and time such as 2026-12-01T17:00Z, not 'tomorrow'" },
        { """{"image": "IMAGE", "maxAttempts": 0}""", "maxAttempts", "at least 1, not 0" },
        { """{"image": "IMAGE", "label": "{nope}"}""", "label", "the label template uses {nope}" },
        { """{"image": "IMAGE", "mergeFields": [{"a": "b"}]}""", "mergeFields", "need a label template" },
    };

    [Theory]
    [MemberData(nameof(BadJobs))]
    public async Task A_bad_field_is_a_400_problem_naming_it(string json, string field, string says)
    {
        using var response = await Http.PostAsync("/api/jobs", Json(json.Replace("IMAGE", Image, StringComparison.Ordinal).Replace("FOLDER", Folder.FullPath, StringComparison.Ordinal)));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.Contains(says, StringComparison.Ordinal));
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task An_image_not_a_multiple_of_2048_bytes_is_a_400_with_the_IMAPI2_error()
    {
        var odd = WriteImage("odd.iso", (10 * 2048) + 1000);

        using var response = await Http.PostAsJsonAsync("/api/jobs", new { image = odd });

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", problem.GetProperty("imapiError").GetString());
        Assert.Equal("0xC0AA0403", problem.GetProperty("hresult").GetString());
        Assert.Contains($"E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403): image '{odd}' is 21,480 bytes, which is not a positive multiple of 2048", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task An_image_larger_than_the_media_is_a_400_with_the_IMAPI_error()
    {
        var large = WriteImage("large.iso", 400_000L * 2048);

        using var response = await Http.PostAsJsonAsync("/api/jobs", new { image = large, media = "CD-R" });

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("IMAPI_E_DISCFULL", problem.GetProperty("imapiError").GetString());
        Assert.Contains("needs 400,000 blocks but CD-R media hold 359,847; use larger media", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> UnreadableBodies => new()
    {
        { "{\"image\": ", "the body is not valid JSON" },
        { "[1, 2]", "the body must be a JSON object" },
        { """{"image": "/x.iso", "copys": 2}""", "unknown field 'copys'; a job takes image, images, audio, masteredFrom, copies" },
        { """{"image": "/x.iso", "copies": "two"}""", "field 'copies' has the wrong type: it takes a whole number from 1 to 100000" },
        { """{"image": 7}""", "field 'image' has the wrong type: it takes a string" },
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task A_body_that_cannot_be_read_is_a_400_problem_saying_why(string json, string says)
    {
        using var response = await Http.PostAsync("/api/jobs", Json(json));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Contains(says, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x6D, 0xE9, 0x64, 0x69, 0x61, 0x22, 0x3A, 0x31, 0x7D })] // {"m\xE9dia":1}: a name that is not UTF-8
    [InlineData(new byte[] { 0x7B, 0x22, 0x69, 0x6D, 0x61, 0x67, 0x65, 0x22, 0x3A, 0x22, 0x2F, 0xFF, 0x22, 0x7D })] // {"image":"/\xFF"}: a value that is not UTF-8
    public async Task A_body_that_is_not_UTF8_is_a_400_problem_not_a_500(byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync("/api/jobs", content);

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task A_field_name_escaping_half_a_surrogate_pair_is_a_400_problem_not_a_500()
    {
        using var response = await Http.PostAsync("/api/jobs", Json("{\"\\ud800\": 1}"));

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Contains("not text", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task A_body_over_the_bound_is_a_413_problem_before_it_is_parsed()
    {
        using var content = new ByteArrayContent(new byte[JobSubmission.MaxBodyBytes + 1]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync("/api/jobs", content);

        var problem = await ProblemOf(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("larger than 16 MiB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_a_415_problem()
    {
        using var response = await Http.PostAsync("/api/jobs", new StringContent("image=/x.iso", Encoding.UTF8, "application/x-www-form-urlencoded"));

        var problem = await ProblemOf(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("the body must be JSON (Content-Type: application/json)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_Idempotency_Key_is_a_400_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = JsonContent.Create(new { image = Image }) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", new string('k', 201));

        using var response = await Http.SendAsync(request);

        var problem = await ProblemOf(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key header must be 1 to 200 printable characters", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_jobs_are_listed_newest_first_and_one_job_shows_its_copies()
    {
        var older = new JobSubmitted("20260101-100000-aaaaaa", Image, 100, 2, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.Parse("2026-01-01T10:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var newer = older with { JobId = "20260101-110000-bbbbbb", SubmittedAt = older.SubmittedAt.AddHours(1), Copies = 1 };
        Controller.Farm = Controller.Farm with
        {
            Jobs = Controller.Farm.Jobs
                .Add(older.JobId, ControllerStandIn.JobOf(older) with { Rejected = 1 })
                .Add(newer.JobId, ControllerStandIn.JobOf(newer)),
        };
        Controller.Update(older.JobId, j => j with { CopyStates = j.CopyStates.SetItem(2, j.CopyStates[2] with { Status = CopyStatus.Assigned, Attempt = 2, DriveId = "T1-D2", Phase = "Writing", LastWrittenLba = 49, TotalBlocks = 100 }) });

        var list = (await Http.GetFromJsonAsync<JobListView>("/api/jobs"))!;
        var one = (await Http.GetFromJsonAsync<JobView>($"/api/jobs/{older.JobId}"))!;

        Assert.Equal([newer.JobId, older.JobId], list.Jobs.Select(j => j.Id));
        Assert.All(list.Jobs, j => Assert.Null(j.CopyStates));
        Assert.Equal(("Running", 2, 1, 1), (one.Status, one.Discs, one.InFlight, one.Rejected));
        Assert.Equal(
            [(1, "Pending", 0, (string?)null, 0.0), (2, "Assigned", 2, "T1-D2", 50.0)],
            one.CopyStates!.Select(c => (c.Copy, c.Status, c.Attempt, c.Drive, c.Percent)));
    }

    [Fact]
    public async Task An_unknown_job_is_a_404_problem()
    {
        using var response = await Http.GetAsync("/api/jobs/20260101-000000-ffffff");

        var problem = await ProblemOf(response, HttpStatusCode.NotFound);
        Assert.Contains("there is no job '20260101-000000-ffffff'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_resume_and_cancel_with_abort_ask_the_controller_and_map_its_refusals()
    {
        var job = new JobSubmitted("20260101-100000-cccccc", Image, 100, 2, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow);
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add(job.JobId, ControllerStandIn.JobOf(job)) };

        using var resumeRunning = await Http.PostAsync($"/api/jobs/{job.JobId}/resume", null);
        using var hold = await Http.PostAsync($"/api/jobs/{job.JobId}/hold", null);
        using var resume = await Http.PostAsync($"/api/jobs/{job.JobId}/resume", null);
        using var badAbort = await Http.PostAsync($"/api/jobs/{job.JobId}/cancel?abort=maybe", null);
        using var cancel = await Http.PostAsync($"/api/jobs/{job.JobId}/cancel?abort=true", null);
        using var holdUnknown = await Http.PostAsync("/api/jobs/20260101-000000-ffffff/hold", null);

        Assert.Contains("is Running, not held", (await ProblemOf(resumeRunning, HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, hold.StatusCode);
        Assert.Equal(new JobControlView(job.JobId, "hold", $"Hold of job {job.JobId}"), await hold.Content.ReadFromJsonAsync<JobControlView>());
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Contains("abort is true or false, not 'maybe'", (await ProblemOf(badAbort, HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Contains("there is no job '20260101-000000-ffffff'", (await ProblemOf(holdUnknown, HttpStatusCode.NotFound)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(
            [(JobControl.Resume, false), (JobControl.Hold, false), (JobControl.Resume, false), (JobControl.Cancel, true), (JobControl.Hold, false)],
            Controller.Commands.Cast<ControlJob>().Select(c => (c.Control, c.AbortInFlight)));
        Assert.Equal(JobStatus.Cancelled, Controller.Farm.Jobs[job.JobId].Status);
    }

    [Fact]
    public async Task A_silent_singleton_is_a_503_problem_that_says_to_retry()
    {
        Controller.Silent = true;

        using var submit = await Http.PostAsJsonAsync("/api/jobs", new { image = Image });
        using var list = await Http.GetAsync("/api/jobs");

        foreach (var response in new[] { submit, list })
        {
            var problem = await ProblemOf(response, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("the farm controller did not answer within 1 s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Contains("retry in a few seconds", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal("2", response.Headers.RetryAfter?.ToString());
        }
    }

    [Fact]
    public async Task A_process_whose_singleton_proxy_is_not_registered_yet_answers_503()
    {
        await using var early = await ApiHost.StartAsync(new ActorRegistry(), new FarmApiOptions());

        using var response = await early.Http.GetAsync("/api/jobs");

        var problem = await ProblemOf(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("not connected to the farm controller yet", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_status_shows_the_farm_the_controller_gives()
    {
        var job = new JobSubmitted("20260101-100000-dddddd", Image, 100, 2, VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow);
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add(job.JobId, ControllerStandIn.JobOf(job)), LastOrdering = 7 };

        // The feed asks every 500 ms; the status shows the job once it has asked since (polled, with a deadline).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        JsonElement status;
        do
        {
            status = JsonDocument.Parse(await Http.GetStringAsync("/api/status", deadline.Token)).RootElement.Clone();
        }
        while (status.GetProperty("jobs").GetArrayLength() == 0 && await poll.WaitForNextTickAsync(deadline.Token));

        Assert.Equal(job.JobId, status.GetProperty("jobs")[0].GetProperty("id").GetString());
        Assert.Equal(7, status.GetProperty("ordering").GetInt64());
    }
}
