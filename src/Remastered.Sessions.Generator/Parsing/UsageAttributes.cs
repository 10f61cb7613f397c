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
        public static void CollectExperimentalIdsOfType(ITypeSymbol type, KnownTypes known, ISet<string> ids)
        {
            foreach (var named in NamedTypesIn(type))
            {
                CollectExperimentalIds(named.OriginalDefinition, known, ids);
            }
        }

        /// <summary>Every named type a type is written with: itself, its type arguments, array elements and pointer targets, at any depth.</summary>
        public static IEnumerable<INamedTypeSymbol> NamedTypesIn(ITypeSymbol type, int depth = 0)
        {
            if (depth > 32)
            {
                yield break;
            }

            var parts = type switch
            {
                IArrayTypeSymbol array => new[] { array.ElementType },
                IPointerTypeSymbol pointer => new[] { pointer.PointedAtType },
                INamedTypeSymbol named => named.TypeArguments.ToArray(),
                _ => System.Array.Empty<ITypeSymbol>(),
            };
            if (type is INamedTypeSymbol self)
            {
                yield return self;
            }

            foreach (var part in parts)
            {
                foreach (var inner in NamedTypesIn(part, depth + 1))
                {
                    yield return inner;
                }
            }
        }

        /// <summary>Whether <c>[Obsolete(..., error: true)]</c> makes any use of the symbol a compile error.</summary>
        public static bool IsObsoleteAsError(ISymbol? symbol, KnownTypes known)
            => symbol is not null && known.ObsoleteAttribute is not null && symbol.GetAttributes().Any(a =>
                SymbolEqualityComparer.Default.Equals(a.AttributeClass, known.ObsoleteAttribute)
                && a.ConstructorArguments.Length == 2 && a.ConstructorArguments[1].Value is true);
    }
}
