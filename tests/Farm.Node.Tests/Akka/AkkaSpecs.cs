namespace Farm.Node.Tests.Akka;

/// <summary>The collection of every spec that starts an ActorSystem: they run one at a time, and not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AkkaSpecs
{
    public const string Name = "akka";
}
