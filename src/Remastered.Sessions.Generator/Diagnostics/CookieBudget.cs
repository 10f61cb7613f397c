using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Remastered.Sessions.Generator.Diagnostics
{
    /// <summary>
    /// The worst-case size of a cookie session, when it is bounded: every key's type has a largest JSON form (numbers,
    /// booleans, GUIDs, dates, enums, and records of these). Strings, byte arrays, URIs, collections and dictionaries
    /// have none, so a schema holding them is not estimated.
    /// </summary>
    internal static class CookieBudget
    {
        /// <summary>A conservative size for <c>name=; Max-Age=...; Expires=...; Path=/; Secure; HttpOnly; SameSite=Lax</c> with a short name.</summary>
        private const int AttributesAllowance = 128;

        /// <summary>Version, key id, nonce, tag and the two timestamps around the encrypted body.</summary>
        private const int EnvelopeBytes = 1 + 4 + 12 + 16 + 16;

        public static int? EstimateSetCookieBytes(IEnumerable<(string Key, ITypeSymbol Type, bool IsFlash)> keys)
        {
            // The cookie body: marker, key count, then per key a flags byte, the length-prefixed UTF-8 name and the
            // length-prefixed JSON value (the flash mark is a bit of the flags byte, so flashes cost nothing extra).
            var count = 0;
            var body = 1;
            foreach (var (key, type, _) in keys)
            {
                var value = MaxJsonLength(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));
                if (value is null)
                {
                    return null;
                }

                var name = Encoding.UTF8.GetByteCount(key);
                body += 1 + VarIntLength(name) + name + VarIntLength(value.Value) + value.Value;
                count++;
            }

            body += VarIntLength(count);
            var encrypted = EnvelopeBytes + body;
            var base64 = ((encrypted * 4) + 2) / 3;
            return base64 + AttributesAllowance;
        }

        private static int VarIntLength(int value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : 3;

        /// <summary>The length of a property name as System.Text.Json writes it: what its default encoder escapes takes six characters.</summary>
        private static int EscapedLength(string name)
        {
            var length = 0;
            foreach (var c in name)
            {
                length += c < 0x20 || c > 0x7E || c is '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`' ? 6 : 1;
            }

            return length;
        }

        private static int? MaxJsonLength(ITypeSymbol type, HashSet<ITypeSymbol> visiting)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return 5;
                case SpecialType.System_Byte: return 3;
                case SpecialType.System_SByte: return 4;
                case SpecialType.System_Int16: return 6;
                case SpecialType.System_UInt16: return 5;
                case SpecialType.System_Int32: return 11;
                case SpecialType.System_UInt32: return 10;
                case SpecialType.System_Int64: return 20;
                case SpecialType.System_UInt64: return 20;
                case SpecialType.System_Single: return 16;
                case SpecialType.System_Double: return 24;
                case SpecialType.System_Decimal: return 31;
                case SpecialType.System_Char: return 8;
                case SpecialType.System_DateTime: return 35;
            }

            switch (type.ToDisplayString())
            {
                case "System.Guid": return 38;
                case "System.DateTimeOffset": return 35;
                case "System.DateOnly": return 12;
                case "System.TimeOnly": return 18;
                case "System.TimeSpan": return 28;
            }

            if (type is not INamedTypeSymbol named)
            {
                return null;
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                return 20;
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                var inner = MaxJsonLength(named.TypeArguments[0], visiting);
                return inner is null ? null : System.Math.Max(inner.Value, 4);
            }

            if (named.SpecialType != SpecialType.None || named.IsGenericType || named.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !visiting.Add(named))
            {
                return null;
            }

            var total = 2;
            foreach (var property in named.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public && !p.IsIndexer && p.Name != "EqualityContract"))
            {
                var member = MaxJsonLength(property.Type, visiting);
                if (member is null)
                {
                    return null;
                }

                total += EscapedLength(property.Name) + 4 + member.Value;
            }

            visiting.Remove(named);
            return type.IsReferenceType ? System.Math.Max(total, 4) : total;
        }
    }
}
