using System.CommandLine;
using Farm.Node.Hosting;

namespace Farm.Node;

/// <summary>The <c>farm-node</c> command: a node host on its own.</summary>
public static class Program
{
    public static int Main(string[] args) => Parse(args).Invoke();

    /// <summary>
    /// The command line as farm-node reads it: joined to a store with a simulated tower
    /// (<c>--store ... --simulate N</c>), or described by a node.json (<c>--config</c>, <c>drives</c>).
    /// </summary>
    public static ParseResult Parse(string[] args) =>
        (NodeStoreCommand.Handles(args) ? NodeStoreCommand.Create() : NodeCommandLine.Create()).Parse(args);
}
