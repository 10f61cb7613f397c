using Microsoft.AspNetCore.Http;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Settings of the ASP.NET Core integration, bound from configuration (for example the <c>Sessions</c> section of
/// <c>appsettings.json</c>, environment variables such as <c>Sessions__Cookie__Secrets__0</c>, or user secrets) and
/// validated at start-up.
/// </summary>
/// <example>
/// <code>
/// "Sessions": {
///   "Cookie": { "Name": "session", "Secrets": [ "…32 or more bytes…" ], "MaxAge": "14.00:00:00" }
/// }
/// </code>
/// </example>
public sealed class RemasteredSessionOptions
{
    /// <summary>The cookie's name, secrets and attributes (also used to carry the token in header mode).</summary>
    public CookieSessionOptions Cookie { get; set; } = new();

    /// <summary>
    /// Protect cookies with ASP.NET Core Data Protection (the application's key ring) instead of
    /// <see cref="CookieSessionOptions.Secrets"/>. Key rotation and storage then follow the key ring's configuration.
    /// </summary>
    public bool UseDataProtection { get; set; }

    /// <summary>
    /// When the cookie gets the <c>Secure</c> attribute. Defaults to <see cref="CookieSecurePolicy.SameAsRequest"/>:
    /// over HTTPS always, over plain HTTP (local development) not, since clients would not send it back.
    /// <see cref="CookieSecurePolicy.Always"/> follows <see cref="CookieSessionOptions.Secure"/> whatever the request.
    /// A cookie browsers refuse without <c>Secure</c> (a <c>__Host-</c> or <c>__Secure-</c> name, or
    /// <c>SameSite=None</c>) always gets it, and <see cref="CookieSecurePolicy.None"/> with one is refused at start-up.
    /// </summary>
    public CookieSecurePolicy SecurePolicy { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>How the session travels. Defaults to <see cref="SessionTransport.Cookie"/>.</summary>
    public SessionTransport Transport { get; set; } = SessionTransport.Cookie;

    /// <summary>
    /// In header mode, the request header carrying the token. Defaults to <c>X-Session</c>. With <c>Authorization</c>
    /// the <c>Bearer</c> scheme is expected.
    /// </summary>
    public string HeaderName { get; set; } = "X-Session";

    /// <summary>
    /// In header mode, the response header carrying the updated token (empty when the session was destroyed).
    /// Defaults to <see cref="HeaderName"/>, or <c>X-Session-Token</c> when that is <c>Authorization</c>.
    /// </summary>
    public string? ResponseHeaderName { get; set; }

    /// <summary>
    /// For the memory storage: a session unused for this long is dropped. Defaults to 20 minutes. Where the integration
    /// builds a cookie storage (a schema over <see cref="CookieSessionStorage"/> without a storage factory), another
    /// value stops the app at start-up: that session lasts <see cref="CookieSessionOptions.MaxAge"/>.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// For server-side storages: a session is dropped this long after creation. Defaults to 1 day. Where the integration
    /// builds a cookie storage, another value stops the app at start-up (see <see cref="CookieSessionOptions.AbsoluteLifetime"/>).
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// For the memory storage: the most sessions kept. Defaults to 100,000. Where the integration builds a cookie
    /// storage, another value stops the app at start-up.
    /// </summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <summary>
    /// The <c>Retry-After</c> of the 503 answered while the session store cannot be reached. Five seconds by default.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the response of a request that ends the session (<c>SignOut</c>, <c>Destroy</c>, committed
    /// automatically) carries <c>Clear-Site-Data: "cache"</c>, so that the browser's Back button cannot show the pages
    /// of the signed-out session from its HTTP cache or back/forward cache. True by default; cookie transport only.
    /// Browsers honour it over HTTPS and on <c>localhost</c>; it also drops the site's other cached files (they are
    /// fetched again).
    /// </summary>
    public bool ClearBrowserCacheOnSignOut { get; set; } = true;

    /// <summary>Whether browsers refuse a cookie of this name without <c>Secure</c> (the <c>__Host-</c> and <c>__Secure-</c> prefixes).</summary>
    internal static bool NameRequiresSecure(string? name)
        => name is not null && (name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase));

    internal string EffectiveResponseHeaderName
        => ResponseHeaderName ?? (string.Equals(HeaderName, "Authorization", StringComparison.OrdinalIgnoreCase) ? "X-Session-Token" : HeaderName);
}
