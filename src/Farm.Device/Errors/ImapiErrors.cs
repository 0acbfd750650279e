using System.Collections.Frozen;
using System.Collections.Immutable;

namespace Farm.Device.Errors;

/// <summary>
/// Every result code in the seed pages, one field each. The fields live in three files by
/// origin: ImapiErrors.Imapi2.cs (IMAPI2, seeds 001/002), ImapiErrors.Common.cs (COM and Win32
/// codes the same pages list) and ImapiErrors.Imapi1.cs (IMAPI v1, seed 004).
/// </summary>
public static partial class ImapiErrors
{
    /// <summary>Every code, IMAPI2 first, then the COM/Win32 ones, then IMAPI v1.</summary>
    public static ImmutableArray<ImapiError> All => Catalogue.All;

    /// <summary>The code with this HRESULT value, or null when the seeds define none.</summary>
    public static ImapiError? ByHResult(uint hresult) => Catalogue.ByValue.GetValueOrDefault(hresult);

    /// <summary>
    /// Built on first use, in a nested type so that its initialiser runs only after every field of
    /// <see cref="ImapiErrors"/> is set (the order of static initialisers across the files of a
    /// partial class is not defined).
    /// </summary>
    private static class Catalogue
    {
        internal static readonly ImmutableArray<ImapiError> All =
        [
            RequestCancelled,
            RecorderRequired,
            SpeedAdjusted,
            RotationAdjusted,
            BothAdjusted,
            RecorderNoSuchModePage,
            RecorderMediaNoMedia,
            RecorderMediaIncompatible,
            RecorderMediaUpsideDown,
            RecorderMediaBecomingReady,
            RecorderMediaFormatInProgress,
            RecorderMediaBusy,
            RecorderInvalidModeParameters,
            RecorderMediaWriteProtected,
            RecorderCommandTimeout,
            RecorderDvdStructureNotPresent,
            RecorderMediaSpeedMismatch,
            RecorderLocked,
            RecorderInvalidResponseFromDevice,
            LossOfStreaming,
            UnexpectedResponseFromDevice,
            Df2DataWriteInProgress,
            Df2DataStreamNotSupported,
            Df2DataMediaIsNotSupported,
            Df2DataRecorderNotSupported,
            Ok,
            InvalidArgument,
            InvalidPointer,
            Fail,
            OutOfMemory,
            NotImplemented,
            InvalidHandle,
            DeviceNotExist,
            V1PropertiesIgnored,
            V1BufferToSmall,
            V1NotOpened,
            V1NotInitialized,
            V1UserAbort,
            V1Generic,
            V1MediumNotPresent,
            V1MediumInvalidType,
            V1DeviceNoProperties,
            V1DeviceNotAccessible,
            V1DeviceNotPresent,
            V1DeviceInvalidType,
            V1InitializeWrite,
            V1InitializeEndWrite,
            V1FileSystem,
            V1FileAccess,
            V1DiscInfo,
            V1TrackNotOpen,
            V1TrackOpen,
            V1DiscFull,
            V1BadJolietName,
            V1InvalidImage,
            V1NoActiveFormat,
            V1NoActiveRecorder,
            V1WrongFormat,
            V1AlreadyOpen,
            V1WrongDisc,
            V1FileExists,
            V1StashInUse,
            V1DeviceStillInUse,
            V1LossOfStreaming,
            V1CompressedStash,
            V1EncryptedStash,
            V1NotEnoughDiskForStash,
            V1RemovableStash,
            V1CannotWriteToMedia,
            V1TrackNotBigEnough,
            V1BootImageAndNonBlankDisc,
        ];

        internal static readonly FrozenDictionary<uint, ImapiError> ByValue = All.ToFrozenDictionary(error => error.HResult);
    }
}
