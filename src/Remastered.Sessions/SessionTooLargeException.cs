namespace Remastered.Sessions;

/// <summary>
/// Thrown by a commit whose cookie would exceed the size browsers keep (4096 bytes by default), instead of letting
/// the browser drop it silently. The session in the store is left intact, so the application can shrink it and retry.
/// </summary>
public sealed class SessionTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="cookieName">The cookie that was too large.</param>
    /// <param name="size">The size the <c>Set-Cookie</c> value would have had, in bytes.</param>
    /// <param name="limit">The configured limit, in bytes.</param>
    /// <param name="largestKeys">The largest keys with their approximate serialized sizes, largest first.</param>
    public SessionTooLargeException(string cookieName, int size, int limit, IReadOnlyList<KeyValuePair<string, int>> largestKeys)
        : base(BuildMessage(cookieName, size, limit, largestKeys))
    {
        CookieName = cookieName;
        Size = size;
        Limit = limit;
        LargestKeys = largestKeys;
    }

    /// <summary>The cookie that was too large.</summary>
    public string CookieName { get; }

    /// <summary>The size the <c>Set-Cookie</c> value would have had, in bytes.</summary>
    public int Size { get; }

    /// <summary>The configured limit, in bytes.</summary>
    public int Limit { get; }

    /// <summary>The largest keys with their approximate serialized sizes in bytes, largest first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> LargestKeys { get; }

    private static string BuildMessage(string cookieName, int size, int limit, IReadOnlyList<KeyValuePair<string, int>> largestKeys)
    {
        var keys = largestKeys.Count == 0
            ? "no single key stands out"
            : "largest keys: " + string.Join(", ", largestKeys.Select(k => $"'{k.Key}' (~{k.Value} bytes)"));
        return $"The session cookie '{cookieName}' would be {size} bytes, over the {limit}-byte limit browsers keep ({keys}). " +
            "Store less in the session, or keep it server-side (MemorySessionStorage, RedisSessionStorage).";
    }
}
