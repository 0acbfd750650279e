using Farm.Device.Errors;

namespace Farm.Device.Tests.Errors;

/// <summary>
/// Every code's name and value, copied by hand from the seed pages (../shared/seeds), so a typo
/// in ImapiErrors cannot hide: the expectation is written a second time, from the source.
/// </summary>
public class ImapiErrorsSeedTests
{
    public static TheoryData<string, uint> SeedValues => new()
    {
        // Seed 001 (001_aa9f1ad034092e7d.txt, IDiscFormat2Data::Write).
        { "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020D },
        { "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FF },
        { "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", 0xC0AA0204 },
        { "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205 },
        { "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202 },
        { "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206 },
        { "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207 },
        { "E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300 },
        { "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203 },
        { "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT", 0xC0AA020E },
        { "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE", 0xC0AA0201 },
        { "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208 },
        { "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209 },
        { "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020F },
        { "HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE)", 0x80070006 }, // seed prints the Win32 code, 6
        { "HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", 0x80070037 }, // seed prints the Win32 code, 55
        { "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210 },
        { "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301 },
        { "E_IMAPI_RECORDER_REQUIRED", 0xC0AA0003 },
        { "S_IMAPI_ROTATIONADJUSTED", 0x00AA0005 },
        { "S_IMAPI_SPEEDADJUSTED", 0x00AA0004 },
        { "S_IMAPI_BOTHADJUSTED", 0x00AA0006 },
        { "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED", 0xC0AA0407 },
        { "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002 },
        { "E_IMAPI_DF2DATA_WRITE_IN_PROGRESS", 0xC0AA0400 },
        { "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403 },
        { "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0406 },
        { "E_INVALIDARG", 0x80070057 },
        { "E_POINTER", 0x80004003 },
        { "E_FAIL", 0x80004005 },
        { "E_OUTOFMEMORY", 0x8007000E },
        { "E_NOTIMPL", 0x80004001 },

        // Seed 004 (004_f725f3b374b0ef55.txt, IMAPI v1 result codes, printed as &H...).
        { "S_OK", 0x00000000 }, // listed in the seed's table without a value; 0 by definition
        { "IMAPI_S_PROPERTIESIGNORED", 0x80040200 },
        { "IMAPI_S_BUFFER_TO_SMALL", 0x80040201 },
        { "IMAPI_E_NOTOPENED", 0x8004020B },
        { "IMAPI_E_NOTINITIALIZED", 0x8004020C },
        { "IMAPI_E_USERABORT", 0x8004020D },
        { "IMAPI_E_GENERIC", 0x8004020E },
        { "IMAPI_E_MEDIUM_NOTPRESENT", 0x8004020F },
        { "IMAPI_E_MEDIUM_INVALIDTYPE", 0x80040210 },
        { "IMAPI_E_DEVICE_NOPROPERTIES", 0x80040211 },
        { "IMAPI_E_DEVICE_NOTACCESSIBLE", 0x80040212 },
        { "IMAPI_E_DEVICE_NOTPRESENT", 0x80040213 },
        { "IMAPI_E_DEVICE_INVALIDTYPE", 0x80040214 },
        { "IMAPI_E_INITIALIZE_WRITE", 0x80040215 },
        { "IMAPI_E_INITIALIZE_ENDWRITE", 0x80040216 },
        { "IMAPI_E_FILESYSTEM", 0x80040217 },
        { "IMAPI_E_FILEACCESS", 0x80040218 },
        { "IMAPI_E_DISCINFO", 0x80040219 },
        { "IMAPI_E_TRACKNOTOPEN", 0x8004021A },
        { "IMAPI_E_TRACKOPEN", 0x8004021B },
        { "IMAPI_E_DISCFULL", 0x8004021C },
        { "IMAPI_E_BADJOLIETNAME", 0x8004021D },
        { "IMAPI_E_INVALIDIMAGE", 0x8004021E },
        { "IMAPI_E_NOACTIVEFORMAT", 0x8004021F },
        { "IMAPI_E_NOACTIVERECORDER", 0x80040220 },
        { "IMAPI_E_WRONGFORMAT", 0x80040221 },
        { "IMAPI_E_ALREADYOPEN", 0x80040222 },
        { "IMAPI_E_WRONGDISC", 0x80040223 },
        { "IMAPI_E_FILEEXISTS", 0x80040224 },
        { "IMAPI_E_STASHINUSE", 0x80040225 },
        { "IMAPI_E_DEVICE_STILL_IN_USE", 0x80040226 },
        { "IMAPI_E_LOSS_OF_STREAMING", 0x80040227 },
        { "IMAPI_E_COMPRESSEDSTASH", 0x80040228 },
        { "IMAPI_E_ENCRYPTEDSTASH", 0x80040229 },
        { "IMAPI_E_NOTENOUGHDISKFORSTASH", 0x8004022A },
        { "IMAPI_E_REMOVABLESTASH", 0x8004022B },
        { "IMAPI_E_CANNOT_WRITE_TO_MEDIA", 0x8004022C },
        { "IMAPI_E_TRACK_NOT_BIG_ENOUGH", 0x8004022D },
        { "IMAPI_E_BOOTIMAGE_AND_NONBLANK_DISC", 0x8004022E },
    };

    [Theory]
    [MemberData(nameof(SeedValues))]
    public void Each_seed_code_is_in_the_catalogue_with_the_seed_value(string name, uint value)
    {
        var error = Assert.Single(ImapiErrors.All, e => e.Name == name);

        Assert.Equal(value, error.HResult);
        Assert.Same(error, ImapiErrors.ByHResult(value));
    }

    [Fact]
    public void The_catalogue_holds_exactly_the_seed_codes()
    {
        var expected = SeedValues.Select(row => (string)row[0]).Order(StringComparer.Ordinal);

        Assert.Equal(expected, ImapiErrors.All.Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void No_two_codes_share_a_value()
    {
        Assert.Equal(ImapiErrors.All.Length, ImapiErrors.All.Select(e => e.HResult).Distinct().Count());
    }

    [Fact]
    public void Every_code_has_a_description_sentence()
    {
        Assert.All(ImapiErrors.All, e => Assert.EndsWith(".", e.Description, StringComparison.Ordinal));
    }

    [Fact]
    public void Fields_carry_the_names_the_design_refers_to()
    {
        Assert.Equal(0xC0AA0202u, ImapiErrors.RecorderMediaNoMedia.HResult);
        Assert.Equal(0xC0AA0204u, ImapiErrors.RecorderMediaUpsideDown.HResult);
        Assert.Equal(0xC0AA0300u, ImapiErrors.LossOfStreaming.HResult);
        Assert.Equal(0xC0AA0403u, ImapiErrors.Df2DataStreamNotSupported.HResult);
        Assert.Equal("There is no media in the device.", ImapiErrors.RecorderMediaNoMedia.Description);
    }

    [Fact]
    public void An_unknown_value_has_no_code()
    {
        Assert.Null(ImapiErrors.ByHResult(0xDEADBEEF));
    }

    [Fact]
    public void Success_codes_are_told_apart_by_the_severity_bit()
    {
        Assert.True(ImapiErrors.SpeedAdjusted.IsSuccess);
        Assert.False(ImapiErrors.LossOfStreaming.IsSuccess);
    }
}
