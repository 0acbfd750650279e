namespace Farm.Device.Errors;

// IMAPI v1 result codes: names, values (printed as &H...) and sentences of seed 004
// (../shared/seeds/004_f725f3b374b0ef55.txt). Field names carry a V1 prefix because IMAPI2 reuses
// some of the words (IMAPI_E_LOSS_OF_STREAMING vs E_IMAPI_LOSS_OF_STREAMING).
//
// Two values are kept exactly as the seed prints them although they look wrong: the seed gives the
// two IMAPI_S_* success codes the severity bit (&H80040200, &H80040201), where a success code
// would be 0x0004020x. The seed is this project's reference, so its values stand.
public static partial class ImapiErrors
{
    public static readonly ImapiError V1PropertiesIgnored = new(
        "IMAPI_S_PROPERTIESIGNORED", 0x80040200, "An unknown property was passed in a property set and it was ignored.");

    public static readonly ImapiError V1BufferToSmall = new(
        "IMAPI_S_BUFFER_TO_SMALL", 0x80040201, "The output buffer is too small.");

    public static readonly ImapiError V1NotOpened = new(
        "IMAPI_E_NOTOPENED", 0x8004020B, "A call to IDiscMaster::Open has not been made.");

    public static readonly ImapiError V1NotInitialized = new(
        "IMAPI_E_NOTINITIALIZED", 0x8004020C, "A recorder object has not been initialized.");

    public static readonly ImapiError V1UserAbort = new(
        "IMAPI_E_USERABORT", 0x8004020D, "The user canceled the operation.");

    public static readonly ImapiError V1Generic = new(
        "IMAPI_E_GENERIC", 0x8004020E, "A generic error occurred.");

    public static readonly ImapiError V1MediumNotPresent = new(
        "IMAPI_E_MEDIUM_NOTPRESENT", 0x8004020F, "There is no disc in the device.");

    public static readonly ImapiError V1MediumInvalidType = new(
        "IMAPI_E_MEDIUM_INVALIDTYPE", 0x80040210, "The media is not a type that can be used.");

    public static readonly ImapiError V1DeviceNoProperties = new(
        "IMAPI_E_DEVICE_NOPROPERTIES", 0x80040211, "The recorder does not support any properties.");

    public static readonly ImapiError V1DeviceNotAccessible = new(
        "IMAPI_E_DEVICE_NOTACCESSIBLE", 0x80040212, "The device cannot be used or is already in use.");

    public static readonly ImapiError V1DeviceNotPresent = new(
        "IMAPI_E_DEVICE_NOTPRESENT", 0x80040213, "The device is not present or has been removed.");

    public static readonly ImapiError V1DeviceInvalidType = new(
        "IMAPI_E_DEVICE_INVALIDTYPE", 0x80040214, "The recorder does not support an operation.");

    public static readonly ImapiError V1InitializeWrite = new(
        "IMAPI_E_INITIALIZE_WRITE", 0x80040215, "The drive interface could not be initialized for writing.");

    public static readonly ImapiError V1InitializeEndWrite = new(
        "IMAPI_E_INITIALIZE_ENDWRITE", 0x80040216, "The drive interface could not be initialized for closing.");

    public static readonly ImapiError V1FileSystem = new(
        "IMAPI_E_FILESYSTEM", 0x80040217, "An error occurred while enabling/disabling file system access or during auto-insertion detection.");

    public static readonly ImapiError V1FileAccess = new(
        "IMAPI_E_FILEACCESS", 0x80040218, "An error occurred while writing the image file.");

    public static readonly ImapiError V1DiscInfo = new(
        "IMAPI_E_DISCINFO", 0x80040219, "An error occurred while trying to read disc data from the device.");

    public static readonly ImapiError V1TrackNotOpen = new(
        "IMAPI_E_TRACKNOTOPEN", 0x8004021A, "An audio track is not open for writing.");

    public static readonly ImapiError V1TrackOpen = new(
        "IMAPI_E_TRACKOPEN", 0x8004021B, "An open audio track is already being staged.");

