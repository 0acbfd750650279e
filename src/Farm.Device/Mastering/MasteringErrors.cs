using Farm.Device.Errors;
using Farm.Messages;

namespace Farm.Device.Mastering;

/// <summary>
/// The errors of mastering, as the project's <see cref="DeviceException"/>s. All are about the
/// input, so none has a disposition for a drive (<see cref="Disposition.None"/>): the operator
/// fixes the folder and masters it again. Each message names the file and says what to do.
/// </summary>
internal static class MasteringErrors
{
    /// <summary>ECMA-119 9.1.4: a single extent's Data Length is a 32-bit number.</summary>
    public const long MaxFileBytes = uint.MaxValue;

    public static DeviceException Input(string message) =>
        new(DeviceErrors.Of(ImapiErrors.InvalidArgument, Disposition.None, message));

    public static DeviceException Input(string message, Exception cause) =>
        new(DeviceErrors.Of(ImapiErrors.InvalidArgument, Disposition.None, message), cause);

    public static DeviceException BadName(IsoNode node, string why) =>
        new(DeviceErrors.Of(ImapiErrors.V1BadJolietName, Disposition.None, $"'{node.RelativePath}' cannot be mastered: {why}"));

    public static DeviceException TooLarge(string relativePath, long bytes, int level) => Input(
        $"file '{relativePath}' is {bytes:N0} bytes; an ISO 9660 file holds at most {MaxFileBytes:N0} bytes (4 GiB - 1, ECMA-119 9.1.4) "
        + $"at interchange level {level}; master at interchange level 3 (the default), which records it in several extents (ECMA-119 10.3), "
        + "or as UDF (--udf), or split the file into parts smaller than 4 GiB");

    public static DeviceException OverCapacity(long blocks, long capacity) =>
        new(DeviceErrors.Of(ImapiErrors.V1DiscFull, Disposition.None,
            $"the image needs {blocks:N0} blocks but the capacity is {capacity:N0} blocks; remove files from the folder or use larger media"));

    /// <summary>A file that is not what the plan saw: the image would be corrupt, so writing stops.</summary>
    public static DeviceException Changed(IsoFile file, string what) =>
        new(DeviceErrors.Of(ImapiErrors.V1FileAccess, Disposition.None,
            $"file '{file.RelativePath}' ({file.SourcePath}) {what} since the image was planned ({file.Size:N0} bytes); "
            + "the image is incomplete: master the folder again once nothing writes to it"));

    public static DeviceException Unreadable(IsoFile file, Exception cause) =>
        new(DeviceErrors.Of(ImapiErrors.V1FileAccess, Disposition.None,
            $"file '{file.RelativePath}' ({file.SourcePath}) cannot be read: {cause.Message}; the image is incomplete: fix the file and master the folder again"), cause);
}
