namespace Remastered.Sessions;

/// <summary>A storage whose sessions travel in a cookie: integrations use the name to keep two storages' cookies apart.</summary>
public interface ISessionCookieStorage
{
    /// <summary>The name of the cookie the storage reads and writes.</summary>
    string CookieName { get; }
}
