using Farm.Messages.Protocol;
using Farm.Messages.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Farm.Controller.Api;

/// <summary><c>/api/nodes</c>: every node the controller knows, with what it read from disk per image (viewer).</summary>
internal static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder nodes) => nodes.MapGet("/", ListAsync);

    private static async Task<Ok<IReadOnlyList<NodeSummary>>> ListAsync(FarmControllerGateway farm, CancellationToken cancellationToken)
    {
        var state = await farm.FarmStateAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<NodeSummary>>([.. state.Nodes.Values.Select(NodeSummary.From)]);
    }
}

/// <summary>A node as <c>GET /api/nodes</c> shows it.</summary>
/// <param name="Lost">The cluster removed it (its drives are offline).</param>
/// <param name="LastSeen">When it last joined (the controller's clock).</param>
/// <param name="Images">Per image, what it read from disk since it started, as it last sent (live figures, not persisted).</param>
public sealed record NodeSummary(string Id, string? Address, bool Lost, DateTimeOffset LastSeen, IReadOnlyList<ImageReadSummary> Images)
{
    public static NodeSummary From(NodeView node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new NodeSummary(node.NodeId, node.Address, node.Lost, node.LastSeen, [.. node.ImageReads.Select(ImageReadSummary.From)]);
    }
}

/// <summary>What a node read from disk for one image.</summary>
/// <param name="DiskBytesRead">Bytes read from the image file: one <paramref name="ImageBytes"/> when all its drives shared one read.</param>
/// <param name="Drives">Drive burns served.</param>
/// <param name="DetachedDrives">Of those, burns that read (part of) the image on their own: late, or fallen behind.</param>
/// <param name="ActiveDrives">Drives reading it now.</param>
public sealed record ImageReadSummary(string Path, long ImageBytes, long DiskBytesRead, int Drives, int DetachedDrives, int ActiveDrives)
{
    public static ImageReadSummary From(ImageReadFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new ImageReadSummary(figures.Path, figures.ImageBytes, figures.DiskBytesRead, figures.Drives, figures.DetachedDrives, figures.ActiveDrives);
    }
}
