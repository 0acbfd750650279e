using System.CommandLine;
using Farm.Controller.Cli;
using Farm.Controller.Demo;

namespace Farm.Controller;

/// <summary>The <c>farm</c> command: controller, CLI and embedded demo.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // A value the parser rejects (--copies abc) is a usage error: exit 2, like every bad value.
        var parsed = CreateRoot().Parse(args);
        var exitCode = parsed.Invoke();
        return parsed.Errors.Count > 0 ? 2 : exitCode;
    }

    /// <summary>Every command of <c>farm</c> (also parsed by the tests that check scripts and the compose file against it).</summary>
    public static RootCommand CreateRoot()
    {
        return new RootCommand("BurnFarm: burn jobs across every drive of a farm of robotic disc towers")
        {
            DemoCommand.Create(),
            ServeCommand.Create(),
            SubmitCommand.Create(),
            JobsCommand.Create(),
            StatusCommands.Status(),
            StatusCommands.Drives(),
            ReportCommand.Create(),
            JobControlCommands.Hold(),
            JobControlCommands.Resume(),
            JobControlCommands.Cancel(),
            Cli.BurnCommand.Create(),
            BurnAudioCommand.Create(),
            MasterCommand.Create(),
        };
    }
}
