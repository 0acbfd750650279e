using Farm.Device.Errors;
using Farm.Device.Sense;
using Farm.Messages;
using Xunit.Abstractions;

namespace Farm.Device.Tests.Errors;

/// <summary>
/// Sense -> IMAPI code and disposition, end to end: bytes built as a drive sends them, parsed,
/// looked up. One row per IMAPI code the table can produce, then the table's rules.
/// </summary>
public class SenseTableTests(ITestOutputHelper output)
{
    /// <summary>One sense per IMAPI code that sense can lead to (MMC-6 Annex F / SPC-4 Annex D codes).</summary>
    public static TheoryData<SenseKey, byte, byte, string, uint, Disposition> ReachableCodes => new()
    {
        { SenseKey.NoSense, 0x00, 0x00, "S_OK", 0x00000000, Disposition.None },
        { SenseKey.RecoveredError, 0x37, 0x00, "S_IMAPI_SPEEDADJUSTED", 0x00AA0004, Disposition.None },
        { SenseKey.NotReady, 0x04, 0x01, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205, Disposition.WaitAndRetry },
        { SenseKey.NotReady, 0x04, 0x04, "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206, Disposition.WaitAndRetry },
        { SenseKey.NotReady, 0x04, 0x08, "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207, Disposition.WaitAndRetry },
        { SenseKey.NotReady, 0x30, 0x00, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203, Disposition.NeedsOperator },
        { SenseKey.NotReady, 0x30, 0x01, "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", 0xC0AA0204, Disposition.NeedsOperator },
        { SenseKey.NotReady, 0x3A, 0x00, "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202, Disposition.NeedsOperator },
        { SenseKey.NotReady, 0x57, 0x00, "IMAPI_E_DISCINFO", 0x80040219, Disposition.FailDisc },
        { SenseKey.MediumError, 0x0C, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301, Disposition.FailDisc },
        { SenseKey.MediumError, 0x0C, 0x09, "E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc },
        { SenseKey.MediumError, 0x72, 0x00, "IMAPI_E_INITIALIZE_ENDWRITE", 0x80040216, Disposition.FailDisc },
        { SenseKey.MediumError, 0x73, 0x03, "IMAPI_E_INITIALIZE_WRITE", 0x80040215, Disposition.FailDisc },
        { SenseKey.HardwareError, 0x08, 0x01, "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020D, Disposition.DriveToMaintenance },
        { SenseKey.IllegalRequest, 0x20, 0x00, "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED", 0xC0AA0407, Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x26, 0x00, "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208, Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x30, 0x05, "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020F, Disposition.NeedsOperator },
        { SenseKey.IllegalRequest, 0x63, 0x00, "IMAPI_E_DISCFULL", 0x8004021C, Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x64, 0x00, "IMAPI_E_CANNOT_WRITE_TO_MEDIA", 0x8004022C, Disposition.FailDisc },
        { SenseKey.UnitAttention, 0x28, 0x00, "IMAPI_E_WRONGDISC", 0x80040223, Disposition.FailDisc },
        { SenseKey.DataProtect, 0x27, 0x00, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209, Disposition.NeedsOperator },
    };

    /// <summary>The cases the error model must cover (issue 3, DESIGN 5), with what each means.</summary>
    public static TheoryData<SenseKey, byte, byte, string, Disposition> RequiredCases => new()
    {
        { SenseKey.NotReady, 0x04, 0x00, "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", Disposition.WaitAndRetry },
        { SenseKey.NotReady, 0x04, 0x07, "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", Disposition.WaitAndRetry },
        { SenseKey.NotReady, 0x3A, 0x02, "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", Disposition.NeedsOperator },
        { SenseKey.NotReady, 0x30, 0x02, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", Disposition.NeedsOperator },
        { SenseKey.IllegalRequest, 0x30, 0x00, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", Disposition.NeedsOperator },
        { SenseKey.IllegalRequest, 0x24, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x21, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x21, 0x02, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x26, 0x02, "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x1A, 0x00, "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x6F, 0x03, "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", Disposition.FailDisc },
        { SenseKey.IllegalRequest, 0x2C, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.DataProtect, 0x27, 0x01, "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", Disposition.NeedsOperator },
        { SenseKey.MediumError, 0x0C, 0x0A, "E_IMAPI_LOSS_OF_STREAMING", Disposition.FailDisc },
        { SenseKey.MediumError, 0x0C, 0x07, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.MediumError, 0x11, 0x05, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.MediumError, 0x73, 0x02, "IMAPI_E_INITIALIZE_WRITE", Disposition.FailDisc },
        { SenseKey.MediumError, 0x31, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.HardwareError, 0x08, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.DriveToMaintenance },
        { SenseKey.HardwareError, 0x09, 0x01, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.DriveToMaintenance },
        { SenseKey.HardwareError, 0x44, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.DriveToMaintenance },
        { SenseKey.HardwareError, 0x3E, 0x03, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.DriveToMaintenance },
        { SenseKey.UnitAttention, 0x29, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.UnitAttention, 0x29, 0x02, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
        { SenseKey.UnitAttention, 0x2A, 0x01, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.RetryCommand },
        { SenseKey.UnitAttention, 0x5A, 0x01, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.RetryCommand },
        { SenseKey.AbortedCommand, 0x47, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.RetryCommand },
        { SenseKey.RecoveredError, 0x17, 0x01, "S_OK", Disposition.None },
        { SenseKey.BlankCheck, 0x00, 0x00, "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", Disposition.FailDisc },
    };

    [Theory]
    [MemberData(nameof(ReachableCodes))]
    public void Sense_leads_to_the_imapi_code_and_disposition(SenseKey key, byte asc, byte ascq, string name, uint hresult, Disposition disposition)
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(key, asc, ascq), "WRITE(10)");

        Assert.Equal(name, error.Error.Name);
        Assert.Equal(hresult, error.Error.HResult);
        Assert.Equal(disposition, error.Disposition);
    }

    [Fact]
    public void Every_code_the_table_can_produce_has_a_row_in_the_reachable_codes_theory()
    {
        var inTable = SenseTable.Rows.Select(row => row.Error.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        var inTheory = ReachableCodes.Select(row => (string)row[3]).Distinct().Order(StringComparer.Ordinal).ToList();

        output.WriteLine($"{inTheory.Count} of {ImapiErrors.All.Length} IMAPI codes are reachable from sense");
        Assert.Equal(inTable, inTheory);
    }

    [Theory]
    [MemberData(nameof(RequiredCases))]
    public void Table_maps_required_sense_to_error_and_disposition(SenseKey key, byte asc, byte ascq, string name, Disposition disposition)
    {
        var row = SenseTable.Lookup(key, asc, ascq);

        Assert.NotNull(row);
        Assert.Equal(name, row.Error.Name);
        Assert.Equal(disposition, row.Disposition);
    }

    [Fact]
    public void The_most_specific_row_wins()
    {
        // 3/0C/xx is a write error, 3/0C/09 the loss of streaming within it, 3/xx/xx any medium error.
        Assert.Same(ImapiErrors.LossOfStreaming, SenseTable.Lookup(SenseKey.MediumError, 0x0C, 0x09)?.Error);
        Assert.Equal("3/0C/xx", SenseTable.Lookup(SenseKey.MediumError, 0x0C, 0x03)?.Pattern);
        Assert.Equal("3/xx/xx", SenseTable.Lookup(SenseKey.MediumError, 0x15, 0x00)?.Pattern);
    }

    [Fact]
    public void A_combination_in_no_row_is_not_found()
    {
        Assert.Null(SenseTable.Lookup(SenseKey.IllegalRequest, 0x99, 0x01));
    }

    [Fact]
    public void No_two_rows_share_a_pattern()
    {
        Assert.Equal(SenseTable.Rows.Length, SenseTable.Rows.Select(row => row.Pattern).Distinct().Count());
    }

    [Fact]
    public void No_row_fixes_the_ascq_but_leaves_the_asc_open()
    {
        Assert.DoesNotContain(SenseTable.Rows, row => row.Asc is null && row.Ascq is not null);
    }

    [Fact]
    public void Every_row_cites_a_spec_and_says_what_happened()
    {
        Assert.All(SenseTable.Rows, row =>
        {
            Assert.Matches("^(SPC-4|MMC-6)", row.Spec);
            Assert.False(string.IsNullOrWhiteSpace(row.Text));
        });
    }

    [Fact]
    public void Every_row_uses_a_catalogued_code()
    {
        Assert.All(SenseTable.Rows, row => Assert.Contains(row.Error, ImapiErrors.All));
    }
}
