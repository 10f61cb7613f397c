using System.Collections.Generic;
using System.Linq;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Emitting
{
    /// <summary>
    /// Decides which types of a value graph get a compact fast-path reader (<c>CompactJsonReader</c>): those whose whole
    /// graph has a form the fast path reads exactly as System.Text.Json would. Everything else keeps only the
    /// <c>Utf8JsonReader</c> helper, which is always correct.
    /// </summary>
    internal static class CompactReaders
    {
        /// <summary>The helpers of the types that get a compact reader.</summary>
        public static HashSet<string> Capable(IEnumerable<JsonTypeModel> types)
        {
            var list = types.ToList();
            var capable = new HashSet<string>(list.Where(IsCapableByItself).Select(t => t.Helper));

            // A type is capable only if every type it contains is: remove until nothing changes.
            bool changed;
            do
            {
                changed = false;
                foreach (var type in list)
                {
                    if (capable.Contains(type.Helper) && Dependencies(type).Any(helper => !capable.Contains(helper)))
                    {
                        capable.Remove(type.Helper);
                        changed = true;
                    }
                }
            }
            while (changed);

            return capable;
        }

        private static bool IsCapableByItself(JsonTypeModel type) => type.Kind switch
        {
            JsonTypeKind.Boolean or JsonTypeKind.Int32 or JsonTypeKind.Int64 or JsonTypeKind.Decimal or JsonTypeKind.Double
                or JsonTypeKind.String or JsonTypeKind.Nullable or JsonTypeKind.Array or JsonTypeKind.List or JsonTypeKind.Set => true,
            JsonTypeKind.Enum => type.EnumUnderlying is JsonTypeKind.Int32 or JsonTypeKind.Int64,
            // Members that may be left out make the property sequence vary: the full reader handles those.
            JsonTypeKind.Object => type.Members.All(m => NeedsNoEscaping(m.JsonName) && m.WriteCondition == JsonWriteCondition.Always),
            _ => false,
        };

        private static IEnumerable<string> Dependencies(JsonTypeModel type) => type.Kind switch
        {
            JsonTypeKind.Nullable or JsonTypeKind.Array or JsonTypeKind.List or JsonTypeKind.Set => new[] { type.ElementHelper! },
            JsonTypeKind.Object => type.Members.Select(m => m.Helper),
            _ => Enumerable.Empty<string>(),
        };

        /// <summary>Whether System.Text.Json's default encoder writes <paramref name="name"/> as it is, so the fast path can compare its bytes.</summary>
        public static bool NeedsNoEscaping(string name)
            => name.All(c => c >= 0x20 && c <= 0x7E && c is not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`'));
    }
}
