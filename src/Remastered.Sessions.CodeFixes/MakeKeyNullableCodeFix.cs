using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>RMS011: makes a key's reference type nullable, since missing values read as null.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeKeyNullableCodeFix)), Shared]
    public sealed class MakeKeyNullableCodeFix : NodeCodeFix<PropertyDeclarationSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public MakeKeyNullableCodeFix()
            : base(DiagnosticDescriptors.NonNullableReferenceKey.Id, "Make the key's type nullable")
        {
        }

        /// <inheritdoc />
        protected override bool CanFix(PropertyDeclarationSyntax node) => node.Type is not NullableTypeSyntax;

        /// <inheritdoc />
        protected override Task<Document> FixAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax node, CancellationToken cancellationToken)
        {
            var nullable = SyntaxFactory.NullableType(node.Type.WithoutTrivia()).WithTriviaFrom(node.Type);
            return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(node.Type, nullable)));
        }
    }
}
