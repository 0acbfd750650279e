using System.Diagnostics;

namespace Farm.Controller.Tests.Architecture;

/// <summary>
/// The data folders a first run creates in the working copy (`farm demo`'s .farm-data/, a node's
/// .farm-node/) never show up as changes to commit: git itself is asked, as a contributor's `git
/// status` would ask it.
/// </summary>
public sealed class DataFoldersIgnoredTests
{
    [Theory]
    [InlineData(".farm-data/farm.db")]
    [InlineData(".farm-node/node.db")]
    [InlineData("src/Farm.Controller/.farm-data/media/T1-00001.img")]
    public void A_default_data_folder_is_ignored_by_git(string path)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "check-ignore", "--no-index", "-q", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var git = Process.Start(start)!;
        var errors = git.StandardError.ReadToEnd();
        git.WaitForExit();

        Assert.True(git.ExitCode == 0, $"git check-ignore {path}: exit {git.ExitCode} {errors}(0: ignored, 1: not ignored)");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BurnFarm.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no BurnFarm.sln above {AppContext.BaseDirectory}");
    }
}
