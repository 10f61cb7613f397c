using System.Collections.Generic;
using System.Text;
using Remastered.Sessions.Generator.Models;
using Remastered.Sessions.Generator.Parsing;

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

        /// <summary>Version, key id, nonce, tag and the three timestamps (issued, expires, created) around the encrypted body.</summary>
        private const int EnvelopeBytes = 1 + 4 + 12 + 16 + 24;

        /// <summary>The worst-case <c>Set-Cookie</c> size, or <see langword="null"/> when some key has no largest form.</summary>
        /// <param name="keys">Each key's name and its type's helper in <paramref name="graph"/>.</param>
        /// <param name="graph">The schema's type graph: the same member rules the generated code writes with.</param>
        public static int? EstimateSetCookieBytes(IEnumerable<(string Key, string Helper)> keys, JsonTypeGraph graph)
        {
            // The cookie body: marker, key count, then per key a flags byte, the length-prefixed UTF-8 name and the
            // length-prefixed JSON value (the flash mark is a bit of the flags byte, so flashes cost nothing extra).
            var count = 0;
            var body = 1;
            foreach (var (key, helper) in keys)
            {
                var value = MaxJsonLength(graph.Find(helper), graph, new HashSet<string>());
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

        private static int? MaxJsonLength(JsonTypeModel? type, JsonTypeGraph graph, HashSet<string> visiting)
        {
            // A recursive type has no largest form.
            if (type is null || visiting.Contains(type.Helper))
            {
                return null;
            }

            int? length = type.Kind switch
            {
                JsonTypeKind.Boolean => 5,
                JsonTypeKind.Byte => 3,
                JsonTypeKind.SByte => 4,
                JsonTypeKind.Int16 => 6,
                JsonTypeKind.UInt16 => 5,
                JsonTypeKind.Int32 => 11,
                JsonTypeKind.UInt32 => 10,
                JsonTypeKind.Int64 or JsonTypeKind.UInt64 => 20,
                JsonTypeKind.Single => 16,
                JsonTypeKind.Double => 24,
                JsonTypeKind.Decimal => 31,
                JsonTypeKind.Char => 8,
                JsonTypeKind.DateTime or JsonTypeKind.DateTimeOffset => 35,
                JsonTypeKind.Guid => 38,
                JsonTypeKind.DateOnly => 12,
                JsonTypeKind.TimeOnly => 18,
                JsonTypeKind.TimeSpan => 28,
                JsonTypeKind.Enum => 20,
                _ => null,
            };
            if (length is not null)
            {
                return length;
            }

            if (type.Kind == JsonTypeKind.Nullable)
            {
                var inner = MaxJsonLength(graph.Find(type.ElementHelper), graph, visiting);
                return inner is null ? null : System.Math.Max(inner.Value, 4);
            }

            if (type.Kind != JsonTypeKind.Object)
            {
                return null;
            }

            // The members the generated writer writes, under their JSON names (a graph never has cycles).
            var total = 2;
            visiting.Add(type.Helper);
            foreach (var member in type.Members)
            {
                var value = MaxJsonLength(graph.Find(member.Helper), graph, visiting);
                if (value is null)
                {
                    return null;
                }

                total += EscapedLength(member.JsonName) + 4 + value.Value;
            }

            visiting.Remove(type.Helper);

            return type.IsReferenceType ? System.Math.Max(total, 4) : total;
        }
    }
}
