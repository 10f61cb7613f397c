namespace Remastered.Sessions;

/// <summary>The <c>SameSite</c> attribute of a session cookie.</summary>
public enum CookieSameSite
{
    /// <summary>No attribute is sent; the browser applies its own default.</summary>
    Unspecified,

    /// <summary><c>SameSite=None</c>: sent on cross-site requests too (requires <c>Secure</c>).</summary>
    None,

    /// <summary><c>SameSite=Lax</c>: sent on top-level navigations from other sites, not on their sub-requests. The default.</summary>
    Lax,

    /// <summary><c>SameSite=Strict</c>: never sent on requests that start on another site.</summary>
    Strict,
}
