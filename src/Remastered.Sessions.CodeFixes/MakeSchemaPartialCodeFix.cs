using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>
    /// RMS002: adds <c>partial</c> to the declaration at the diagnostic (the schema, or a type it is nested in) and to
    /// every type declaration around it, so that one fix leaves no containing type to fix next.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSchemaPartialCodeFix)), Shared]
    public sealed class MakeSchemaPartialCodeFix : NodeCodeFix<TypeDeclarationSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public MakeSchemaPartialCodeFix()
            : base(DiagnosticDescriptors.SchemaNotPartial.Id, "Make the session schema partial")
        {
        }

        /// <inheritdoc />
        protected override Task<Document> FixAsync(Document document, SyntaxNode root, TypeDeclarationSyntax node, CancellationToken cancellationToken)
            => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNodes(
                node.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword)),
                static (_, rewritten) => SyntaxEdits.AddPartial(rewritten))));
    }
}
