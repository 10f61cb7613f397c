using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Remastered.Sessions.CodeFixes
{
    /// <summary>Small syntax edits shared by the code fixes.</summary>
    internal static class SyntaxEdits
    {
        /// <summary>Adds <c>partial</c> as the last modifier (where C# requires it), keeping trivia.</summary>
        public static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
        {
            if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return declaration;
            }

            if (declaration.Modifiers.Count == 0)
            {
                var keyword = declaration.Keyword;
                return declaration
                    .WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.Space))
                    .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList())));
            }

            return declaration.WithModifiers(declaration.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        }

        /// <summary>Makes a property a partial declaration with <c>{ get; set; }</c> and no body or initializer.</summary>
        public static PropertyDeclarationSyntax ToPartialProperty(PropertyDeclarationSyntax property)
        {
            // A session value is read from the store, not a variable: no ref return, and no extern implementation.
            if (property.Type is RefTypeSyntax reference)
            {
                property = property.WithType(reference.Type.WithTriviaFrom(reference));
            }

            // Without extern, keeping its leading trivia (the line's indentation) on what follows it.
            var kept = new System.Collections.Generic.List<SyntaxToken>();
            var carried = SyntaxFactory.TriviaList();
            foreach (var modifier in property.Modifiers)
            {
                if (modifier.IsKind(SyntaxKind.ExternKeyword))
                {
                    carried = carried.AddRange(modifier.LeadingTrivia);
                    continue;
                }

                kept.Add(carried.Count == 0 ? modifier : modifier.WithLeadingTrivia(carried.AddRange(modifier.LeadingTrivia)));
                carried = SyntaxFactory.TriviaList();
            }

            if (carried.Count > 0)
            {
                property = property.WithType(property.Type.WithLeadingTrivia(carried.AddRange(property.Type.GetLeadingTrivia())));
            }

            if (property.ExplicitInterfaceSpecifier is not null)
            {
                // A partial member cannot implement an interface member explicitly (CS0754); a public key implements it
                // implicitly.
                property = property.WithExplicitInterfaceSpecifier(null);
                if (!System.Linq.Enumerable.Any(kept, m => m.IsKind(SyntaxKind.PublicKeyword) || m.IsKind(SyntaxKind.InternalKeyword) || m.IsKind(SyntaxKind.ProtectedKeyword) || m.IsKind(SyntaxKind.PrivateKeyword)))
                {
                    SyntaxTriviaList leading;
                    if (kept.Count > 0)
                    {
                        leading = kept[0].LeadingTrivia;
                        kept[0] = kept[0].WithLeadingTrivia();
                    }
                    else
                    {
                        leading = property.Type.GetLeadingTrivia();
                        property = property.WithType(property.Type.WithLeadingTrivia());
                    }

                    kept.Insert(0, SyntaxFactory.Token(leading, SyntaxKind.PublicKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                }
            }

            var modifiers = SyntaxFactory.TokenList(kept);
            if (!modifiers.Any(SyntaxKind.PartialKeyword))
            {
                if (modifiers.Count == 0)
                {
                    var type = property.Type;
                    property = property.WithType(type.WithLeadingTrivia(SyntaxFactory.Space));
                    modifiers = SyntaxFactory.TokenList(SyntaxFactory.Token(type.GetLeadingTrivia(), SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList()));
                }
                else
                {
                    modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
                }
            }

            var accessors = SyntaxFactory.AccessorList(SyntaxFactory.List(new[]
            {
                SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
                SyntaxFactory.AccessorDeclaration(SyntaxKind.SetAccessorDeclaration).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken)),
            })).NormalizeWhitespace();
            var trailing = (property.SemicolonToken.IsKind(SyntaxKind.None) ? (property.AccessorList?.GetTrailingTrivia() ?? property.GetTrailingTrivia()) : property.SemicolonToken.TrailingTrivia);
            return property
                .WithModifiers(modifiers)
                .WithExpressionBody(null)
                .WithInitializer(null)
                .WithSemicolonToken(default)
                .WithIdentifier(property.Identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithAccessorList(accessors.WithTrailingTrivia(trailing));
        }
    }
}
