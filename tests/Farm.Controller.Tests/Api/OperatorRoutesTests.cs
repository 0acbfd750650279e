using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Farm.Controller.Api;
using Farm.Controller.Api.Reports;
using Farm.Messages;
using Farm.Messages.Drives;
using Farm.Messages.Jobs;
using Farm.Messages.Nodes;
using Farm.Messages.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// The operator's routes on the real endpoints (no --auth: the loopback client is an admin), a
/// TestProbe in the singleton's place: drives, towers, alerts, the event stream, a job's discs,
/// report and manifest, and every bad input a 4xx problem.
/// </summary>
public sealed class OperatorRoutesTests : ApiSpec
{
    public OperatorRoutesTests()
        : base("farm-api-operator")
    {
        Image = WriteImage("release.iso", 100 * 2048);
        Controller.Farm = SampleFarm.Build(Image);
    }

    private string Image { get; }

    private HttpClient Http => Api.Http;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> ProblemDetailOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task Whoami_without_auth_is_the_loopback_admin()
    {
        Assert.Equal(new WhoAmI("loopback", "admin"), await Http.GetFromJsonAsync<WhoAmI>("/api/whoami"));
    }

    [Fact]
    public async Task Drives_show_state_progress_speed_buffer_and_fifo()
    {
        var drives = (await Http.GetFromJsonAsync<List<DriveSummary>>("/api/drives"))!;

        var busy = drives.Single(d => d.Id == "T1-D1");
        Assert.Equal(("busy", "node-1", "T1", SampleFarm.RunningJob, 49L, 100L, 50.0, 5.54, 25.0, 50.0), (busy.State, busy.Node, busy.Tower, busy.Job, busy.Lba, busy.TotalBlocks, busy.Percent, busy.Mbps, busy.BufferPercent, busy.FifoPercent));
        var idle = drives.Single(d => d.Id == "T1-D2");
        Assert.Equal(("maintenance", (double?)null, 3, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0206)"), (idle.State, idle.FifoPercent, idle.Failures, idle.LastError));
    }

    [Theory]
    [InlineData("pause", DriveAction.Pause)]
    [InlineData("resume", DriveAction.Resume)]
    [InlineData("maintenance", DriveAction.EnterMaintenance)]
    [InlineData("clear", DriveAction.LeaveMaintenance)]
    public async Task A_drive_action_asks_the_controller_and_answers_202(string route, DriveAction action)
    {
        using var response = await Http.PostAsync($"/api/drives/T1-D1/{route}", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = Assert.IsType<ControlDrive>(Assert.Single(Controller.Commands)).Command;
        Assert.Equal(("T1-D1", action), (sent.DriveId, sent.Action));
    }

    [Fact]
    public async Task An_unknown_drive_is_a_404_problem()
    {
        using var response = await Http.PostAsync("/api/drives/T9-D9/pause", null);

        Assert.Contains("there is no drive 'T9-D9'", await ProblemDetailOf(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Towers_show_their_bins_node_and_alert()
    {
        var towers = (await Http.GetFromJsonAsync<List<TowerSummary>>("/api/towers"))!;

        Assert.Equal(new TowerSummary("T1", "node-1", 0, "DVD+R", 7, 1, "the input bin is empty"), Assert.Single(towers));
    }

    [Fact]
    public async Task Refilled_passes_the_blanks_in_the_input_bin_to_the_controller()
    {
        using var response = await Http.PostAsync("/api/towers/T1/refilled", Json("""{"input": 75}"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var sent = Assert.IsType<RefillTower>(Assert.Single(Controller.Commands));
        Assert.Equal(("T1", 75), (sent.TowerId, sent.InputBlanks));
    }

    [Theory]
    [InlineData("""{"input": -1}""", "0 to 100000, not -1")]
    [InlineData("""{"blanks": 5}""", "the body must be JSON such as {\"input\": 100}")]
    [InlineData("""{"input": "many"}""", "the body must be JSON such as {\"input\": 100}")]
    [InlineData("""{"input": """, "it is not valid JSON")]
    public async Task A_bad_refilled_body_is_a_400_problem(string body, string says)
    {
        using var response = await Http.PostAsync("/api/towers/T1/refilled", Json(body));

        Assert.Contains(says, await ProblemDetailOf(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    [Fact]
    public async Task An_unknown_tower_is_a_404_problem()
    {
        using var response = await Http.PostAsync("/api/towers/T7/refilled", Json("""{"input": 5}"""));

        Assert.Contains("there is no tower 'T7'", await ProblemDetailOf(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alerts_are_listed_newest_first_and_an_acknowledgement_shows()
    {
        using var response = await Http.PostAsync($"/api/alerts/{SampleFarm.Alert}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var alerts = (await Http.GetFromJsonAsync<List<AlertView>>("/api/alerts"))!;

        Assert.Equal(["drive-faulted:T1-D2", SampleFarm.Alert], alerts.Select(a => a.Id));
        Assert.Equal((true, "operator loopback"), (alerts[1].Acknowledged, alerts[1].AcknowledgedBy));
        Assert.False(alerts[0].Acknowledged);
    }

    [Fact]
    public async Task Acknowledging_an_alert_that_does_not_stand_is_a_404_problem()
    {
        using var response = await Http.PostAsync("/api/alerts/node-lost:n9/acknowledge", null);

        Assert.Contains("no alert 'node-lost:n9' stands", await ProblemDetailOf(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_event_stream_sends_every_drive_tower_job_and_alert_then_each_change()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await Http.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var events = new List<(string Name, string Data)>();
        async Task ReadUntilAsync(Func<bool> enough)
        {
            string? name = null;
            while (!enough())
            {
                var line = await reader.ReadLineAsync(deadline.Token) ?? throw new InvalidOperationException("the stream ended");
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    events.Add((name!, line[6..]));
                }
            }
        }

        await ReadUntilAsync(() => events.Count >= 7);
        Assert.Equal(["alert", "alert", "drive", "drive", "job", "job", "tower"], events.Select(e => e.Name).Order());

        Controller.Farm = Controller.Farm with { Alerts = Controller.Farm.Alerts.Remove(SampleFarm.Alert) };
        Controller.Update(SampleFarm.HeldJob, j => j with { Status = Farm.Messages.Views.JobStatus.Running, Why = null });
        await ReadUntilAsync(() => events.Count >= 9);

        Assert.Contains(events.Skip(7), e => e.Name == "alert-cleared" && e.Data.Contains(SampleFarm.Alert, StringComparison.Ordinal));
        Assert.Contains(events.Skip(7), e => e.Name == "job" && JsonDocument.Parse(e.Data).RootElement.GetProperty("status").GetString() == "Running" && e.Data.Contains(SampleFarm.HeldJob, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_event_frames_are_made_once_for_every_connection_and_only_what_changed_is_new()
    {
        var frames = Api.Services.GetRequiredService<FarmEventFrames>();
        await AwaitAssertAsync(() => Assert.Equal(7, frames.Current().Count), TimeSpan.FromSeconds(30));
        var first = frames.Current();

        Assert.Same(first, frames.Current()); // a second connection gets the same frames, not a serialization of its own
        Controller.Update(SampleFarm.HeldJob, j => j with { Status = Farm.Messages.Views.JobStatus.Running, Why = null });
        await AwaitAssertAsync(() => Assert.NotSame(first, frames.Current()), TimeSpan.FromSeconds(30));
        var next = frames.Current();

        var changed = next.Keys.Where(k => !ReferenceEquals(next[k], first[k])).ToList();
        Assert.Equal([("job", SampleFarm.HeldJob)], changed);
        Assert.Contains("\"status\":\"Running\"", Encoding.UTF8.GetString(next[("job", SampleFarm.HeldJob)]), StringComparison.Ordinal);
    }

    /// <summary>Feeds the process's disc history as the journal would: copy 1 rejected once then verified, copy 2 verified.</summary>
    private void BurnSampleDiscs()
    {
        var ledger = Api.Services.GetRequiredService<DiscLedger>();
        var at = SampleFarm.At;
        long n = 0;
        void Decide(IFarmEvent e) => ledger.Apply(e, ++n);
        void Report(IFarmEvent e, int seconds) => ledger.Apply(new NodeReported("node-1", "drive", n, e, at.AddSeconds(seconds)), ++n);
        Decide(new JobSubmitted(SampleFarm.RunningJob, Image, 100, 2, VerifyMode.Full, "DVD+R", 0, at));
        Report(new DriveCameOnline("T1-D1", "node-1", "T1", "SIM", "DVD"), 0);
        Decide(new CopyAssigned(SampleFarm.RunningJob, 1, 1, "node-1", "T1-D1", Image, 100, VerifyMode.Full, "DVD+R"));
        Report(new BurnAssigned("T1-D1", SampleFarm.RunningJob, 1, 1, 100), 1);
        var reason = new FailureReason("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0206, Disposition.FailDisc, "<b>write protected</b>");
        Report(new BurnFailed("T1-D1", SampleFarm.RunningJob, 1, 1, "Writing", 40, reason), 5);
        Decide(new CopyFailed(SampleFarm.RunningJob, 1, 1, "T1-D1", reason, "D-1"));
        foreach (var copy in new[] { 1, 2 })
        {
            var attempt = copy == 1 ? 2 : 1;
            Decide(new CopyAssigned(SampleFarm.RunningJob, copy, attempt, "node-1", "T1-D1", Image, 100, VerifyMode.Full, "DVD+R"));
            Report(new BurnAssigned("T1-D1", SampleFarm.RunningJob, copy, attempt, 100), 10 * copy);
            Report(new DiscLoaded("T1-D1", SampleFarm.RunningJob, copy, $"D{copy}", "DVD+R"), (10 * copy) + 1);
            Report(new BurnFinished("T1-D1", SampleFarm.RunningJob, copy, 100, TimeSpan.FromSeconds(2), [new SpeedPoint(49, 4_000_000), new SpeedPoint(99, 6_000_000)]), (10 * copy) + 3);
            Report(new DiscVerified("T1-D1", SampleFarm.RunningJob, copy, new string('c', 64), TimeSpan.FromSeconds(1)), (10 * copy) + 4);
            Report(new DiscUnloaded("T1-D1", SampleFarm.RunningJob, copy, attempt, $"D{copy}", Bins.Output, new string('c', 64)), (10 * copy) + 5);
            Decide(new CopyVerified(SampleFarm.RunningJob, copy, attempt, "T1-D1", new string('c', 64), $"D{copy}"));
        }
    }

    [Fact]
    public async Task A_job_lists_every_disc_burned_for_it_each_attempt()
    {
        BurnSampleDiscs();

        using var document = JsonDocument.Parse(await Http.GetStringAsync($"/api/jobs/{SampleFarm.RunningJob}"));

        var discs = document.RootElement.GetProperty("discs").EnumerateArray().ToList();
        Assert.Equal([(1, 1, "rejected"), (1, 2, "verified"), (2, 1, "verified")], discs.Select(d => (d.GetProperty("copy").GetInt32(), d.GetProperty("attempt").GetInt32(), d.GetProperty("outcome").GetString())));
        var verified = discs[1];
        Assert.Equal(("T1-D1", "node-1", "T1", "DVD+R", "full", new string('c', 64)), (verified.GetProperty("drive").GetString(), verified.GetProperty("node").GetString(), verified.GetProperty("tower").GetString(), verified.GetProperty("media").GetString(), verified.GetProperty("verify").GetString(), verified.GetProperty("sha256").GetString()));
        Assert.Equal((0.1, 6.0), (verified.GetProperty("averageMBps").GetDouble(), verified.GetProperty("peakMBps").GetDouble()));
        Assert.Equal(SampleFarm.At.AddSeconds(10), verified.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(SampleFarm.At.AddSeconds(15), verified.GetProperty("endedAt").GetDateTimeOffset());
        Assert.Equal("[[49,4],[99,6]]", verified.GetProperty("speedCurve").GetRawText());
        Assert.StartsWith("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0206)", discs[0].GetProperty("rejectReason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_html_report_has_a_row_and_a_speed_curve_per_disc_and_shows_user_strings_as_text()
    {
        BurnSampleDiscs();

        using var response = await Http.GetAsync($"/api/jobs/{SampleFarm.RunningJob}/report?format=html");

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>write protected", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
        Assert.Equal(3, html.Split("<tr><td>").Length - 1);
        Assert.Equal(2, html.Split("<polyline").Length - 1);
    }

    [Fact]
    public async Task The_report_is_json_by_default_and_html_when_the_browser_asks()
    {
        BurnSampleDiscs();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{SampleFarm.RunningJob}/report");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");

        using var json = JsonDocument.Parse(await Http.GetStringAsync($"/api/jobs/{SampleFarm.RunningJob}/report"));
        using var html = await Http.SendAsync(request);

        Assert.Equal(3, json.RootElement.GetProperty("discs").GetArrayLength());
        Assert.Equal(SampleFarm.RunningJob, json.RootElement.GetProperty("job").GetProperty("id").GetString());
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_report_in_an_unknown_format_is_a_400_problem()
    {
        using var response = await Http.GetAsync($"/api/jobs/{SampleFarm.RunningJob}/report?format=pdf");

        Assert.Contains("format is html or json, not 'pdf'", await ProblemDetailOf(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manifest_lists_the_checksum_of_each_verified_copy()
    {
        Controller.Update(SampleFarm.RunningJob, j => ControllerStandIn.Completed(j, rejected: 0));

        using var response = await Http.GetAsync($"/api/jobs/{SampleFarm.RunningJob}/manifest");

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{new string('a', 64)}  copy-1\n{new string('a', 64)}  copy-2\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("report")]
    [InlineData("manifest")]
    public async Task The_report_or_manifest_of_an_unknown_job_is_a_404_problem(string what)
    {
        using var response = await Http.GetAsync($"/api/jobs/20200101-000000-000000/{what}");

        Assert.Contains("there is no job '20200101-000000-000000'", await ProblemDetailOf(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }
}
