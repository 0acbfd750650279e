using Farm.Controller.HotFolder;

namespace Farm.Controller.Tests.HotFolder;

/// <summary>The PTBurn-style .JRQ parser: every key the farm reads, its defaults, and each way a file can be wrong.</summary>
public sealed class JobRequestFileTests
{
    private static JobRequestFile Parse(string text) => JobRequestFile.Parse("order-17", text);

    private static JobRequestFileException Refused(string text) => Assert.Throws<JobRequestFileException>(() => Parse(text));

    [Fact]
    public void Every_key_the_farm_reads_is_parsed_into_the_record()
    {
        var request = Parse("""
            ; a PTBurn job request
            JobID=Release 4.2
            ClientID=build-server
            Copies=25
            ImageFile=/srv/images/release.iso,Session1
            VolumeName=RELEASE42
            VerifyDisc=YES
            CloseDisc=YES
            RejectIfNotBlank=YES
            PrintLabel=/srv/labels/release.txt
            MergeField=Acme Corp
            MergeField=2026-12-02
            Importance=1
            BurnSpeed=8
            DeleteFiles=NO
            DiscType=DVDR
            """);

        Assert.Equal(
            ("Release 4.2", "build-server", 25, "/srv/images/release.iso", "RELEASE42", true, true, true),
            (request.JobId, request.ClientId, request.Copies, request.ImageFile, request.VolumeName, request.VerifyDisc, request.CloseDisc, request.RejectIfNotBlank));
        Assert.Equal(
            ("/srv/labels/release.txt", 1, 8, false, "DVD+R"),
            (request.PrintLabel, request.Importance, request.BurnSpeed, request.DeleteFiles, request.Media));
        Assert.Equal(["Acme Corp", "2026-12-02"], request.MergeFields.ToArray());
        Assert.Empty(request.UnknownKeys.ToArray());
        Assert.Equal(5, request.LineOf("ImageFile"));
    }

    [Theory]
    [InlineData("ImageFile=/srv/a\0.iso", "ImageFile")]
    [InlineData("Data=/srv/\0release", "Data")]
    [InlineData("ImageFile=/srv/a.iso\nPrintLabel=/srv/\0label.txt", "PrintLabel")]
    public void A_path_holding_a_NUL_character_is_refused_on_its_line_not_left_to_fail_later(string text, string key)
    {
        // The .JRQ fuzz campaign (RELIABILITY.md section 5): ImageFile=\0 escaped the watcher as an ArgumentException from Path.GetFullPath.
        var refused = Refused(text);

        Assert.Equal(text.Split('\n').Length, refused.Line);
        Assert.StartsWith($"{key} holds a character no path can hold (U+0000", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Absent_keys_take_PTBurns_defaults()
    {
        var request = Parse("ImageFile=/srv/a.iso");

        Assert.Equal(
            ("order-17", "Unknown", 1, false, true, false, 4, 0, false, null),
            (request.JobId, request.ClientId, request.Copies, request.VerifyDisc, request.CloseDisc, request.RejectIfNotBlank, request.Importance, request.BurnSpeed, request.DeleteFiles, (string?)request.Media));
    }

    [Fact]
    public void Keys_are_case_insensitive_and_Windows_line_ends_are_read()
    {
        var request = Parse("jobid=x\r\nCOPIES=3\r\nimagefile = /srv/a.iso\r\n");

        Assert.Equal(("x", 3, "/srv/a.iso"), (request.JobId, request.Copies, request.ImageFile));
    }

    [Fact]
    public void Data_lines_are_collected_in_order()
    {
        var request = Parse("Data=/srv/job/docs\nData=/srv/job/readme.txt,Session1");

        Assert.Equal(["/srv/job/docs", "/srv/job/readme.txt"], request.Data.ToArray());
    }

    [Fact]
    public void An_unknown_key_is_kept_with_its_line_and_the_job_still_parses()
    {
        var request = Parse("ImageFile=/srv/a.iso\nAudioFile=/srv/track1.wav\nNotifyClient=Message");

        Assert.Equal([(2, "AudioFile"), (3, "NotifyClient")], request.UnknownKeys.ToArray());
    }

    [Theory]
    [InlineData("ImageFile=/srv/a.iso\nCopies 10", 2, "not key=value")]
    [InlineData("ImageFile=/srv/a.iso\n=10", 2, "no key")]
    [InlineData("[Job]\nImageFile=/srv/a.iso", 1, "not key=value")]
    [InlineData("Copies=2\nImageFile=/srv/a.iso\nCopies=3", 3, "given twice (lines 1 and 3)")]
    public void A_malformed_line_is_refused_with_its_number(string text, int line, string reason)
    {
        var refused = Refused(text);

        Assert.Equal(line, refused.Line);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.StartsWith($"line {line}: ", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Copies=0", "Copies takes a whole number from 1 to 10000, not '0'")]
    [InlineData("Copies=ten", "Copies takes a whole number from 1 to 10000, not 'ten'")]
    [InlineData("Copies=-2", "Copies takes a whole number from 1 to 10000")]
    [InlineData("Copies=10001", "Copies takes a whole number from 1 to 10000")]
    [InlineData("Importance=401", "Importance takes a whole number from 0 to 400")]
    [InlineData("BurnSpeed=fast", "BurnSpeed takes a whole number from 0 to 100")]
    [InlineData("VerifyDisc=maybe", "VerifyDisc is YES or NO, not 'maybe'")]
    [InlineData("CloseDisc=1", "CloseDisc is YES or NO")]
    [InlineData("RejectIfNotBlank=", "RejectIfNotBlank is YES or NO")]
    [InlineData("DeleteFiles=true", "DeleteFiles is YES or NO")]
    [InlineData("DiscType=LaserDisc", "DiscType is CDR, DVDR, BDR or one of the farm's media")]
    [InlineData("JobID=", "JobID has no value")]
    [InlineData("ClientID=a-client-name-much-longer-than-thirty-two", "ClientID may have up to 32 characters")]
    [InlineData("PrintLabel=", "PrintLabel has no value")]
    public void A_bad_value_is_refused_on_its_line_saying_what_the_key_takes(string line, string reason)
    {
        var refused = Refused($"ImageFile=/srv/a.iso\n{line}");

        Assert.Equal(2, refused.Line);
        Assert.Contains(reason, refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_session_is_refused_the_farm_burns_single_session_discs()
    {
        var refused = Refused("ImageFile=/srv/a.iso,Session2");

        Assert.Equal(1, refused.Line);
        Assert.Contains("single-session", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_naming_nothing_to_burn_is_refused_as_a_whole()
    {
        var refused = Refused("JobID=empty\nCopies=2");

        Assert.Null(refused.Line);
        Assert.Contains("give ImageFile=PATH", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_and_data_together_are_refused()
    {
        var refused = Refused("ImageFile=/srv/a.iso\nData=/srv/docs");

        Assert.Equal(2, refused.Line);
        Assert.Contains("not both", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_fields_without_a_label_are_refused()
    {
        var refused = Refused("ImageFile=/srv/a.iso\nMergeField=Acme");

        Assert.Equal(2, refused.Line);
        Assert.Contains("PrintLabel", refused.Reason, StringComparison.Ordinal);
    }
}
