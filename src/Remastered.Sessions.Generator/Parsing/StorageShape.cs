using Microsoft.CodeAnalysis;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// What a storage can hold, read from its <c>ISessionStorage&lt;TValue, TMetadata&gt;</c>. The generator and the
    /// analyzer both ask here, so they can never disagree about a schema's storage.
    /// </summary>
    internal static class StorageShape
    {
        /// <summary>
        /// Finds the storage interface whose value type is <c>JsonSessionValue</c> (JSON) or <c>object</c> (any object);
        /// <see langword="false"/> when the type is no session storage or holds something else.
        /// </summary>
        public static bool TryRead(ITypeSymbol? storage, KnownTypes known, out StorageValueKind kind, out INamedTypeSymbol storageInterface)
        {
            kind = default;
            storageInterface = null!;
            if (storage is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface } named)
            {
                return false;
            }

            foreach (var candidate in named.TypeKind == TypeKind.Interface ? named.AllInterfaces.Add(named) : named.AllInterfaces)
            {
                if (!KnownTypes.Is(candidate, known.SessionStorage))
                {
                    continue;
                }

                var value = candidate.TypeArguments[0];
                if (KnownTypes.Is(value, known.JsonSessionValue))
                {
                    kind = StorageValueKind.Json;
                    storageInterface = candidate;
                    return true;
                }

                if (value.SpecialType == SpecialType.System_Object)
                {
                    kind = StorageValueKind.Object;
                    storageInterface = candidate;
                    return true;
                }
            }

            return false;
        }
    }
}
