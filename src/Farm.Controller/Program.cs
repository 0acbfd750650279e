namespace Farm.Controller;

/// <summary>The <c>farm</c> command: controller, CLI and embedded demo.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        _ = args;
        Console.Error.WriteLine("farm: not yet implemented");
        return 2;
    }
}
