namespace Remastered.Sessions.AspNetCore;

/// <summary>What the integration learns of a registered storage, looking through <see cref="JsonSessionStorage"/>.</summary>
internal static class StorageUnwrapping
{
    /// <summary>The cookie the storage writes, or <see langword="null"/> for a storage that names none.</summary>
    public static string? CookieName(object? storage) => storage switch
    {
        ISessionCookieStorage cookie => cookie.CookieName,
        JsonSessionStorage json => CookieName(json.Inner),
        _ => null,
    };

    /// <summary>The server-side storage, if the session lives on a server.</summary>
    public static IServerSessionStorage? ServerStorage(object? storage) => storage switch
    {
        IServerSessionStorage server => server,
        JsonSessionStorage json => ServerStorage(json.Inner),
        _ => null,
    };
}
