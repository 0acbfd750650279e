using System.CommandLine;

namespace Farm.Node;

/// <summary>The <c>farm-node</c> command: a node of the farm's cluster.</summary>
public static class Program
{
    public static int Main(string[] args) => Parse(args).Invoke();

    /// <summary>The command line as farm-node reads it (exposed for the compose-file check).</summary>
    public static ParseResult Parse(string[] args) => NodeCommandLine.Create().Parse(args);
}
