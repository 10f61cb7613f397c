using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>RMS002: adds <c>partial</c> to a schema class.</summary>
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
            => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node, SyntaxEdits.AddPartial(node))));
    }
}
