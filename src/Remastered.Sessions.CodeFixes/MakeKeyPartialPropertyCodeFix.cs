using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>RMS003: turns a key into a partial property with <c>get</c> and <c>set</c>.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeKeyPartialPropertyCodeFix)), Shared]
    public sealed class MakeKeyPartialPropertyCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.KeyNotPartialProperty.Id);

        /// <inheritdoc />
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var property = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault();
            if (root is null || property is null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Make the key a partial property with get and set",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(property, SyntaxEdits.ToPartialProperty(property)))),
                    equivalenceKey: nameof(MakeKeyPartialPropertyCodeFix)),
                context.Diagnostics);
        }
    }
}
