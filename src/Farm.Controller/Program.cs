using System.CommandLine;
using Farm.Controller.Demo;

namespace Farm.Controller;

/// <summary>The <c>farm</c> command: controller, CLI and embedded demo.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("BurnFarm: burn jobs across every drive of a farm of robotic disc towers")
        {
            DemoCommand.Create(),
            Cli.BurnCommand.Create(),
        };
        return root.Parse(args).Invoke();
    }
}
