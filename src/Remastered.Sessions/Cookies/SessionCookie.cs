using System.Runtime.CompilerServices;

namespace Remastered.Sessions;

/// <summary>
/// The cookie a commit asks the client to store or delete, as data: what an integration needs to write it through its
/// own cookie API (ASP.NET Core's <c>Response.Cookies</c>) or to send its value as a token, with no parsing of the
/// <c>Set-Cookie</c> text. <see cref="SetCookieHeader"/> is that text, exactly what <see cref="SessionStore{TValue}.CommitAsync"/> returns.
/// </summary>
public sealed class SessionCookie
{
    // The deletion cookies of the library's storages, by the identity of their (cached) header string, so that a
    // commit that ended a session can hand out the data of the very header the storage returned.
    private static readonly ConditionalWeakTable<string, SessionCookie> Deletions = new();

    private readonly int _valueStart;
    private readonly int _valueLength;
    private string? _value;

    private SessionCookie(string name, string setCookieHeader, int valueStart, int valueLength, bool isDeletion, TimeSpan maxAge, DateTimeOffset expires, CookieSessionOptions options)
    {
        Name = name;
        SetCookieHeader = setCookieHeader;
        _valueStart = valueStart;
        _valueLength = valueLength;
        IsDeletion = isDeletion;
        IsPersistent = isDeletion || options.Persistent;
        MaxAge = maxAge;
        Expires = expires;
        Path = options.Path;
        Domain = options.Domain;
        Secure = options.Secure;
        HttpOnly = options.HttpOnly;
        SameSite = options.SameSite;
    }

    /// <summary>The cookie's name.</summary>
    public string Name { get; }

    /// <summary>The value (the encrypted token); empty for a deletion.</summary>
    public string Value => _value ??= SetCookieHeader.Substring(_valueStart, _valueLength);

    /// <summary>Whether the client should delete the cookie (the session was destroyed).</summary>
    public bool IsDeletion { get; }

    /// <summary>
    /// Whether the client is told <see cref="MaxAge"/> and <see cref="Expires"/> (<c>Max-Age</c>/<c>Expires</c>);
    /// <see langword="false"/> for a browser-session cookie (<see cref="CookieSessionOptions.Persistent"/>), whose
    /// <see cref="MaxAge"/> and <see cref="Expires"/> still say when the server stops accepting it.
    /// </summary>
    public bool IsPersistent { get; }

    /// <summary>
    /// How long the cookie is valid: what the client is told to keep it for when <see cref="IsPersistent"/>, and in any
    /// case when the server stops accepting it (<see cref="TimeSpan.Zero"/> for a deletion).
    /// </summary>
    public TimeSpan MaxAge { get; }

    /// <summary>The same lifetime as a date, for clients that ignore <c>Max-Age</c> (the Unix epoch for a deletion).</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>The cookie's path.</summary>
    public string Path { get; }

    /// <summary>The cookie's domain, or <see langword="null"/> for a host-only cookie.</summary>
    public string? Domain { get; }

    /// <summary>Whether the storage's options ask for <c>Secure</c> (an integration may drop it on plain HTTP in development).</summary>
    public bool Secure { get; }

    /// <summary>Whether scripts are kept from reading the cookie.</summary>
    public bool HttpOnly { get; }

    /// <summary>The cookie's <c>SameSite</c> attribute.</summary>
    public CookieSameSite SameSite { get; }

    /// <summary>The whole <c>Set-Cookie</c> header value, as the storage built it.</summary>
    public string SetCookieHeader { get; }

    /// <inheritdoc />
    public override string ToString() => SetCookieHeader;

    internal static SessionCookie Issued(CookieSessionOptions options, string setCookieHeader, int valueLength, TimeSpan maxAge, DateTimeOffset expires)
        => new(options.Name, setCookieHeader, options.Name.Length + 1, valueLength, isDeletion: false, maxAge, expires, options);

    internal static SessionCookie Deletion(CookieSessionOptions options, string setCookieHeader)
    {
        var cookie = new SessionCookie(options.Name, setCookieHeader, options.Name.Length + 1, 0, isDeletion: true, TimeSpan.Zero, DateTimeOffset.UnixEpoch, options);
        Deletions.AddOrUpdate(setCookieHeader, cookie);
        return cookie;
    }

    /// <summary>The data of a deletion header a library storage returned, found by the string's identity.</summary>
    internal static SessionCookie? FindDeletion(string header) => Deletions.TryGetValue(header, out var cookie) ? cookie : null;
}
