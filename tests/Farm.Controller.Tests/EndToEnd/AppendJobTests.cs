using System.Net.Http.Json;
using Farm.Controller.Api;
using Farm.Controller.Demo;
using Farm.Device.Mastering;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Messages.Jobs;
using Farm.Messages.Views;
using Farm.MultiHost.Tests;
using Farm.Node.Configuration;

namespace Farm.Controller.Tests.EndToEnd;

/// <summary>
/// An append job (API <c>append</c> + <c>folder</c>) on the embedded farm, whose tower's input bin
/// holds discs that already have a session: each node reads the disc's last session, masters the
/// folder as a new session importing it, writes it at the next writable address and reads it back;
/// a blank disc and a closed one are rejected saying why; xorriso reads the old and new files in the
/// last session of every disc in the output bin.
/// </summary>
public sealed class AppendJobTests : IDisposable
{
    private static readonly TimeSpan Patience = EmbeddedFarmFolder.Patience;
    private readonly EmbeddedFarmFolder _folder = new("farm-append-job");

    public void Dispose() => _folder.Dispose();

    private string Tree(string name, params (string Path, string Text)[] files)
    {
        foreach (var (path, text) in files)
        {
            var full = _folder.PathOf(Path.Combine(name, path));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return _folder.PathOf(name);
    }

    [Fact]
    public async Task An_append_job_adds_its_folder_as_a_session_to_appendable_discs_and_rejects_a_blank_and_a_closed_one()
    {
        var first = Tree("first", ("keep.txt", "kept\n"), ("docs/a.txt", "old\n"));
        var second = Tree("second", ("new.txt", "new\n"), ("docs/a.txt", "replaced\n"));

        // The input bin: disc 1 blank, disc 2 with a closed session and the disc closed, the others with a session and left open.
        var options = _folder.Options(drives: 2, media: "DVD+R", blanks: 8) with { PrepareInput = (disc, ct) => FirstSessionAsync(disc, first, ct) };
        string jobId;
        JobState job;
        await using (var farm = await EmbeddedFarmFolder.StartAsync(options))
        {
            using var response = await EmbeddedFarmFolder.PostJobAsync(farm, new { folder = second, append = true, copies = 2, media = "DVD+R" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            jobId = (await response.Content.ReadFromJsonAsync<Farm.Controller.Api.Reports.JobView>())!.Id;

            job = await farm.WaitForJobToFinishAsync(jobId, Patience);
        }

        Assert.Equal((JobStatus.Completed, 2, 2), (job.Status, job.Verified, job.Rejected));
        Assert.Contains(job.Failures, f => f.Message.Contains("is blank: an append job adds a session to a disc that already holds one", StringComparison.Ordinal));
        Assert.Contains(job.Failures, f => f.Message.Contains("left open (appendable)", StringComparison.Ordinal));

        await using var audit = JournalAudit.OfFarm(new JournalAddress(true, Path.Combine(_folder.DataDirectory, "farm.db")));
        var events = (await audit.ControllerAsync()).Select(e => e.Event).ToList();
        var output = events.OfType<CopyVerified>().Where(v => v.JobId == jobId).ToList();
        Assert.Equal(2, output.Count);
        foreach (var unloaded in output)
        {
            var media = Path.Combine(_folder.DataDirectory, "media", unloaded.DiscId + ".img");
            long start;
            using (var disc = SimulatedDisc.OpenFile(media))
            {
                var sessions = disc.Sessions.Where(s => s.Status == SessionState.Complete).Select(s => s.Number).ToList();
                Assert.Equal(2, sessions.Count);
                Assert.Equal(DiscStatus.Incomplete, disc.Status); // appendable: the last session closed, the disc left open
                start = disc.Tracks.Where(t => t.Session == sessions[^1]).Min(t => t.StartAddress);
            }

            var listing = await XorrisoAsync("-indev", media, "-load", "sbsector", start.ToString(System.Globalization.CultureInfo.InvariantCulture), "-find", "/", "-type", "f");
            Assert.Contains("'/keep.txt'", listing, StringComparison.Ordinal);
            Assert.Contains("'/new.txt'", listing, StringComparison.Ordinal);
            Assert.Contains("'/docs/a.txt'", listing, StringComparison.Ordinal);
            var replaced = await XorrisoAsync("-indev", media, "-load", "sbsector", start.ToString(System.Globalization.CultureInfo.InvariantCulture), "-osirrox", "on", "-extract", "/docs/a.txt", _folder.PathOf($"a-{unloaded.DiscId}.txt"));
            Assert.Equal("replaced\n", await File.ReadAllTextAsync(_folder.PathOf($"a-{unloaded.DiscId}.txt")));
            Assert.NotNull(replaced);
        }
    }

    [Fact]
    public void An_append_job_on_overwritable_media_without_its_folder_or_with_an_image_is_refused_saying_what_to_give()
    {
        var tree = Tree("t", ("x.txt", "x\n"));

        var rewritable = JobSubmission.Check(new SubmitJobBody { Append = true, Folder = tree, Media = "DVD+RW" });
        Assert.Contains("not DVD+RW, which is overwritten in place", string.Join(" ", rewritable.Errors["media"]), StringComparison.Ordinal);

        var missing = JobSubmission.Check(new SubmitJobBody { Append = true, Folder = _folder.PathOf("nowhere"), Media = "DVD+R" });
        Assert.Contains("is not a folder", string.Join(" ", missing.Errors["folder"]), StringComparison.Ordinal);

        var noAppend = JobSubmission.Check(new SubmitJobBody { Folder = tree, Media = "DVD+R" });
        Assert.Contains("give \"append\": true", string.Join(" ", noAppend.Errors["folder"]), StringComparison.Ordinal);

        var both = JobSubmission.Check(new SubmitJobBody { Append = true, Folder = tree, Image = "/srv/x.iso", Media = "DVD+R" });
        Assert.Contains("give folder, not image", string.Join(" ", both.Errors["append"]), StringComparison.Ordinal);

        var ok = JobSubmission.Check(new SubmitJobBody { Append = true, Folder = tree, Close = true, Media = "BD-R", Copies = 3 });
        Assert.Empty(ok.Errors);
        Assert.Equal((SourceKind.Append, tree, true), (ok.Job!.Source!.Kind, ok.Job.Source.Path, ok.Job.Source.CloseDisc));
        Assert.True(ok.Job.ImageBlocks > 0);
    }

    /// <summary>What the tower's input bin holds: disc 1 blank, disc 2 with <paramref name="tree"/> as a session and closed, the rest with it as a session left open.</summary>
    private static async Task FirstSessionAsync(SimulatedDisc disc, string tree, CancellationToken cancellationToken)
    {
        var number = int.Parse(disc.Id[^5..], System.Globalization.CultureInfo.InvariantCulture);
        if (number == 1)
        {
            return;
        }

        await using var drive = new SimulatedDrive(new SimulatedDriveOptions { Name = "sim:mastering-house", TimeScale = 100_000 });
        drive.Insert(disc);
        var plan = IsoImagePlan.Create(tree, IsoMasteringOptions.Default);
        await using (var source = plan.OpenSectorSource())
        {
            var writer = new DataWriter(new MmcDrive(drive, TimeProvider.System), new DataWriterOptions { Verify = VerifyMode.None, ForceMediaToBeClosed = number == 2 });
            await writer.WriteAsync(source, plan.Blocks, null, cancellationToken);
        }

        drive.Eject();
    }

    private static Task<string> XorrisoAsync(params string[] arguments) => Xorriso.RunAsync(Patience, arguments);
}
