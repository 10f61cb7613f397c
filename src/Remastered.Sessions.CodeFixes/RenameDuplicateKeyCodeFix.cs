using System;
using System.Collections.Generic;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Parsing;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>
    /// RMS005: gives a duplicate key a name of its own: the property name in camelCase when that is free, else the
    /// duplicated name with the first free number appended.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RenameDuplicateKeyCodeFix)), Shared]
    public sealed class RenameDuplicateKeyCodeFix : NodeCodeFix<PropertyDeclarationSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public RenameDuplicateKeyCodeFix()
            : base(DiagnosticDescriptors.DuplicateKey.Id, "Rename the duplicate session key")
        {
        }

        /// <summary>
        /// Fix-all renames one key after the other in each document, each seeing the names given before it: the batch
        /// fixer computes every fix from the same original, so two duplicates could take the same new name.
        /// </summary>
        /// <returns>The fix-all provider.</returns>
        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var targets = diagnostics
                .Select(d => root.FindToken(d.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<PropertyDeclarationSyntax>().FirstOrDefault())
                .Where(p => p is not null)
                .Distinct()
                .OrderBy(p => p!.SpanStart)
                .Select(p => (Property: p!, Mark: new SyntaxAnnotation()))
                .ToList();
            root = root.ReplaceNodes(targets.Select(t => t.Property), (original, rewritten) => rewritten.WithAdditionalAnnotations(targets.First(t => t.Property == original).Mark));
            document = document.WithSyntaxRoot(root);
            foreach (var (_, mark) in targets)
            {
                root = (await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false))!;
                if (root.GetAnnotatedNodes(mark).OfType<PropertyDeclarationSyntax>().FirstOrDefault() is { } property)
                {
                    document = await RenameAsync(document, root, property, context.CancellationToken).ConfigureAwait(false);
                }
            }

            return document;
        });

        /// <inheritdoc />
        protected override Task<Document> FixAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax node, CancellationToken cancellationToken)
            => RenameAsync(document, root, node, cancellationToken);

        private static async Task<Document> RenameAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax property, CancellationToken cancellationToken)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model?.GetDeclaredSymbol(property, cancellationToken) is not IPropertySymbol symbol
                || !SchemaParser.TryGetKeyAttribute(symbol, KnownTypes.Get(model.Compilation), out var attributeData, out _)
                || attributeData.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax attribute)
            {
                return document;
            }

            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var other in symbol.ContainingType.GetMembers().OfType<IPropertySymbol>())
            {
                if (!SymbolEqualityComparer.Default.Equals(other, symbol) && SchemaParser.TryGetKeyAttribute(other, KnownTypes.Get(model.Compilation), out var otherAttribute, out _))
                {
                    used.Add(otherAttribute.ConstructorArguments.FirstOrDefault().Value as string ?? SchemaParser.CamelCase(other.Name));
                }
            }

            var current = attributeData.ConstructorArguments.FirstOrDefault().Value as string ?? SchemaParser.CamelCase(symbol.Name);
            var candidate = SchemaParser.CamelCase(symbol.Name);
            for (var i = 2; used.Contains(candidate); i++)
            {
                candidate = current + i.ToString(CultureInfo.InvariantCulture);
            }

            var argument = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(candidate)));
            var renamed = attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(argument)));
            return document.WithSyntaxRoot(root.ReplaceNode(attribute, renamed));
        }
    }
}
