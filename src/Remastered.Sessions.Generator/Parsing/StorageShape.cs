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
        private const string StorageInterfaceName = "Remastered.Sessions.ISessionStorage<TValue, TMetadata>";
        private const string JsonValueName = "Remastered.Sessions.JsonSessionValue";

        /// <summary>
        /// Finds the storage interface whose value type is <c>JsonSessionValue</c> (JSON) or <c>object</c> (any object);
        /// <see langword="false"/> when the type is no session storage or holds something else.
        /// </summary>
        public static bool TryRead(INamedTypeSymbol storage, out StorageValueKind kind, out INamedTypeSymbol storageInterface)
        {
            foreach (var candidate in storage.AllInterfaces)
            {
                if (candidate.OriginalDefinition.ToDisplayString() != StorageInterfaceName)
                {
                    continue;
                }

                var value = candidate.TypeArguments[0];
                if (value.ToDisplayString() == JsonValueName)
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

            kind = default;
            storageInterface = null!;
            return false;
        }
    }
}
