using Farm.Device.Errors;
using Farm.Messages;
using Farm.Node.Images;
using Microsoft.Extensions.Logging;

namespace Farm.Node.Recording;

internal sealed partial class BurnAttempt
{
    /// <summary>
    /// The job's image from the node's cache when the node cannot open it at its path (or is told to
    /// fetch every image), fetched from a controller first if need be and pinned until the lease is
    /// disposed; null when the path is to be read. Part of the assignment: the drive shows
    /// FetchingImage, and no blank is taken until the image is whole and its SHA-256 checked. A
    /// fetch that fails fails the attempt before a disc is used, so the copy goes back to the controller.
    /// </summary>
    private async Task<ImageLease?> FetchImageAsync(AttemptInfo attempt, CancellationToken cancellationToken)
    {
        if (Fetched is not { } store || attempt.ImageSha256 is not { } sha256 || !store.MustFetch(attempt.ImagePath))
        {
            return null;
        }

        MoveTo(RecorderState.FetchingImage);
        LogFetching(DriveId, attempt.JobId, attempt.Copy, attempt.ImagePath, sha256);
        try
        {
            var lease = await store.AcquireAsync(sha256, cancellationToken).ConfigureAwait(false);
            MoveTo(RecorderState.Loading);
            return lease;
        }
        catch (ImageFetchException failed)
        {
            throw new DeviceException(DeviceErrors.Of(
                ImapiErrors.InvalidArgument,
                Disposition.None,
                $"image '{attempt.ImagePath}' is not readable on this node and could not be fetched: {failed.Message}"));
        }
    }

    [LoggerMessage(EventId = 2045, Level = LogLevel.Information, Message = "Drive {DriveId}: job {JobId} copy {Copy}: image {ImagePath} is fetched from a controller by its SHA-256 {Sha256}")]
    private partial void LogFetching(string driveId, string jobId, int copy, string imagePath, string sha256);
}
