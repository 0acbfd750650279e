namespace Farm.Device.Errors;

// IMAPI2 codes. Names, values and sentences are those of seed 001 (IDiscFormat2Data::Write,
// ../shared/seeds/001_aa9f1ad034092e7d.txt) and seed 002 (IWriteEngine2::WriteSection,
// 002_70bd881f2823165b.txt).
public static partial class ImapiErrors
{
    public static readonly ImapiError RequestCancelled = new(
        "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002, "The request was canceled.");

    public static readonly ImapiError RecorderRequired = new(
        "E_IMAPI_RECORDER_REQUIRED", 0xC0AA0003, "The request requires a current disc recorder to be selected.");

    public static readonly ImapiError SpeedAdjusted = new(
        "S_IMAPI_SPEEDADJUSTED", 0x00AA0004, "The requested write speed was not supported by the drive and the speed was adjusted.");

    public static readonly ImapiError RotationAdjusted = new(
        "S_IMAPI_ROTATIONADJUSTED", 0x00AA0005, "The requested rotation type was not supported by the drive and the rotation type was adjusted.");

    public static readonly ImapiError BothAdjusted = new(
        "S_IMAPI_BOTHADJUSTED", 0x00AA0006, "The requested write speed and rotation type were not supported by the drive and they were both adjusted.");

    public static readonly ImapiError RecorderNoSuchModePage = new(
        "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE", 0xC0AA0201, "The device reported that the requested mode page (and type) is not present.");

    public static readonly ImapiError RecorderMediaNoMedia = new(
        "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202, "There is no media in the device.");

    public static readonly ImapiError RecorderMediaIncompatible = new(
        "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203, "The media is not compatible or of unknown physical format.");

    public static readonly ImapiError RecorderMediaUpsideDown = new(
        "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", 0xC0AA0204, "The media is inserted upside down.");

    public static readonly ImapiError RecorderMediaBecomingReady = new(
        "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205, "The drive reported that it is in the process of becoming ready. Please try the request again later.");

    public static readonly ImapiError RecorderMediaFormatInProgress = new(
        "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206, "The media is currently being formatted. Please wait for the format to complete before attempting to use the media.");

    public static readonly ImapiError RecorderMediaBusy = new(
        "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207, "The drive reported that it is performing a long-running operation, such as finishing a write. The drive may be unusable for a long period of time.");

    public static readonly ImapiError RecorderInvalidModeParameters = new(
        "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208, "The drive reported that the combination of parameters provided in the mode page for a MODE SELECT command were not supported.");

    public static readonly ImapiError RecorderMediaWriteProtected = new(
        "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209, "The drive reported that the media is write protected.");

    public static readonly ImapiError RecorderCommandTimeout = new(
        "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020D, "The device failed to accept the command within the timeout period. This may be caused by the device having entered an inconsistent state, or the timeout value for the command may need to be increased.");

    public static readonly ImapiError RecorderDvdStructureNotPresent = new(
        "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT", 0xC0AA020E, "The DVD structure is not present. This may be caused by incompatible drive/medium used.");

    public static readonly ImapiError RecorderMediaSpeedMismatch = new(
        "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020F, "The media's speed is incompatible with the device. This may be caused by using higher or lower speed media than the range of speeds supported by the device.");

    public static readonly ImapiError RecorderLocked = new(
        "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210, "The device associated with this recorder during the last operation has been exclusively locked, causing this operation to failed.");

    public static readonly ImapiError RecorderInvalidResponseFromDevice = new(
        "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FF, "The device reported unexpected or invalid data for a command.");

    public static readonly ImapiError LossOfStreaming = new(
        "E_IMAPI_LOSS_OF_STREAMING", 0xC0AA0300, "The write failed because the drive did not receive data quickly enough to continue writing. Moving the source data to the local computer, reducing the write speed, or enabling a \"buffer underrun free\" setting may resolve this issue.");

    public static readonly ImapiError UnexpectedResponseFromDevice = new(
        "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301, "The write failed because the drive returned error information that could not be recovered from.");

    public static readonly ImapiError Df2DataWriteInProgress = new(
        "E_IMAPI_DF2DATA_WRITE_IN_PROGRESS", 0xC0AA0400, "There is currently a write operation in progress.");

    public static readonly ImapiError Df2DataStreamNotSupported = new(
        "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403, "The size of the provided IStream object is invalid. The size must be a multiple of the sector size, 2048.");

    // Seed 001 prints this value as "(HRESULT)0xC0AA0406".
    public static readonly ImapiError Df2DataMediaIsNotSupported = new(
        "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0406, "The current media type is unsupported.");

    public static readonly ImapiError Df2DataRecorderNotSupported = new(
        "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED", 0xC0AA0407, "This device does not support the operations required by this disc format.");
}
