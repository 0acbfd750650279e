using Akka.Actor;
using Farm.Device.Towers;

namespace Farm.Node.Towers;

/// <summary>What a <see cref="TowerActor"/> takes and answers; local to the node, never serialized.</summary>
public static class TowerProtocol
{
    /// <summary>Put a blank of this media type into the drive; answered with <see cref="BlankLoaded"/> or <see cref="ArmFailed"/>.</summary>
    public sealed record LoadBlank(string DriveId, string MediaType);

    public sealed record BlankLoaded(string DiscId);

    /// <summary>
    /// Take the drive's disc to a bin; <paramref name="DiscId"/> as the drive last knew it; a
    /// <paramref name="Label"/> is printed on the way to the output bin. Answered with
    /// <see cref="Unloaded"/> or <see cref="ArmFailed"/>.
    /// </summary>
    public sealed record Unload(string DriveId, string DiscId, string Bin, string? Reason, string? Label);

    public sealed record Unloaded(string DiscId, string Bin);

    /// <summary>The robot could not do it (an alert is raised when a person must act).</summary>
    public sealed record ArmFailed(TowerFault Fault, string Message);

    /// <summary>An operator dealt with <paramref name="Alert"/>; answered with <see cref="AlertAnswer"/>.</summary>
    public sealed record ClearAlert(string Alert, string By);

    /// <summary>An operator refilled the input bin (<paramref name="InputBlanks"/> blanks in it now); answered with <see cref="AlertAnswer"/> about its input-empty alert.</summary>
    public sealed record Refilled(int InputBlanks, string By);

    /// <summary>Null when the alert is cleared (or was not standing), else why it still stands.</summary>
    public sealed record AlertAnswer(string? StillStands);

    /// <summary>Answered with <see cref="Alerts"/>.</summary>
    public sealed record GetAlerts
    {
        public static readonly GetAlerts Instance = new();
    }

    /// <summary>The alerts standing (alert -> message).</summary>
    public sealed record Alerts(string TowerId, IReadOnlyDictionary<string, string> Standing);
}

/// <summary>A drive's tower moves, as awaitable calls (a burn worker's view of the arm).</summary>
internal static class TowerClient
{
    /// <summary>Arm moves queue behind each other's (a label takes 40 s): generous, but never for ever.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);

    public static async Task<string> LoadBlankAsync(IActorRef tower, string driveId, string mediaType, CancellationToken cancellationToken)
    {
        var answer = await tower.Ask<object>(new TowerProtocol.LoadBlank(driveId, mediaType), Patience, cancellationToken).ConfigureAwait(false);
        return answer switch
        {
            TowerProtocol.BlankLoaded loaded => loaded.DiscId,
            TowerProtocol.ArmFailed failed => throw new TowerException(failed.Fault, failed.Message),
            _ => throw new InvalidOperationException($"the tower answered a load with {answer}"),
        };
    }

    /// <summary>Completes once the tower has recovered (it answers only then).</summary>
    public static Task ReadyAsync(IActorRef tower, CancellationToken cancellationToken) =>
        tower.Ask<TowerProtocol.Alerts>(TowerProtocol.GetAlerts.Instance, Patience, cancellationToken);

    public static async Task UnloadAsync(IActorRef tower, string driveId, string discId, string bin, string? reason, string? label, CancellationToken cancellationToken)
    {
        var answer = await tower.Ask<object>(new TowerProtocol.Unload(driveId, discId, bin, reason, label), Patience, cancellationToken).ConfigureAwait(false);
        if (answer is TowerProtocol.ArmFailed failed)
        {
            throw new TowerException(failed.Fault, failed.Message);
        }

        if (answer is not TowerProtocol.Unloaded)
        {
            throw new InvalidOperationException($"the tower answered an unload with {answer}");
        }
    }
}
