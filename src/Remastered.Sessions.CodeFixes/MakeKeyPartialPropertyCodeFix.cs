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

        /// <summary>
        /// Not offered where the declaration already has the shape (the key was implemented by hand elsewhere: removing
        /// that part is the fix, which this one cannot decide for the user).
        /// </summary>
        /// <param name="node">The key's declaration.</param>
        protected override bool CanFix(PropertyDeclarationSyntax node) => !SyntaxEdits.ToPartialProperty(node).IsEquivalentTo(node, topLevel: false);

        /// <inheritdoc />
        protected override Task<Document> FixAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax node, CancellationToken cancellationToken)
            => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node, SyntaxEdits.ToPartialProperty(node))));
    }
}
