using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldRenamer;

/// <summary>One field to rename, found again by its documentation id after earlier renames.</summary>
internal sealed record FieldRename(ProjectId Project, string DeclarationId, string Display, string NewName)
{
    public async Task<IFieldSymbol?> FindAsync(Solution solution, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(Project);
        var compilation = project is null ? null : await project.GetCompilationAsync(cancellationToken);
        return compilation is null
            ? null
            : DocumentationCommentId.GetFirstSymbolForDeclarationId(DeclarationId, compilation) as IFieldSymbol;
    }
}

/// <summary>
/// The fields the .editorconfig rule private_fields_are_underscore_camel covers and that do not
/// follow it yet. The symbol groups mirror .editorconfig: private fields, except constants
/// (constants_are_pascal) and private static readonly fields (static_readonly_fields_are_pascal).
/// </summary>
internal sealed class FieldPlan
{
    private FieldPlan(IReadOnlyList<FieldRename> renames, IReadOnlyList<string> collisions)
    {
        Renames = renames;
        Collisions = collisions;
    }

    public IReadOnlyList<FieldRename> Renames { get; }

    /// <summary>Fields left as they are because the new name is taken; each line says by what.</summary>
    public IReadOnlyList<string> Collisions { get; }

    public static async Task<FieldPlan> BuildAsync(Solution solution, CancellationToken cancellationToken)
    {
        var renames = new List<FieldRename>();
        var collisions = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // New names taken per containing type by an earlier field of this run.
        var planned = new HashSet<(string Type, string Name)>();
        foreach (var project in solution.Projects.Where(p => p.Language == LanguageNames.CSharp))
        {
            var compilation = await project.GetCompilationAsync(cancellationToken);
            if (compilation is null)
            {
                continue;
            }

            foreach (var document in project.Documents)
            {
                var root = await document.GetSyntaxRootAsync(cancellationToken);
                if (root is null)
                {
                    continue;
                }

                var model = compilation.GetSemanticModel(root.SyntaxTree);
                foreach (var declarator in root.DescendantNodes().OfType<VariableDeclaratorSyntax>().Where(v => v.Parent?.Parent is FieldDeclarationSyntax))
                {
                    if (model.GetDeclaredSymbol(declarator, cancellationToken) is not IFieldSymbol field || !IsCovered(field) || FieldNames.IsUnderscoreCamel(field.Name))
                    {
                        continue;
                    }

                    // A file linked into two projects (Compile Include) declares the field once:
                    // Renamer changes every linked copy of the document.
                    var id = DocumentationCommentId.CreateDeclarationId(field);
                    if (id is null || !seen.Add($"{document.FilePath}:{declarator.SpanStart}"))
                    {
                        continue;
                    }

                    var display = $"{field.ContainingType.ToDisplayString()}.{field.Name} ({Path.GetFileName(document.FilePath)})";
                    var newName = FieldNames.ToUnderscoreCamel(field.Name);
                    var typeKey = field.ContainingType.ToDisplayString();
                    if (newName is null)
                    {
                        collisions.Add($"{display}: no _camelCase name can be made from it");
                    }
                    else if (field.ContainingType.GetMembers(newName).Any(m => !SymbolEqualityComparer.Default.Equals(m, field)))
                    {
                        collisions.Add($"{display}: {field.ContainingType.Name} already has a member named {newName}");
                    }
                    else if (!planned.Add((typeKey, newName)))
                    {
                        collisions.Add($"{display}: another field of {field.ContainingType.Name} is renamed to {newName} too");
                    }
                    else
                    {
                        renames.Add(new FieldRename(project.Id, id, display, newName));
                    }
                }
            }
        }

        return new FieldPlan(renames, collisions);
    }

    /// <summary>What symbols group private_fields covers once the PascalCase rules have taken theirs.</summary>
    private static bool IsCovered(IFieldSymbol field) =>
        field.DeclaredAccessibility == Accessibility.Private
        && !field.IsImplicitlyDeclared
        && !field.IsConst
        && !(field.IsStatic && field.IsReadOnly);
}
