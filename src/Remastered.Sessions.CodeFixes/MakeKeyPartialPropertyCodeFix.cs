using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>RMS003: turns a key into a partial property with <c>get</c> and <c>set</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeKeyPartialPropertyCodeFix)), Shared]
    public sealed class MakeKeyPartialPropertyCodeFix : NodeCodeFix<PropertyDeclarationSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public MakeKeyPartialPropertyCodeFix()
            : base(DiagnosticDescriptors.KeyNotPartialProperty.Id, "Make the key a partial property with get and set")
        {
        }

        /// <inheritdoc />
        protected override Task<Document> FixAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax node, CancellationToken cancellationToken)
            => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node, SyntaxEdits.ToPartialProperty(node))));
    }
}
