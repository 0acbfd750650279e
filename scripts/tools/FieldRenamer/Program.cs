using FieldRenamer;
using Microsoft.Build.Locator;

// Usage: FieldRenamer SOLUTION [--dry-run]
// Exit codes: 0 done (or nothing to do), 1 bad arguments or the solution did not load,
// 2 some fields were left (a collision, or a field the tool could not find again); see stderr.
if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--dry-run"))
{
    Console.Error.WriteLine("usage: FieldRenamer SOLUTION.sln [--dry-run]");
    return 1;
}

var solutionPath = Path.GetFullPath(args[0]);
if (!File.Exists(solutionPath))
{
    Console.Error.WriteLine($"FieldRenamer: no solution at {solutionPath}");
    return 1;
}

// Before any Microsoft.Build type is touched: use the SDK's MSBuild, not one copied beside us.
MSBuildLocator.RegisterDefaults();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await FieldRenameRun.RunAsync(solutionPath, dryRun: args.Length == 2, cancel.Token);
