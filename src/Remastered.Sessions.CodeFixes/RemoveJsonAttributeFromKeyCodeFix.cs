using System.Composition;
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
    /// RMS016: removes a System.Text.Json attribute from a key property, where it has no effect. The name of a
    /// <c>[JsonPropertyName("uid")]</c> moves into the key's own attribute (<c>[SessionKey("uid")]</c>) when that names
    /// no key yet, which is what the user meant; a key that already has a name keeps it, so stored sessions still read.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveJsonAttributeFromKeyCodeFix)), Shared]
    public sealed class RemoveJsonAttributeFromKeyCodeFix : NodeCodeFix<AttributeSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public RemoveJsonAttributeFromKeyCodeFix()
            : base(DiagnosticDescriptors.JsonAttributeOnKey.Id, "Remove the System.Text.Json attribute from the session key")
        {
        }

        /// <inheritdoc />
        protected override bool CanFix(AttributeSyntax node) => node.Parent is AttributeListSyntax { Parent: PropertyDeclarationSyntax };

        /// <inheritdoc />
        protected override async Task<Document> FixAsync(Document document, SyntaxNode root, AttributeSyntax node, CancellationToken cancellationToken)
        {
            var property = (PropertyDeclarationSyntax)node.Parent!.Parent!;
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var known = model is null ? null : KnownTypes.Get(model.Compilation);
            AttributeSyntax? keyAttribute = null;
            string? name = null;
            if (model is not null && known is not null
                && KnownTypes.Is(model.GetTypeInfo(node, cancellationToken).Type, known.JsonPropertyNameAttribute)
                && node.ArgumentList?.Arguments.FirstOrDefault()?.Expression is { } argument
                && model.GetConstantValue(argument, cancellationToken) is { HasValue: true, Value: string constant }
                && model.GetDeclaredSymbol(property, cancellationToken) is IPropertySymbol symbol
                && SchemaParser.TryGetKeyAttribute(symbol, known, out var keyData, out _)
                && keyData.ConstructorArguments.FirstOrDefault().Value is null
                && keyData.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax keySyntax
                && property.AttributeLists.Any(list => list.Attributes.Contains(keySyntax)))
            {
                keyAttribute = keySyntax;
                name = constant;
            }

            // Mark both nodes, then edit: the key attribute first (it may share the JSON attribute's list).
            var annotated = root.ReplaceNodes(keyAttribute is null ? new[] { node } : new[] { node, keyAttribute }, (original, _) =>
            {
                if (original == keyAttribute)
                {
                    var literal = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name!)));
                    return original.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(literal))).WithAdditionalAnnotations(KeyMark);
                }

                return original.WithAdditionalAnnotations(JsonMark);
            });

            var json = annotated.GetAnnotatedNodes(JsonMark).OfType<AttributeSyntax>().Single();
            var list = (AttributeListSyntax)json.Parent!;
            if (list.Attributes.Count > 1)
            {
                return document.WithSyntaxRoot(annotated.ReplaceNode(list, list.WithAttributes(list.Attributes.Remove(json))));
            }

            // The list goes with the space or line break after it. When it opens the declaration, the next token takes
            // over its leading trivia (indentation, doc comments) instead of keeping its own indentation.
            var opensDeclaration = list.Parent is PropertyDeclarationSyntax owner && owner.AttributeLists[0] == list;
            if (opensDeclaration)
            {
                var next = list.GetLastToken().GetNextToken();
                annotated = annotated.ReplaceToken(next, next.WithLeadingTrivia(list.GetLeadingTrivia()));
                list = (AttributeListSyntax)annotated.GetAnnotatedNodes(JsonMark).Single().Parent!;
            }

            return document.WithSyntaxRoot(annotated.RemoveNode(list, SyntaxRemoveOptions.KeepNoTrivia)!);
        }

        private static readonly SyntaxAnnotation JsonMark = new("Remastered.Sessions.JsonAttribute");
        private static readonly SyntaxAnnotation KeyMark = new("Remastered.Sessions.KeyAttribute");
    }
}
