namespace Remastered.Sessions;

/// <summary>
/// A storage that keeps sessions on a server under an encrypted id cookie (memory, Redis, distributed cache, or one of
/// your own derived from <see cref="ServerSessionStorage{TValue, TMetadata}"/>): what tools need to know of its lifetimes.
/// </summary>
public interface IServerSessionStorage : ISessionCookieStorage
{
    /// <summary>How long a session lives on the server after its last request.</summary>
    TimeSpan IdleTimeout { get; }

    /// <summary>How long a session lives on the server at most, from its creation.</summary>
    TimeSpan AbsoluteLifetime { get; }
}
