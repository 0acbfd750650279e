using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages;

namespace Farm.Device.Writing;

/// <summary>
/// An image file to burn, checked once: it exists, is readable and its size is a whole number of
/// 2048-byte blocks (IDiscFormat2Data::Write's rule, E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED).
/// </summary>
public sealed record ImageSource(string Path, long Length)
{
    public long Blocks => Length / MmcDrive.BlockSize;

    /// <summary>
    /// IBlockRangeList: on rewritable media only these sectors are written (the rest of the disc
    /// already holds them); null writes the whole image. Ignored on sequential media, which get the
    /// whole image as a new session (IDiscFormat2Data::Write remarks).
    /// </summary>
    public IReadOnlyList<BlockRange>? ChangedRanges { get; init; }

    /// <summary>
    /// The file's last write time when it was checked (UTC; default when unknown). With the path and
    /// the size it tells one image from a new one written at the same path: a node shares reads of
    /// an image only between burns of the very same file.
    /// </summary>
    public DateTime LastWriteUtc { get; init; }

    /// <summary>Opens the image for sequential reading with a large OS read-ahead.</summary>
    public FileStream OpenRead() => new(Path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.Read,
        BufferSize = 0,
        Options = FileOptions.SequentialScan | FileOptions.Asynchronous,
    });

    /// <summary>Checks an image path; the error says what is wrong and what to do.</summary>
    public static ImageSource Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            // FileInfo throws ArgumentException on it: a path from a request must get an answer, not a crash.
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.InvalidArgument,
                Disposition.None,
                $"image path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' holds a NUL character (\\0), which no file name can; check how the path was written"));
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.InvalidArgument,
                Disposition.None,
                Directory.Exists(path)
                    ? $"'{path}' is a folder, not an image file; master it into an ISO first or give an image file"
                    : $"image '{path}' does not exist; check the path"));
        }

        if (file.Length == 0 || file.Length % MmcDrive.BlockSize != 0)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.Df2DataStreamNotSupported,
                Disposition.None,
                $"image '{path}' is {file.Length:N0} bytes, which is not a positive multiple of {MmcDrive.BlockSize}; "
                + $"pad it to a whole number of sectors (e.g. the next multiple is {((file.Length / MmcDrive.BlockSize) + 1) * MmcDrive.BlockSize:N0} bytes)"));
        }

        try
        {
            using var probe = File.OpenRead(path);
        }
        catch (Exception denied) when (denied is UnauthorizedAccessException or IOException)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.InvalidArgument,
                Disposition.None,
                $"image '{path}' cannot be read: {denied.Message}"));
        }

        return new ImageSource(file.FullName, file.Length) { LastWriteUtc = file.LastWriteTimeUtc };
    }
}
