using System.Runtime.CompilerServices;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// The modification counters of <see cref="List{T}"/>, <see cref="HashSet{T}"/> and <see cref="Dictionary{TKey, TValue}"/>,
/// which every Add, Remove, indexer write, Sort and Clear increments. A tracked collection of immutable items whose
/// counter has not moved is unchanged, so the commit need not serialize it to find out. A runtime whose collections
/// lack the field makes every answer "unknown", and the commit serializes and compares as for any other value.
/// </summary>
internal static class CollectionVersions
{
    private static bool s_unavailable;

    public static long? Of<T>(List<T> list) => Read(list, static l => Lists<T>.Version(l));

    public static long? Of<T>(HashSet<T> set) => Read(set, static s => Sets<T>.Version(s));

    public static long? Of<TKey, TValue>(Dictionary<TKey, TValue> dictionary)
        where TKey : notnull
        => Read(dictionary, static d => Dictionaries<TKey, TValue>.Version(d));

    private static long? Read<TCollection>(TCollection collection, Func<TCollection, int> version)
    {
        if (s_unavailable)
        {
            return null;
        }

        try
        {
            return version(collection);
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

    private static class Sets<T>
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_version")]
        public static extern ref int Version(HashSet<T> set);
    }

    private static class Dictionaries<TKey, TValue>
        where TKey : notnull
    {
        [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_version")]
        public static extern ref int Version(Dictionary<TKey, TValue> dictionary);
    }
}
