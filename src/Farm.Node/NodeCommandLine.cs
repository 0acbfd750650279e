namespace Farm.Node;

/// <summary>Placeholder until the node host lands; replaced in the walking skeleton.</summary>
internal static class NodeCommandLine
{
    public static int Run(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("farm-node: not yet implemented");
        return 2;
    }
}
