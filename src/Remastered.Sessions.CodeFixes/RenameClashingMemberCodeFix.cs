using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Rename;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Parsing;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>
    /// RMS013: renames a member whose name the generator also uses, everywhere it is referenced. A key property keeps its
    /// session key: when the key came from the property name, the old key is written into the attribute first, so
    /// sessions already stored still read.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameClashingMemberCodeFix)), Shared]
    public sealed class RenameClashingMemberCodeFix : CodeFixProvider
    {
        /// <inheritdoc />
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.GeneratedMemberClash.Id);

        /// <inheritdoc />
        public override FixAllProvider? GetFixAllProvider() => null;

        /// <inheritdoc />
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            // A type of the user's named like a generated nested type, or an inherited member: nothing here to rename.
            if (context.Diagnostics.Any(d => d.Properties.ContainsKey(ClashKinds.Key)))
            {
                return;
            }

            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var node = root?.FindToken(context.Span.Start).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is MemberDeclarationSyntax);
            if (root is null || node is null)
            {
                return;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Rename the member so the generated one keeps its name", cancellationToken => RenameAsync(context.Document, root, node, cancellationToken), equivalenceKey: nameof(RenameClashingMemberCodeFix)),
                context.Diagnostics);
        }

        private static async Task<Solution> RenameAsync(Document document, SyntaxNode root, SyntaxNode node, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var symbol = model?.GetDeclaredSymbol(node, cancellationToken);
            if (model is null || symbol is null)
            {
                return document.Project.Solution;
            }

            var known = KnownTypes.Get(model.Compilation);
            if (symbol is IPropertySymbol property && SchemaParser.TryGetKeyAttribute(property, known, out var keyAttribute, out _)
                && keyAttribute.ConstructorArguments.FirstOrDefault().Value is not string
                && keyAttribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax attribute
                && attribute.SyntaxTree == root.SyntaxTree)
            {
                // Keep the stored key: "store" stays "store" after Store becomes StoreValue.
                // A marker of this fix alone: a member renamed by an earlier fix in the same session may still carry one.
                var marker = new SyntaxAnnotation(nameof(RenameClashingMemberCodeFix));
                var argument = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(SchemaParser.KeyName(property, keyAttribute))));
                var named = attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(argument)));
                root = root.ReplaceNodes(new SyntaxNode[] { attribute, node }, (original, rewritten) => original == attribute ? named : rewritten.WithAdditionalAnnotations(marker));
                document = document.WithSyntaxRoot(root);
                model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                var newRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                symbol = model!.GetDeclaredSymbol(newRoot!.GetAnnotatedNodes(marker).First(), cancellationToken)!;
            }

            var taken = SchemaParser.TakenNames(symbol.ContainingType);
            var newName = symbol.Name + "Value";
            for (var i = 2; taken.Contains(newName) || GeneratedMembers.SchemaMembers.Contains(newName); i++)
            {
                newName = symbol.Name + "Value" + i.ToString(CultureInfo.InvariantCulture);
            }

            return await Renamer.RenameSymbolAsync(document.Project.Solution, symbol, default(SymbolRenameOptions), newName, cancellationToken).ConfigureAwait(false);
        }
    }
}
