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
            // Comments and preprocessor directives of removed lists, for whatever comes next: a directive dropped would
            // leave its #if or #region unbalanced.
            var carried = SyntaxFactory.TriviaList();
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
                    if (lists.Count == 0)
                    {
                        // The list goes with the space or line break after it; the declaration's opening trivia
                        // (indentation, doc comments) moves on to what comes next.
                        openingTrivia = (openingTrivia ?? SyntaxFactory.TriviaList()).AddRange(openingTrivia is null ? list.GetLeadingTrivia() : Significant(list.GetLeadingTrivia()));
                        if (HasSignificant(list.GetTrailingTrivia()))
                        {
                            openingTrivia = openingTrivia.Value.AddRange(TrimStart(list.GetTrailingTrivia()));
                        }

                        continue;
                    }

                    // Between kept lists: what stood before it moves on; the end of its line (and a comment there)
                    // goes to the list before it, so that a line break before a directive stays.
                    carried = carried.AddRange(Significant(list.GetLeadingTrivia()));
                    var previous = lists[lists.Count - 1];
                    var trailing = list.GetTrailingTrivia();
                    if (previous.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia))
                    {
                        // The list before already ends its line: only a comment of the removed one's line is kept.
                        lists[lists.Count - 1] = previous.WithTrailingTrivia(previous.GetTrailingTrivia().AddRange(Significant(trailing)));
                    }
                    else if (trailing.Any(SyntaxKind.EndOfLineTrivia) || HasSignificant(trailing) || previous.GetTrailingTrivia().Count == 0)
                    {
                        lists[lists.Count - 1] = previous.WithTrailingTrivia(TrimEnd(previous.GetTrailingTrivia()).AddRange(trailing));
                    }

                    continue;
                }

                var rebuilt = list.WithAttributes(kept);
                if (openingTrivia is { } opening)
                {
                    rebuilt = rebuilt.WithLeadingTrivia(Join(opening, rebuilt.GetLeadingTrivia()));
                    openingTrivia = null;
                }

                if (carried.Count > 0)
                {
                    rebuilt = rebuilt.WithLeadingTrivia(carried.AddRange(rebuilt.GetLeadingTrivia()));
                    carried = SyntaxFactory.TriviaList();
                }

                lists.Add(rebuilt);
            }

            var fixedProperty = property.WithAttributeLists(SyntaxFactory.List(lists));
            var first = fixedProperty.Modifiers.Count > 0 ? fixedProperty.Modifiers[0] : fixedProperty.Type.GetFirstToken();
            if (openingTrivia is { } leading)
            {
                fixedProperty = fixedProperty.ReplaceToken(first, first.WithLeadingTrivia(Join(leading.AddRange(carried), first.LeadingTrivia)));
            }
            else if (carried.Count > 0)
            {
                fixedProperty = fixedProperty.ReplaceToken(first, first.WithLeadingTrivia(carried.AddRange(first.LeadingTrivia)));
            }

            var before = property.GetFirstToken().GetPreviousToken();
            fixedProperty = KeepDirectivesOnTheirOwnLines(fixedProperty, before.IsKind(SyntaxKind.None) || EndsLine(before.TrailingTrivia));
            return document.WithSyntaxRoot(root.ReplaceNode(property, fixedProperty));
        }

        /// <summary>
        /// Not offered where a preprocessor directive sits inside an attribute list (<c>[A,</c> newline <c>#if X</c> ...):
        /// removing attributes there could unbalance it.
        /// </summary>
        /// <param name="node">The attribute at the diagnostic.</param>
        protected override bool CanFix(AttributeSyntax node)
            => node.Parent is AttributeListSyntax { Parent: PropertyDeclarationSyntax property }
                && property.AttributeLists.All(list => list.DescendantTrivia().Count(t => t.IsDirective)
                    == list.GetLeadingTrivia().Count(t => t.IsDirective) + list.GetTrailingTrivia().Count(t => t.IsDirective));

        private static bool IsSignificant(SyntaxTrivia trivia)
            => !trivia.IsKind(SyntaxKind.WhitespaceTrivia) && !trivia.IsKind(SyntaxKind.EndOfLineTrivia);

        private static bool HasSignificant(SyntaxTriviaList trivia) => trivia.Any(IsSignificant);

        /// <summary>The trivia from the first comment or directive on (with the indentation before it), or nothing.</summary>
        private static SyntaxTriviaList Significant(SyntaxTriviaList trivia)
        {
            var first = -1;
            for (var i = 0; i < trivia.Count && first < 0; i++)
            {
                if (IsSignificant(trivia[i]))
                {
                    first = i > 0 && trivia[i - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? i - 1 : i;
                }
            }

            return first < 0 ? SyntaxFactory.TriviaList() : TrimEnd(SyntaxFactory.TriviaList(trivia.Skip(first)));
        }

        /// <summary>
        /// A directive moved next to a comment or a token it shared no line with must still start its line: a line break
        /// goes in front of any that would not.
        /// </summary>
        private static PropertyDeclarationSyntax KeepDirectivesOnTheirOwnLines(PropertyDeclarationSyntax property, bool startsLine)
        {
            // The document's own line ending where the declaration shows one.
            var lineBreak = property.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } found ? found : SyntaxFactory.EndOfLine("\n");
            var replacements = new Dictionary<SyntaxToken, SyntaxToken>();
            foreach (var token in property.DescendantTokens())
            {
                var atLineStart = startsLine;
                var leading = new List<SyntaxTrivia>();
                var changed = false;
                foreach (var trivia in token.LeadingTrivia)
                {
                    if (trivia.IsDirective && !atLineStart)
                    {
                        leading.Add(lineBreak);
                        changed = true;
                    }

                    leading.Add(trivia);
                    atLineStart = trivia.IsKind(SyntaxKind.EndOfLineTrivia) || trivia.IsDirective || (atLineStart && trivia.IsKind(SyntaxKind.WhitespaceTrivia));
                }

                if (changed)
                {
                    replacements[token] = token.WithLeadingTrivia(leading);
                }

                startsLine = EndsLine(token.TrailingTrivia);
            }

            return replacements.Count == 0 ? property : property.ReplaceTokens(replacements.Keys, (original, _) => replacements[original]);
        }

        private static bool EndsLine(SyntaxTriviaList trivia)
        {
            for (var i = trivia.Count - 1; i >= 0; i--)
            {
                if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    return trivia[i].IsKind(SyntaxKind.EndOfLineTrivia);
                }
            }

            return false;
        }

        /// <summary>
        /// The opening trivia of a removed list in front of what comes next, whose own trivia (a line break and
        /// indentation, or a directive such as the <c>#endif</c> of an <c>#if</c> before the removed list) it replaces
        /// unless that holds a comment or directive.
        /// </summary>
        private static SyntaxTriviaList Join(SyntaxTriviaList opening, SyntaxTriviaList own)
            => HasSignificant(own) ? TrimEnd(opening).AddRange(own) : opening;

        private static SyntaxTriviaList TrimEnd(SyntaxTriviaList trivia)
        {
            var count = trivia.Count;
            while (count > 0 && trivia[count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                count--;
            }

            return SyntaxFactory.TriviaList(trivia.Take(count));
        }

        private static SyntaxTriviaList TrimStart(SyntaxTriviaList trivia)
            => SyntaxFactory.TriviaList(trivia.SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)));
    }
}
