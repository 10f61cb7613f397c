using System.Runtime.CompilerServices;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// The modification counter of <see cref="List{T}"/>, which every Add, Insert, Remove, indexer write, Sort, Reverse and
/// Clear increments. A tracked list of immutable items whose counter has not moved is unchanged, so the commit need
/// not serialize it to find out. (Dictionaries and sets do not count overwrites and removals, so they are not read
/// this way.) A runtime whose lists lack the field makes every answer "unknown", and the commit serializes and
/// compares as for any other value.
/// </summary>
internal static class CollectionVersions
{
    private static bool s_unavailable;

    public static long? Of<T>(List<T> list)
    {
        if (s_unavailable)
        {
            return null;
        }

        try
        {
            return Lists<T>.Version(list);
        }
        catch (MissingFieldException)
        {
            s_unavailable = true;
            return null;
        }
    }

    private static class Lists<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_version")]
        public static extern ref int Version(List<T> list);
    }
}
