using System.CommandLine;
using Akka.Hosting;
using Farm.Controller.Api;
using Farm.Controller.Tests.EndToEnd;
using Farm.Messages.Jobs;
using Farm.Messages.Protocol;
using Farm.Messages.Views;

namespace Farm.Controller.Tests.Api;

/// <summary>
/// farm submit, jobs, hold, resume and cancel through the real API endpoints (hosted in-process,
/// a TestProbe in the controller singleton's place): --farm with several addresses, failover when
/// one refuses or answers 503, $FARM_URL, --wait's last line and every bad value's exit 2.
/// </summary>
public sealed class FarmCliOverHttpTests : ApiSpec
{
    public FarmCliOverHttpTests()
        : base("farm-cli-api")
    {
        Image = WriteImage("release.iso", 64 * 2048);
    }

    private string Image { get; }

    private string Live => Api.Address.GetLeftPart(UriPartial.Authority);

    /// <summary>An address where nothing listens: connecting is refused at once.</summary>
    private static string Refusing => $"http://127.0.0.1:{FarmCli.FreePort()}";

    private static async Task<FarmCli.Result> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // A command that never ends fails the test instead of hanging the run.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exitCode = await Program.CreateRoot().Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, deadline.Token);
        Assert.False(deadline.IsCancellationRequested, $"farm {string.Join(' ', arguments)} did not end within 60 s: {output}{error}");
        return new FarmCli.Result(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Completes the job once the controller has it, as the farm would after burning it.</summary>
    private async Task CompleteWhenSubmittedAsync(int rejected, JobStatus status = JobStatus.Completed, string? why = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (Controller.Commands.OfType<SubmitJob>().FirstOrDefault() is null)
        {
            await poll.WaitForNextTickAsync(deadline.Token);
        }

        var id = Controller.Commands.OfType<SubmitJob>().First().Job.JobId;
        Controller.Update(id, j => ControllerStandIn.Completed(j, rejected) with { Status = status, Why = why });
    }

    [Fact]
    public async Task Submit_wait_goes_to_the_next_address_when_the_first_refuses_and_ends_with_the_tally()
    {
        var refusing = Refusing;
        var completing = CompleteWhenSubmittedAsync(rejected: 1);

        var result = await RunAsync("submit", Image, "--copies", "2", "--farm", $"{refusing},{Live}", "--wait");
        await completing;

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var id = Assert.IsType<SubmitJob>(Assert.Single(Controller.Commands)).Job.JobId;
        // Between the two, --wait prints a progress line each time the job moves (as often as the polls see it move).
        Assert.StartsWith($"job {id}: 2 copies of {Image} on DVD+R\n", result.Output, StringComparison.Ordinal);
        Assert.EndsWith($"job {id}: 2/2 copies verified, 1 rejected\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"farm submit: {refusing} cannot be reached (ConnectionError", result.Error, StringComparison.Ordinal);
        Assert.Contains($"trying {Live}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_wait_ends_with_the_failure_line_and_exit_1_when_the_job_fails()
    {
        var failing = CompleteWhenSubmittedAsync(rejected: 5, JobStatus.Failed, "copy 1 failed 5 times");

        var result = await RunAsync("submit", Image, "--farm", Live, "--wait");
        await failing;

        var id = Controller.Commands.OfType<SubmitJob>().Single().Job.JobId;
        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"job {id} failed: copy 1 failed 5 times (1/1 copies verified, 5 rejected)\n", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_answering_503_hands_the_request_to_the_next()
    {
        // A controller process that has not reached the singleton yet answers 503.
        await using var early = await ApiHost.StartAsync(new ActorRegistry(), new FarmApiOptions());
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add("20260101-100000-aaaaaa", ControllerStandIn.JobOf(new JobSubmitted("20260101-100000-aaaaaa", Image, 64, 2, Farm.Messages.VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow))) };
        var unready = early.Address.GetLeftPart(UriPartial.Authority);

        var result = await RunAsync("jobs", "--farm", $"{unready},{Live}");

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains("20260101-100000-aaaaaa  Running  0/2", result.Output, StringComparison.Ordinal);
        Assert.Contains($"farm jobs: {unready} answered 503 (this controller process is not connected to the farm controller yet", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_resume_and_cancel_abort_through_the_API()
    {
        var id = "20260101-100000-bbbbbb";
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add(id, ControllerStandIn.JobOf(new JobSubmitted(id, Image, 64, 2, Farm.Messages.VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow))) };

        var hold = await RunAsync("hold", id, "--farm", Live);
        var resume = await RunAsync("resume", id, "--farm", Live);
        var resumeAgain = await RunAsync("resume", id, "--farm", Live);
        var cancel = await RunAsync("cancel", id, "--abort", "--farm", Live);
        var unknown = await RunAsync("hold", "20260101-000000-ffffff", "--farm", Live);

        Assert.Equal((0, $"job {id}: hold recorded\n"), (hold.ExitCode, hold.Output));
        Assert.Equal((0, $"job {id}: resume recorded\n"), (resume.ExitCode, resume.Output));
        Assert.Equal((2, $"farm resume: job {id} is Running, not held: there is nothing to resume\n"), (resumeAgain.ExitCode, resumeAgain.Error));
        Assert.Equal((0, $"job {id}: cancel recorded\n"), (cancel.ExitCode, cancel.Output));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("there is no job '20260101-000000-ffffff'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal((JobControl.Cancel, true), Controller.Commands.OfType<ControlJob>().Select(c => (c.Control, c.AbortInFlight)).ElementAt(3));
    }

    [Fact]
    public async Task A_folder_is_mastered_here_and_its_image_submitted_with_the_folder_as_source()
    {
        var release = Directory.CreateDirectory(Folder.PathOf("release")).FullName;
        await File.WriteAllTextAsync(Path.Combine(release, "readme.txt"), "hello");
        var image = Folder.PathOf("release-master.iso");

        var result = await RunAsync("submit", release, "--master-to", image, "--farm", Live);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains($"mastered {image}: sha256 ", result.Output, StringComparison.Ordinal);
        var sent = Controller.Commands.OfType<SubmitJob>().Single().Job;
        Assert.Equal((image, SourceKind.Folder, release), (sent.ImagePath, sent.Source!.Kind, sent.Source.Path));
        Assert.Equal(new FileInfo(image).Length / 2048, sent.ImageBlocks);
    }

    [Fact]
    public async Task Submit_folder_append_close_sends_an_append_job_of_the_folder()
    {
        var updates = Directory.CreateDirectory(Folder.PathOf("updates")).FullName;
        await File.WriteAllTextAsync(Path.Combine(updates, "patch.txt"), "patch");

        var result = await RunAsync("submit", "--folder", updates, "--append", "--close", "--copies", "3", "--media", "BD-R", "--farm", Live);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var sent = Controller.Commands.OfType<SubmitJob>().Single().Job;
        Assert.Equal((SourceKind.Append, updates, true, 3, "BD-R"), (sent.Source!.Kind, sent.Source.Path, sent.Source.CloseDisc, sent.Copies, sent.MediaType));
        Assert.True(sent.ImageBlocks > 0);
    }

    [Fact]
    public async Task Submit_audio_with_a_cd_text_file_sends_its_titles_catalog_and_isrcs()
    {
        var wav = EndToEnd.ToneWav.Write(Folder.PathOf("t1.wav"), 588 * 300, 1);

        var text = Folder.PathOf("album.json");
        await File.WriteAllTextAsync(text, """{"title": "Album", "performer": "Band", "catalog": "0123456789012", "tracks": [{"title": "One", "isrc": "USRC17607839"}]}""");

        var result = await RunAsync("submit", "--audio", wav, "--cd-text", text, "--media", "CD-R", "--farm", Live);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        var sent = Controller.Commands.OfType<SubmitJob>().Single().Job.Source!.AudioText!;
        Assert.Equal(("Album", "Band", "0123456789012", "One", "USRC17607839"), (sent.Title, sent.Performer, sent.Catalog, sent.Tracks![0].Title, sent.Tracks[0].Isrc));

        await File.WriteAllTextAsync(text, """{"album": "typo"}""");
        var typo = await RunAsync("submit", "--audio", wav, "--cd-text", text, "--media", "CD-R", "--farm", Live);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains($"--cd-text {text}: not the JSON of CD-TEXT", typo.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_the_API_refuses_exits_2_with_its_reason()
    {
        var odd = Folder.PathOf("odd.iso");
        await File.WriteAllBytesAsync(odd, new byte[3000]);

        var result = await RunAsync("submit", odd, "--copies", "0", "--farm", Live);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"farm submit: E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED (0xC0AA0403): image '{odd}' is 3,000 bytes", result.Error, StringComparison.Ordinal);
        Assert.Contains("a job needs between 1 and 100000 copies, not 0", result.Error, StringComparison.Ordinal);
        Assert.Empty(Controller.Commands);
    }

    public static TheoryData<string[], string> BadValues => new()
    {
        { ["jobs"], "name the farm: --farm http://HOST:PORT" },
        { ["jobs", "--farm", "ftp://127.0.0.1:21"], "'ftp://127.0.0.1:21' is not one" },
        { ["hold", "x", "--farm", "http://127.0.0.1:5080/api"], "'http://127.0.0.1:5080/api' is not one" },
        { ["submit", "/tmp/x.iso", "--merge", "/tmp/fields.csv", "--farm", "http://127.0.0.1:5080"], "--merge needs a --label template" },
        { ["submit", "--append", "--farm", "http://127.0.0.1:5080"], "--append adds a folder as a new session: give --folder DIR" },
        { ["submit", "--folder", "/tmp", "--farm", "http://127.0.0.1:5080"], "--folder names what an append job adds: give --append with it" },
        { ["submit", "/tmp/x.iso", "--cd-text", "/tmp/a.json", "--farm", "http://127.0.0.1:5080"], "--cd-text describes an audio CD" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_exits_2_with_a_message(string[] arguments, string says)
    {
        var result = await RunAsync(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_farm_program_takes_FARM_URL_for_farm_and_exits_2_on_a_value_it_cannot_parse()
    {
        var id = "20260101-100000-cccccc";
        Controller.Farm = Controller.Farm with { Jobs = Controller.Farm.Jobs.Add(id, ControllerStandIn.JobOf(new JobSubmitted(id, Image, 64, 3, Farm.Messages.VerifyMode.Full, "DVD+R", 0, DateTimeOffset.UtcNow))) };

        var jobs = await RunProgramAsync(new() { ["FARM_URL"] = $"{Refusing},{Live}" }, "jobs");
        var badCopies = await RunProgramAsync([], "submit", Image, "--copies", "abc", "--farm", Live);

        Assert.True(jobs.ExitCode == 0, $"exit {jobs.ExitCode}: {jobs.Output}{jobs.Error}");
        Assert.Contains($"{id}  Running  0/3", jobs.Output, StringComparison.Ordinal);
        Assert.Equal(2, badCopies.ExitCode);
        Assert.Contains("abc", badCopies.Error, StringComparison.Ordinal);
    }

    private static async Task<FarmCli.Result> RunProgramAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = FarmCli.StartInfo(arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return new FarmCli.Result(process.ExitCode, await output, await error);
    }
}
