using Farm.Node.Hosting;

namespace Farm.Node;

/// <summary>The <c>farm-node</c> command: a node host on its own.</summary>
public static class Program
{
    public static int Main(string[] args) => NodeStoreCommand.Handles(args) ? NodeStoreCommand.Run(args) : NodeCommandLine.Run(args);
}
