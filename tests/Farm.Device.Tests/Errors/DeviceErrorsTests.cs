using Farm.Device.Errors;
using Farm.Device.Sense;
using Farm.Device.Transports;
using Farm.Messages;

namespace Farm.Device.Tests.Errors;

public class DeviceErrorsTests
{
    [Fact]
    public void Garbage_sense_is_an_invalid_response_with_the_bytes_in_hex()
    {
        byte[] garbage = [0x12, 0x34, 0xAB];

        var error = DeviceErrors.FromSense(garbage, "WRITE(10)");

        Assert.Same(ImapiErrors.RecorderInvalidResponseFromDevice, error.Error);
        Assert.Equal(Disposition.FailDisc, error.Disposition);
        Assert.Null(error.Sense);
        Assert.StartsWith("WRITE(10): ", error.Message, StringComparison.Ordinal);
        Assert.Contains("12 34 AB (3 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_sense_is_an_invalid_response_that_says_what_is_missing()
    {
        var truncated = SenseBuilder.Fixed(SenseKey.NotReady, 0x3A, 0x00).AsSpan(0, 10);

        var error = DeviceErrors.FromSense(truncated, "TEST UNIT READY");

        Assert.Same(ImapiErrors.RecorderInvalidResponseFromDevice, error.Error);
        Assert.Contains("ASC", error.Message, StringComparison.Ordinal);
        Assert.Contains("(10 bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sense_in_no_row_is_an_unexpected_response_that_fails_the_disc_and_shows_the_sense()
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(SenseKey.IllegalRequest, 0x99, 0x01), "CLOSE TRACK/SESSION");

        Assert.Same(ImapiErrors.UnexpectedResponseFromDevice, error.Error);
        Assert.Equal(Disposition.FailDisc, error.Disposition);
        Assert.Contains("[sense 5/99/01]", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Sense);
    }

    [Fact]
    public void The_readable_form_has_the_imapi_name_the_value_the_command_and_the_sense()
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(SenseKey.NotReady, 0x3A, 0x00), "WRITE(10)");

        Assert.Equal(
            "E_IMAPI_RECORDER_MEDIA_NO_MEDIA (0xC0AA0202): WRITE(10): there is no media in the device [sense 2/3A/00]",
            error.ToString());
    }

    [Fact]
    public void Progress_and_information_appear_in_the_message()
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(SenseKey.NotReady, 0x04, 0x08, progress: 0x8000, information: 100), "SYNCHRONIZE CACHE");

        Assert.Contains("information 100", error.Message, StringComparison.Ordinal);
        Assert.Contains("progress 50", error.Message, StringComparison.Ordinal);
        Assert.Equal((ushort)0x8000, error.Sense?.Progress);
    }

    [Fact]
    public void A_deferred_error_is_marked_in_the_message()
    {
        var sense = SenseBuilder.Fixed(SenseKey.MediumError, 0x0C, 0x09);
        sense[0] = 0x71;

        var error = DeviceErrors.FromSense(sense, "SYNCHRONIZE CACHE");

        Assert.Same(ImapiErrors.LossOfStreaming, error.Error);
        Assert.Contains("deferred", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Becomes_a_failure_reason_with_the_same_name_value_disposition_and_message()
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(SenseKey.MediumError, 0x0C, 0x09), "WRITE(12)");

        var reason = error.ToFailureReason();

        Assert.Equal(new FailureReason("E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, Disposition.FailDisc, error.Message), reason);
    }

    [Theory]
    [InlineData(TransportFailure.Timeout, "E_IMAPI_RECORDER_COMMAND_TIMEOUT", Disposition.DriveToMaintenance)]
    [InlineData(TransportFailure.DeviceGone, "HRESULT_FROM_WIN32(ERROR_DEV_NOT_EXIST)", Disposition.DriveToMaintenance)]
    [InlineData(TransportFailure.AccessDenied, "E_IMAPI_RECORDER_LOCKED", Disposition.NeedsOperator)]
    [InlineData(TransportFailure.HostError, "E_FAIL", Disposition.DriveToMaintenance)]
    public void Transport_failures_map_to_their_codes(TransportFailure failure, string name, Disposition disposition)
    {
        var error = DeviceErrors.FromTransport(new ScsiTransportException(failure, "sg3: ioctl failed"), "WRITE(10)");

        Assert.Equal(name, error.Error.Name);
        Assert.Equal(disposition, error.Disposition);
        Assert.StartsWith("WRITE(10): ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("sg3: ioctl failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_response_shows_at_most_64_bytes_and_the_length()
    {
        var raw = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();

        var error = DeviceErrors.InvalidResponse("READ DISC INFORMATION", raw, "disc information length 0 is below the 32-byte minimum");

        Assert.Same(ImapiErrors.RecorderInvalidResponseFromDevice, error.Error);
        Assert.Contains("00 01 02", error.Message, StringComparison.Ordinal);
        Assert.Contains(" 3F (300 bytes, first 64 shown)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" 40 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Of_makes_an_error_without_sense()
    {
        var error = DeviceErrors.Of(ImapiErrors.Df2DataStreamNotSupported, Disposition.FailDisc, "image is 2049 bytes");

        Assert.Equal(new DeviceError(ImapiErrors.Df2DataStreamNotSupported, Disposition.FailDisc, "image is 2049 bytes", null), error);
    }

    [Fact]
    public void The_exception_carries_the_error_and_its_readable_form()
    {
        var error = DeviceErrors.FromSense(SenseBuilder.Fixed(SenseKey.DataProtect, 0x27, 0x00), "WRITE(10)");

        var exception = new DeviceException(error);

        Assert.Same(error, exception.Error);
        Assert.Equal(error.ToString(), exception.Message);
        Assert.Contains("E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED (0xC0AA0209)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_made_from_a_message_alone_is_an_unspecified_failure_of_the_disc()
    {
        var exception = new DeviceException("lost");

        Assert.Same(ImapiErrors.Fail, exception.Error.Error);
        Assert.Equal(Disposition.FailDisc, exception.Error.Disposition);
    }
}
