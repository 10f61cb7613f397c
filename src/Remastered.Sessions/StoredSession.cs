namespace Remastered.Sessions;

/// <summary>
/// The data a session storage keeps for one session: the content visible to the application and the keys
/// that were flashed and must disappear after the next request.
/// </summary>
/// <typeparam name="TValue">What the storage can hold, for example <see cref="JsonSessionValue"/> for JSON storages.</typeparam>
/// <remarks>
/// Storages create one instance per request in their reading phase and receive it back in their commit phase.
/// The <see cref="SessionStore{TValue}"/> owns it in between; storages should not keep a reference to it.
/// </remarks>
public sealed class StoredSession<TValue>
{
    /// <summary>Creates an empty session.</summary>
    public StoredSession()
        : this(new Dictionary<string, TValue>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Creates an empty session with room for <paramref name="capacity"/> keys (a storage that knows the count up front).</summary>
    /// <param name="capacity">The number of keys the session will hold.</param>
    public StoredSession(int capacity)
        : this(new Dictionary<string, TValue>(capacity, StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Creates a session over existing content and flashed keys (both are used as given, not copied).</summary>
    /// <param name="content">The session's key/value content.</param>
    /// <param name="flashedKeys">The keys of <paramref name="content"/> that were flashed.</param>
    public StoredSession(Dictionary<string, TValue> content, HashSet<string> flashedKeys)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(flashedKeys);
        Content = content;
        FlashedKeys = flashedKeys;
    }

    /// <summary>The session's values by key.</summary>
    public Dictionary<string, TValue> Content { get; }

    /// <summary>Keys of <see cref="Content"/> that live only until the next request that loads this session commits.</summary>
    public HashSet<string> FlashedKeys { get; }

    /// <summary>
    /// Set by a storage in its reading phase when the next commit must write even if the application changed
    /// nothing: the cookie was encrypted with a retired secret, or it is close enough to expiry to be renewed.
    /// </summary>
    public bool RequiresCommit { get; set; }

    /// <summary>
    /// When the session was first created, as its cookie says (so that renewals do not extend its absolute lifetime);
    /// <see langword="null"/> for a new session.
    /// </summary>
    internal DateTimeOffset? CookieCreatedAt { get; set; }

    /// <summary>When the client's current cookie expires unless renewed (for development tools); null for a new session.</summary>
    internal DateTimeOffset? CookieIdleExpiresAt { get; set; }

    /// <summary>The cookie the storage's last <c>ToHeaderAsync</c> built, as data (library cookie storages set it).</summary>
    internal SessionCookie? IssuedCookie { get; set; }

    /// <summary>
    /// For cookie-carried server-side sessions: the id the request's cookie held, when that cookie needs no renewal.
    /// A commit that keeps this id sends no cookie: only a new id, a renewal or a new session does.
    /// </summary>
    internal string? CurrentCookiePlaintext { get; set; }
}
