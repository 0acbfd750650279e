using Xunit.Abstractions;

namespace Farm.Controller.Tests.Architecture;

/// <summary>
/// Dependencies between namespaces go one way: a namespace that uses another is never used back,
/// directly or through others, so each can be read (and changed) knowing only what is below it.
/// </summary>
public sealed class NamespaceCycleTests(ITestOutputHelper output)
{
    // Farm.Node and Farm.Controller build the programs farm-node and farm.
    private static readonly string[] Assemblies = ["Farm.Messages", "Farm.Device", "farm-node", "farm"];

    [Fact]
    public void The_farm_assemblies_have_no_namespace_cycle()
    {
        var graph = new NamespaceGraph(IsFarm);
        foreach (var assembly in Assemblies)
        {
            graph.AddAssembly(Path.Combine(AppContext.BaseDirectory, assembly + ".dll"));
        }

        var cycles = graph.Cycles();
        foreach (var cycle in cycles)
        {
            output.WriteLine($"cycle between {string.Join(", ", cycle)}:{Environment.NewLine}{graph.Describe(cycle)}");
        }

        Assert.True(graph.Edges.Count > 20, $"the graph read only {graph.Edges.Count} namespaces: the assemblies were not read");
        Assert.True(cycles.Count == 0, "namespace cycles (break each by moving the type the lower namespace needs down to it):" + Environment.NewLine
            + string.Join(Environment.NewLine, cycles.Select(c => $"{string.Join(" <-> ", c)}{Environment.NewLine}{graph.Describe(c)}")));
    }

    [Fact]
    public void A_cycle_made_only_inside_method_bodies_is_found()
    {
        var graph = new NamespaceGraph(space => space.StartsWith("Farm.Controller.Tests.Architecture.Sample", StringComparison.Ordinal));
        graph.AddAssembly(typeof(NamespaceCycleTests).Assembly.Location);

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["Farm.Controller.Tests.Architecture.SampleDown", "Farm.Controller.Tests.Architecture.SampleUp"], cycle);
        Assert.Contains("SampleUp.Upper uses Farm.Controller.Tests.Architecture.SampleDown.Lower", graph.Describe(cycle), StringComparison.Ordinal);
    }

    private static bool IsFarm(string space) =>
        (space == "Farm" || space.StartsWith("Farm.", StringComparison.Ordinal)) && !space.Contains(".Tests", StringComparison.Ordinal);
}