    public static readonly ImapiError V1DiscFull = new(
        "IMAPI_E_DISCFULL", 0x8004021C, "The disc cannot hold any more data.");

    public static readonly ImapiError V1BadJolietName = new(
        "IMAPI_E_BADJOLIETNAME", 0x8004021D, "The application tried to add a badly named element to a disc.");

    public static readonly ImapiError V1InvalidImage = new(
        "IMAPI_E_INVALIDIMAGE", 0x8004021E, "The staged image is not suitable for a burn. It has been corrupted or cleared and has no usable content.");

    public static readonly ImapiError V1NoActiveFormat = new(
        "IMAPI_E_NOACTIVEFORMAT", 0x8004021F, "An active format master has not been selected using IDiscMaster::SetActiveDiscMasterFormat.");

    public static readonly ImapiError V1NoActiveRecorder = new(
        "IMAPI_E_NOACTIVERECORDER", 0x80040220, "An active disc recorder has not been selected using IDiscMaster::SetActiveDiscRecorder.");

    public static readonly ImapiError V1WrongFormat = new(
        "IMAPI_E_WRONGFORMAT", 0x80040221, "A call to IJolietDiscMaster has been made when IRedbookDiscMaster is the active format, or vice versa. To use a different format, change the format and clear the image file contents.");

    public static readonly ImapiError V1AlreadyOpen = new(
        "IMAPI_E_ALREADYOPEN", 0x80040222, "A call to IDiscMaster::Open has already been made against this object by your application.");

    public static readonly ImapiError V1WrongDisc = new(
        "IMAPI_E_WRONGDISC", 0x80040223, "The IMAPI multi-session disc has been removed from the active recorder.");

    public static readonly ImapiError V1FileExists = new(
        "IMAPI_E_FILEEXISTS", 0x80040224, "The file to add is already in the image file and the overwrite flag was not set.");

    public static readonly ImapiError V1StashInUse = new(
        "IMAPI_E_STASHINUSE", 0x80040225, "Another application is already using the IMAPI stash file required to stage a disc image. Try again later.");

    public static readonly ImapiError V1DeviceStillInUse = new(
        "IMAPI_E_DEVICE_STILL_IN_USE", 0x80040226, "Another application is already using this device, so IMAPI cannot access the device.");

    public static readonly ImapiError V1LossOfStreaming = new(
        "IMAPI_E_LOSS_OF_STREAMING", 0x80040227, "Content streaming was lost; a buffer under-run may have occurred.");

    public static readonly ImapiError V1CompressedStash = new(
        "IMAPI_E_COMPRESSEDSTASH", 0x80040228, "The stash is located on a compressed volume and cannot be read.");

    public static readonly ImapiError V1EncryptedStash = new(
        "IMAPI_E_ENCRYPTEDSTASH", 0x80040229, "The stash is located on an encrypted volume and cannot be read.");

    public static readonly ImapiError V1NotEnoughDiskForStash = new(
        "IMAPI_E_NOTENOUGHDISKFORSTASH", 0x8004022A, "There is not enough free space to create the stash file on the specified volume.");

    public static readonly ImapiError V1RemovableStash = new(
        "IMAPI_E_REMOVABLESTASH", 0x8004022B, "The selected stash location is on a removable media.");

    public static readonly ImapiError V1CannotWriteToMedia = new(
        "IMAPI_E_CANNOT_WRITE_TO_MEDIA", 0x8004022C, "The media cannot be written to.");

    public static readonly ImapiError V1TrackNotBigEnough = new(
        "IMAPI_E_TRACK_NOT_BIG_ENOUGH", 0x8004022D, "The track is not big enough.");

    // Seed 004 lists this constant and its value but gives it no sentence; this one is ours,
    // read from the name.
    public static readonly ImapiError V1BootImageAndNonBlankDisc = new(
        "IMAPI_E_BOOTIMAGE_AND_NONBLANK_DISC", 0x8004022E, "A boot image can only be written to a blank disc.");
}
