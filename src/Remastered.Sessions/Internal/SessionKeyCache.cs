using System.Text;

namespace Remastered.Sessions.Internal;

/// <summary>
/// The strings of recently loaded session keys, so that loading a session does not allocate a new string for every key
/// of every request: an application has a handful of keys, read millions of times.
/// </summary>
/// <remarks>
/// A fixed table of 256 slots indexed by a hash of the key's UTF-8 bytes; a slot holds the last key that hashed there.
/// Only short ASCII keys are cached, and only keys from authenticated payloads reach it, so it cannot grow or be flooded
/// by a client. Races between threads at worst replace a slot's string with an equal one.
/// </remarks>
internal static class SessionKeyCache
{
    private const int MaxCachedLength = 64;
    private static readonly string?[] Slots = new string?[256];

    public static string GetString(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = 5381u;
        foreach (var b in utf8)
        {
            hash = (hash * 33) ^ b;
        }

        ref var slot = ref Slots[hash & 0xFF];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && cached.Length == utf8.Length && Ascii.Equals(utf8, cached))
        {
            return cached;
        }

        var key = Encoding.UTF8.GetString(utf8);
        if (key.Length == utf8.Length)
        {
            // Same length in bytes and chars: the key is ASCII, which is what the comparison above can match.
            Volatile.Write(ref slot, key);
        }

        return key;
    }
}
