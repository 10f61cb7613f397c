using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace Remastered.Sessions.Generator.Helpers
{
    /// <summary>
    /// Generated file names, unique as Roslyn compares them (ignoring case): <c>App.Cart.g.cs</c> normally; schemas whose
    /// full names differ only in case are numbered in ordinal order (<c>App.Cart.1.g.cs</c>, <c>app.Cart.2.g.cs</c>), which
    /// no other schema's name can produce, as an identifier cannot start with a digit.
    /// </summary>
    internal static class HintNames
    {
        private const string Suffix = ".g.cs";

        /// <summary>The names among <paramref name="names"/> that another one equals but for case, in ordinal order.</summary>
        public static EquatableArray<string> CaseClashes(ImmutableArray<string?> names)
            => names.Where(n => n is not null).Select(n => n!)
                .Distinct(StringComparer.Ordinal)
                .GroupBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Where(g => g.Count() > 1)
                .SelectMany(g => g)
                .OrderBy(n => n, StringComparer.Ordinal)
                .ToEquatableArray();

        /// <summary><paramref name="hintName"/>, numbered if it is one of <paramref name="clashes"/>.</summary>
        public static string Unique(string hintName, EquatableArray<string> clashes)
        {
            var number = 0;
            foreach (var clash in clashes)
            {
                if (string.Equals(clash, hintName, StringComparison.OrdinalIgnoreCase))
                {
                    number++;
                    if (string.Equals(clash, hintName, StringComparison.Ordinal))
                    {
                        return hintName.Substring(0, hintName.Length - Suffix.Length) + "." + number + Suffix;
                    }
                }
            }

            return hintName;
        }
    }
}
