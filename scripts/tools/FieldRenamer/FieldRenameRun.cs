using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;
using Microsoft.CodeAnalysis.Rename;

namespace FieldRenamer;

/// <summary>Loads the solution, renames the fields the plan lists, drops redundant <c>this.</c>, saves.</summary>
internal static class FieldRenameRun
{
    public static async Task<int> RunAsync(string solutionPath, bool dryRun, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var workspace = MSBuildWorkspace.Create();
        var loadFailures = new List<string>();
        workspace.RegisterWorkspaceFailedHandler(e => loadFailures.Add(e.Diagnostic.Message));
        var solution = await workspace.OpenSolutionAsync(solutionPath, cancellationToken: cancellationToken);
        foreach (var failure in loadFailures.Where(f => f.Contains("Failure", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine($"FieldRenamer: load: {failure}");
        }

        if (!solution.Projects.Any())
        {
            Console.Error.WriteLine($"FieldRenamer: {solutionPath} loaded no project");
            return 1;
        }

        Console.WriteLine($"FieldRenamer: loaded {solution.Projects.Count()} projects in {clock.Elapsed.TotalSeconds:F0}s");

        var plan = await FieldPlan.BuildAsync(solution, cancellationToken);
        foreach (var collision in plan.Collisions)
        {
            Console.Error.WriteLine($"FieldRenamer: COLLISION {collision}");
        }

        Console.WriteLine($"FieldRenamer: {plan.Renames.Count} fields to rename, {plan.Collisions.Count} collisions");
        if (dryRun)
        {
            foreach (var rename in plan.Renames)
            {
                Console.WriteLine($"  {rename.Display} -> {rename.NewName}");
            }

            return plan.Collisions.Count == 0 ? 0 : 2;
        }

        var lost = new List<string>();
        var renamed = 0;
        var options = new SymbolRenameOptions(RenameOverloads: false, RenameInStrings: false, RenameInComments: false, RenameFile: false);
        foreach (var rename in plan.Renames)
        {
            var field = await rename.FindAsync(solution, cancellationToken);
            if (field is null)
            {
                lost.Add(rename.Display);
                continue;
            }

            solution = await Renamer.RenameSymbolAsync(solution, field, options, rename.NewName, cancellationToken);
            renamed++;
            if (renamed % 100 == 0)
            {
                Console.WriteLine($"FieldRenamer: {renamed} renamed ({clock.Elapsed.TotalSeconds:F0}s)");
            }
        }

        var unqualified = 0;
        (solution, unqualified) = await ThisQualification.RemoveBeforeUnderscoreFieldsAsync(solution, cancellationToken);

        if (!workspace.TryApplyChanges(solution))
        {
            Console.Error.WriteLine("FieldRenamer: the workspace refused the changes; nothing was written");
            return 1;
        }

        foreach (var field in lost)
        {
            Console.Error.WriteLine($"FieldRenamer: NOT FOUND again after earlier renames, rename by hand: {field}");
        }

        Console.WriteLine($"FieldRenamer: renamed {renamed} fields, removed {unqualified} redundant 'this.', in {clock.Elapsed.TotalSeconds:F0}s");
        return plan.Collisions.Count == 0 && lost.Count == 0 ? 0 : 2;
    }
}
