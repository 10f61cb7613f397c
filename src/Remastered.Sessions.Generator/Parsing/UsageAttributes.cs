using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// <c>[Obsolete]</c> and <c>[Experimental]</c> on what generated code uses. The user's own code may use none of it
    /// (a member that is only serialized), so generated files suppress the warnings and the experimental diagnostics
    /// their uses raise; a member obsolete as an error cannot be used at all (RMS001).
    /// </summary>
    internal static class UsageAttributes
    {
        /// <summary>The diagnostic ids of <c>[Experimental]</c> on a symbol, its containing types, module and assembly.</summary>
        public static void CollectExperimentalIds(ISymbol symbol, KnownTypes known, ISet<string> ids)
        {
            if (known.ExperimentalAttribute is null)
            {
                return;
            }

            for (var current = symbol; current is not null; current = current.ContainingType)
            {
                Add(current);
            }

            if (symbol.ContainingModule is { } module)
            {
                Add(module);
            }

            if (symbol.ContainingAssembly is { } assembly)
            {
                Add(assembly);
            }

            void Add(ISymbol target)
            {
                foreach (var attribute in target.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.ExperimentalAttribute)
                        && attribute.ConstructorArguments.FirstOrDefault().Value is string id && id.Length > 0
                        // Only what a #pragma can name.
                        && id.All(c => char.IsLetterOrDigit(c) || c == '_'))
                    {
                        ids.Add(id);
                    }
                }
            }
        }

        /// <summary><see cref="CollectExperimentalIds"/> for a type as written: its type arguments and element types too.</summary>
        public static void CollectExperimentalIdsOfType(ITypeSymbol type, KnownTypes known, ISet<string> ids, int depth = 0)
        {
            if (depth > 32)
            {
                return;
            }

            switch (type)
            {
                case IArrayTypeSymbol array:
                    CollectExperimentalIdsOfType(array.ElementType, known, ids, depth + 1);
                    break;
                case INamedTypeSymbol named:
                    CollectExperimentalIds(named.OriginalDefinition, known, ids);
                    foreach (var argument in named.TypeArguments)
                    {
                        CollectExperimentalIdsOfType(argument, known, ids, depth + 1);
                    }

                    break;
            }
        }

        /// <summary>Whether <c>[Obsolete(..., error: true)]</c> makes any use of the symbol a compile error.</summary>
        public static bool IsObsoleteAsError(ISymbol? symbol, KnownTypes known)
            => symbol is not null && known.ObsoleteAttribute is not null && symbol.GetAttributes().Any(a =>
                SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ObsoleteAttribute)
                && a.ConstructorArguments.Length == 2 && a.ConstructorArguments[1].Value is true);
    }
}
