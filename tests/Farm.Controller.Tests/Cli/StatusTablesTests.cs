using Farm.Controller.Cli;

namespace Farm.Controller.Tests.Cli;

/// <summary>The tables of farm status and farm drives, rendered as text from JSON shaped as the API contract says.</summary>
public sealed class StatusTablesTests
{
    private const string Drives = """
        [
          {"id":"T1-D2","node":"node-1","tower":"T1","product":"sim","state":"busy","phase":"Writing","job":"20261202-130000-abc123","copy":3,"attempt":2,
           "lba":1024,"totalBlocks":4096,"percent":25.0,"mbps":21.1,"bufferPercent":87,"fifoPercent":40,"lastError":null,"failures":0},
          {"id":"T1-D1","node":"node-1","tower":"T1","product":"sim","state":"maintenance","phase":"","job":null,"copy":0,"attempt":0,
           "lba":-1,"totalBlocks":0,"percent":0,"mbps":0,"bufferPercent":null,"fifoPercent":null,"lastError":"E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0206)","failures":3}
        ]
        """;

    private static string Render(Spectre.Console.Rendering.IRenderable table)
    {
        using var text = new StringWriter();
        StatusTables.Render(table, text, ansi: false);
        return text.ToString();
    }

    [Fact]
    public void A_busy_drive_shows_its_job_copy_progress_bar_speed_buffer_and_fifo()
    {
        var row = Render(StatusTables.Drives(StatusTables.ReadDrives(Drives))).Split('\n').Single(l => l.Contains("T1-D2", StringComparison.Ordinal));

        Assert.Contains("busy Writing", row, StringComparison.Ordinal);
        Assert.Contains("20261202-130000-abc123", row, StringComparison.Ordinal);
        Assert.Contains("3 (try 2)", row, StringComparison.Ordinal);
        Assert.Contains("[#####...............]  25.0% LBA 1,024/4,096", row, StringComparison.Ordinal);
        Assert.Contains("21.1", row, StringComparison.Ordinal);
        Assert.Contains("87%", row, StringComparison.Ordinal);
        Assert.Contains("40%", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Drives_are_listed_in_order_and_a_faulted_one_shows_its_last_error()
    {
        var text = Render(StatusTables.Drives(StatusTables.ReadDrives(Drives)));

        Assert.True(text.IndexOf("T1-D1", StringComparison.Ordinal) < text.IndexOf("T1-D2", StringComparison.Ordinal));
        var row = text.Split('\n').Single(l => l.Contains("T1-D1", StringComparison.Ordinal));
        Assert.Contains("maintenance", row, StringComparison.Ordinal);
        Assert.Contains("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0206)", row, StringComparison.Ordinal);
        Assert.DoesNotContain("[", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_show_verified_of_copies_as_a_bar_with_eta_and_why()
    {
        const string jobs = """
            [{"id":"j-1","status":"Running","label":"{job}","media":"DVD+R","copies":4,"verified":1,"rejected":2,"inFlight":3,"priority":0,"etaSeconds":125,"why":null},
             {"id":"j-2","status":"Failed","label":null,"media":"BD-R","copies":2,"verified":0,"rejected":5,"inFlight":0,"priority":0,"etaSeconds":null,"why":"too many rejects"}]
            """;

        var lines = Render(StatusTables.Jobs(StatusTables.ReadJobs(jobs))).Split('\n');

        var running = lines.Single(l => l.Contains("j-1", StringComparison.Ordinal));
        Assert.Contains("[#####...............]  25.0% 1/4", running, StringComparison.Ordinal);
        Assert.Contains("00:02:05", running, StringComparison.Ordinal);
        Assert.Contains("too many rejects", lines.Single(l => l.Contains("j-2", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_earlier_jobs_object_is_read_as_well_as_the_contracts_list()
    {
        var jobs = StatusTables.ReadJobs("""{"jobs":[{"id":"j-9","status":"Completed","copies":1,"verified":1}]}""");

        Assert.Equal(("j-9", 1), (Assert.Single(jobs).Id, jobs[0].Verified));
    }

    [Fact]
    public void An_empty_farm_says_so()
    {
        Assert.Contains("no drives have registered", Render(StatusTables.Drives([])), StringComparison.Ordinal);
        Assert.Contains("no jobs", Render(StatusTables.Jobs([])), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-5, "[....................]   0.0%")]
    [InlineData(100, "[####################] 100.0%")]
    [InlineData(double.NaN, "[....................]   0.0%")]
    public void The_progress_bar_is_clamped(double percent, string bar) => Assert.Equal(bar, StatusTables.Progress(percent, null, null));
}
