using Farm.Controller.HotFolder;
using Farm.Messages;
using Farm.Testing;

namespace Farm.Controller.Tests.HotFolder;

/// <summary>A parsed request made into the farm's job: the API's checks, PTBurn's meaning of each key, and the job id derived from the file.</summary>
public sealed class HotFolderJobTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _folder = new("hot-job");

    public HotFolderJobTests() => File.WriteAllBytes(_folder.PathOf("a.iso"), new byte[2048 * 10]);

    public void Dispose() => _folder.Dispose();

    private HotFolderJob Prepare(string text) => HotFolderJob.Prepare(JobRequestFile.Parse("order", text), _folder.FullPath, "job-1", Now);

    private JobRequestFileException Refused(string text) => Assert.Throws<JobRequestFileException>(() => Prepare(text));

    [Fact]
    public void A_request_becomes_the_job_the_API_would_submit()
    {
        var job = Prepare("Copies=3\nImageFile=a.iso\nVerifyDisc=YES\nImportance=0\nDiscType=BDR").Job;

        Assert.Equal(
            ("job-1", _folder.PathOf("a.iso"), 10L, 3, VerifyMode.Full, "BD-R", 4, Now),
            (job.JobId, job.ImagePath, job.ImageBlocks, job.Copies, job.Verify, job.MediaType, job.Priority, job.SubmittedAt));
    }

    [Fact]
    public void Without_VerifyDisc_the_discs_are_not_verified_and_the_default_importance_is_priority_zero()
    {
        var job = Prepare("ImageFile=a.iso").Job;

        Assert.Equal((VerifyMode.None, 0, "DVD+R"), (job.Verify, job.Priority, job.MediaType));
    }

    [Fact]
    public void A_missing_image_is_refused_on_the_ImageFile_line_with_the_APIs_reason()
    {
        var refused = Refused("Copies=1\nImageFile=/nowhere/missing.iso");

        Assert.Equal(2, refused.Line);
        Assert.StartsWith("ImageFile: ", refused.Reason, StringComparison.Ordinal);
        Assert.Contains("missing.iso", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_that_is_not_one_folder_is_refused_with_its_line()
    {
        var missing = Refused("JobID=x\nData=/srv/no-such-folder-here");
        var two = Refused("JobID=x\nData=/tmp\nData=/var");

        Assert.Equal((2, 2), (missing.Line, two.Line));
        Assert.Contains("does not exist", missing.Reason, StringComparison.Ordinal);
        Assert.Contains("one folder per job", two.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_open_disc_is_refused_every_disc_is_closed()
    {
        var refused = Refused("ImageFile=a.iso\nCloseDisc=NO");

        Assert.Equal(2, refused.Line);
        Assert.Contains("CloseDisc=YES", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void What_the_farm_does_not_apply_is_noted_with_its_line()
    {
        var job = Prepare("ImageFile=a.iso\nBurnSpeed=8\nVolumeName=DISC\nRejectIfNotBlank=NO");

        Assert.Equal(3, job.Notes.Length);
        Assert.Contains(job.Notes, n => n.StartsWith("line 2: BurnSpeed=8 is not applied", StringComparison.Ordinal));
        Assert.Contains(job.Notes, n => n.StartsWith("line 3: VolumeName", StringComparison.Ordinal));
        Assert.Contains(job.Notes, n => n.StartsWith("line 4: RejectIfNotBlank=NO", StringComparison.Ordinal));
    }

    [Fact]
    public void The_label_file_is_the_template_and_merge_fields_fill_every_copy()
    {
        File.WriteAllText(_folder.PathOf("label.txt"), "{merge1} copy {copy}/{copies}\n");

        var label = Prepare("ImageFile=a.iso\nCopies=2\nPrintLabel=label.txt\nMergeField=Acme").Job.Label!;

        Assert.Equal("{merge1} copy {copy}/{copies}", label.Template);
        Assert.Equal(2, label.MergeFields!.Count);
        Assert.All(label.MergeFields, fields => Assert.Equal("Acme", fields["merge1"]));
    }

    [Fact]
    public void A_label_using_a_merge_field_not_given_is_refused_on_the_PrintLabel_line()
    {
        File.WriteAllText(_folder.PathOf("label.txt"), "{merge2}");

        var refused = Refused("ImageFile=a.iso\nPrintLabel=label.txt\nMergeField=Acme");

        Assert.Equal(2, refused.Line);
        Assert.Contains("{merge2}", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_picture_label_is_refused_the_farm_prints_text_templates()
    {
        File.WriteAllText(_folder.PathOf("label.std"), "SureThing");

        Assert.Contains("text label templates", Refused("ImageFile=a.iso\nPrintLabel=label.std").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DeleteFiles_names_the_jobs_own_subfolder_of_the_hot_folder()
    {
        Directory.CreateDirectory(_folder.PathOf("order"));
        File.WriteAllBytes(_folder.PathOf("order/b.iso"), new byte[2048]);

        Assert.Equal(_folder.PathOf("order"), Prepare("ImageFile=order/b.iso\nDeleteFiles=YES").DeleteAfter);
    }

    [Fact]
    public void DeleteFiles_of_an_image_outside_a_subfolder_is_refused()
    {
        var refused = Refused("ImageFile=a.iso\nDeleteFiles=YES");

        Assert.Equal(2, refused.Line);
        Assert.Contains("DeleteFiles=NO", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_job_id_is_the_same_for_the_same_file_and_new_when_it_is_written_again()
    {
        var written = new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

        var id = HotFolderJob.IdOf("order 17", written, "ImageFile=a.iso");

        Assert.Equal(id, HotFolderJob.IdOf("order 17", written, "ImageFile=a.iso"));
        Assert.NotEqual(id, HotFolderJob.IdOf("order 17", written.AddSeconds(1), "ImageFile=a.iso"));
        Assert.NotEqual(id, HotFolderJob.IdOf("order 17", written, "ImageFile=b.iso"));
        Assert.Matches("^20261202-120000-order_17-[0-9a-f]{8}$", id);
    }
}
