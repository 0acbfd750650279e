using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Farm.Controller.Api;

/// <summary>
/// <c>GET /api/images/{sha256}</c>: the bytes of an image a job of the farm burns, found by its
/// SHA-256, for nodes that cannot open the job's path (no shared storage). Range requests are
/// served (a node resumes a cut download with <c>Range: bytes=N-</c>), the ETag is the hash; an
/// unknown hash is a 404, a malformed one a 400. Any role may read it (a node's token is a viewer's).
/// </summary>
internal static class ImageEndpoints
{
    public static void Map(RouteGroupBuilder images) => images.MapGet("/{sha256}", GetAsync);

    /// <summary>Whether <paramref name="text"/> is a SHA-256 as the API writes it: 64 hex digits.</summary>
    public static bool IsSha256(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigit);

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetAsync(string sha256, ImageCatalog catalog, CancellationToken cancellationToken)
    {
        if (!IsSha256(sha256))
        {
            return ApiProblems.BadRequest($"'{sha256}' is not a SHA-256: give the image's 64 hex digits (a job's imageSha256)");
        }

        var hash = sha256.ToLowerInvariant();
        var path = await catalog.FindAsync(hash, cancellationToken).ConfigureAwait(false);
        if (path is null)
        {
            return TypedResults.Problem(
                $"no image of the farm's jobs has SHA-256 {hash} (or it changed, or it lies outside the image roots); submit a job of it first",
                statusCode: StatusCodes.Status404NotFound,
                title: "No such image");
        }

        return TypedResults.PhysicalFile(
            path,
            "application/octet-stream",
            lastModified: File.GetLastWriteTimeUtc(path),
            entityTag: new EntityTagHeaderValue($"\"{hash}\""),
            enableRangeProcessing: true);
    }
}
