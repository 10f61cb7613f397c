using System.Collections.Generic;
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
    /// RMS016: removes the System.Text.Json attributes from a key property's declaration, where they have no effect,
    /// all in one edit (so that fix-all over several of them on one property agrees). The key keeps the name it is
    /// stored under: a <c>[JsonPropertyName]</c>'s name is not moved into <c>[SessionKey]</c>, since that would rename the
    /// key and leave the values already stored under its name behind (renaming is the user's decision, RMS016 says how).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveJsonAttributeFromKeyCodeFix)), Shared]
    public sealed class RemoveJsonAttributeFromKeyCodeFix : NodeCodeFix<AttributeSyntax>
    {
        /// <summary>Creates the fix.</summary>
        public RemoveJsonAttributeFromKeyCodeFix()
            : base(DiagnosticDescriptors.JsonAttributeOnKey.Id, "Remove the System.Text.Json attributes from the session key")
        {
        }

        /// <inheritdoc />
        protected override bool CanFix(AttributeSyntax node) => node.Parent is AttributeListSyntax { Parent: PropertyDeclarationSyntax };

        /// <inheritdoc />
        protected override async Task<Document> FixAsync(Document document, SyntaxNode root, AttributeSyntax node, CancellationToken cancellationToken)
        {
            var property = (PropertyDeclarationSyntax)node.Parent!.Parent!;
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is null)
            {
                return document;
            }

            var known = KnownTypes.Get(model.Compilation);
            bool IsJson(AttributeSyntax attribute)
                => model.GetTypeInfo(attribute, cancellationToken).Type is { } type && KnownTypes.IsDerivedFrom(type, known.JsonAttribute);

            var lists = new List<AttributeListSyntax>();
            SyntaxTriviaList? openingTrivia = null;
            foreach (var list in property.AttributeLists)
            {
                var kept = list.Attributes;
                for (var i = list.Attributes.Count - 1; i >= 0; i--)
                {
                    if (IsJson(list.Attributes[i]))
                    {
                        kept = kept.RemoveAt(i);
                    }
                }

                if (kept.Count == 0)
                {
                    // The list goes with the space or line break after it; the declaration's opening trivia (indentation,
                    // doc comments) moves on to what comes next.
                    if (lists.Count == 0)
                    {
                        openingTrivia ??= list.GetLeadingTrivia();
                    }

                    continue;
                }

                var rebuilt = list.WithAttributes(kept);
                if (openingTrivia is { } opening)
                {
                    rebuilt = rebuilt.WithLeadingTrivia(opening);
                    openingTrivia = null;
                }

                lists.Add(rebuilt);
            }

            var fixedProperty = property.WithAttributeLists(SyntaxFactory.List(lists));
            if (openingTrivia is { } leading)
            {
                fixedProperty = fixedProperty.WithLeadingTrivia(leading);
            }

            return document.WithSyntaxRoot(root.ReplaceNode(property, fixedProperty));
        }
    }
}
