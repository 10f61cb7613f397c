using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>RMS011: makes a key's reference type nullable, since missing values read as null.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeKeyNullableCodeFix)), Shared]
    public sealed class MakeKeyNullableCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NonNullableReferenceKey.Id);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var property = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
            if (root is null || property is null || property.Type is NullableTypeSyntax)
            {
                return;
            }

            var type = property.Type;
            var nullable = SyntaxFactory.NullableType(type.WithoutTrivia()).WithTriviaFrom(type);
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make the key's type nullable",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, nullable))),
                    equivalenceKey: nameof(MakeKeyNullableCodeFix)),
                context.Diagnostics);
        }
    }
}
