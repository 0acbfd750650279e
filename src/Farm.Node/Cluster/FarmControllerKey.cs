namespace Farm.Node.Cluster;

/// <summary>
/// The Akka.Hosting registry key of the farm controller singleton's proxy (every process of the
/// farm has one: nodes register through it, the HTTP API asks through it).
/// </summary>
public sealed class FarmControllerKey
{
    /// <summary>The singleton's name: the same on every process, or proxies never find it.</summary>
    public const string SingletonName = "farm-controller";

    /// <summary>The singleton's persistence id in the farm's database.</summary>
    public const string PersistenceId = "farm-controller";

    private FarmControllerKey()
    {
    }
}
