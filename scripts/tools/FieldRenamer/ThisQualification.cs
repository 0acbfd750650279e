using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FieldRenamer;

/// <summary>
/// Drops <c>this.</c> before a <c>_field</c> where the bare name binds to the same field (the
/// house style, dotnet_style_qualification_for_field = false). A constructor's <c>this.name = name</c>
/// was the reason for the qualifier; after the rename it is noise.
/// </summary>
internal static class ThisQualification
{
    public static async Task<(Solution Solution, int Removed)> RemoveBeforeUnderscoreFieldsAsync(Solution solution, CancellationToken cancellationToken)
    {
        var removed = 0;
        foreach (var projectId in solution.ProjectIds)
        {
            var project = solution.GetProject(projectId);
            if (project is null || project.Language != LanguageNames.CSharp)
            {
                continue;
            }

            foreach (var documentId in project.DocumentIds)
            {
                var document = solution.GetDocument(documentId);
                var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken);
                var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken);
                if (document is null || root is null || model is null)
                {
                    continue;
                }

                var redundant = root.DescendantNodes()
                    .OfType<MemberAccessExpressionSyntax>()
                    .Where(access => IsRedundant(access, model, cancellationToken))
                    .ToList();
                if (redundant.Count == 0)
                {
                    continue;
                }

                var newRoot = root.ReplaceNodes(redundant, (original, _) => original.Name.WithTriviaFrom(original));
                solution = solution.WithDocumentSyntaxRoot(documentId, newRoot);
                removed += redundant.Count;
            }
        }

        return (solution, removed);
    }

    private static bool IsRedundant(MemberAccessExpressionSyntax access, SemanticModel model, CancellationToken cancellationToken)
    {
        if (access.Expression is not ThisExpressionSyntax || access.Name is not IdentifierNameSyntax name || !FieldNames.IsUnderscoreCamel(name.Identifier.ValueText))
        {
            return false;
        }

        if (model.GetSymbolInfo(access, cancellationToken).Symbol is not IFieldSymbol field)
        {
            return false;
        }

        var bare = model.GetSpeculativeSymbolInfo(access.SpanStart, SyntaxFactory.IdentifierName(name.Identifier.ValueText), SpeculativeBindingOption.BindAsExpression);
        return SymbolEqualityComparer.Default.Equals(bare.Symbol, field);
    }
}
