using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Remastered.Sessions.Generator.Helpers
{
    /// <summary>Identifiers as generated code must write them.</summary>
    internal static class Names
    {
        /// <summary>
        /// <c>@class</c> for a keyword, contextual ones included (<c>@record</c>, <c>@partial</c>, <c>@required</c>: a
        /// class of that name cannot be declared or used bare where the keyword applies), the name itself otherwise.
        /// </summary>
        public static string Escape(string name)
            => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        /// <summary>
        /// A type as generated code writes it in <paramref name="format"/>, with every name that is a contextual keyword
        /// escaped too (<c>global::App.@partial</c>: the format escapes only reserved keywords, and a type named
        /// <c>partial</c> or <c>async</c> breaks the declarations it appears in).
        /// </summary>
        public static string TypeText(ITypeSymbol type, SymbolDisplayFormat format)
        {
            var builder = new StringBuilder();
            foreach (var part in type.ToDisplayParts(format))
            {
                var text = part.ToString();
                if (IsName(part.Kind) && !text.StartsWith("@", System.StringComparison.Ordinal) && SyntaxFacts.GetContextualKeywordKind(text) != SyntaxKind.None)
                {
                    builder.Append('@');
                }

                builder.Append(text);
            }

            return builder.ToString();
        }

        private static bool IsName(SymbolDisplayPartKind kind) => kind switch
        {
            SymbolDisplayPartKind.ClassName or SymbolDisplayPartKind.StructName or SymbolDisplayPartKind.InterfaceName
                or SymbolDisplayPartKind.EnumName or SymbolDisplayPartKind.DelegateName or SymbolDisplayPartKind.NamespaceName
                or SymbolDisplayPartKind.TypeParameterName or SymbolDisplayPartKind.FieldName or SymbolDisplayPartKind.ErrorTypeName
                or SymbolDisplayPartKind.RecordClassName or SymbolDisplayPartKind.RecordStructName => true,
            _ => false,
        };

        public static string Unescape(string name) => name.StartsWith("@", System.StringComparison.Ordinal) ? name.Substring(1) : name;

        /// <summary>A readable name for a type (<c>ListOfCartItem</c>, <c>NullableInt32</c>), not unique by itself.</summary>
        public static string CaseName(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol array => "ArrayOf" + CaseName(array.ElementType),
            INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => "Nullable" + CaseName(nullable.TypeArguments[0]),
            INamedTypeSymbol { IsTupleType: true } tuple => "TupleOf" + string.Join("And", tuple.TypeArguments.Select(CaseName)),
            INamedTypeSymbol { IsGenericType: true } generic => Capitalize(generic.Name) + "Of" + string.Join("And", generic.TypeArguments.Select(CaseName)),
            _ => Capitalize(type.Name.Length == 0 ? "Value" : type.Name),
        };

        /// <summary>Letters, digits and underscores only.</summary>
        public static string Identifierish(string text)
        {
            var builder = new StringBuilder(text.Length);
            foreach (var c in text)
            {
                builder.Append(char.IsLetterOrDigit(c) || c == '_' ? c : '_');
            }

            return builder.ToString();
        }

        /// <summary>C# keywords are lower case, so a capitalized name is never one.</summary>
        private static string Capitalize(string name)
            => name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);
    }
}
