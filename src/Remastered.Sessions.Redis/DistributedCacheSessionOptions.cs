namespace Remastered.Sessions.Redis;

/// <summary>Settings of <see cref="DistributedCacheSessionStorage"/>.</summary>
public sealed class DistributedCacheSessionOptions
{
    /// <summary>The encrypted cookie that carries the session id.</summary>
    public CookieSessionOptions Cookie { get; set; } = new();

    /// <summary>Prefixes every cache key. Defaults to <c>remastered:session:</c>.</summary>
    public string KeyPrefix { get; set; } = "remastered:session:";

    /// <summary>Sliding expiration of an entry. Defaults to 20 minutes.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Absolute lifetime of a session. Defaults to 1 day.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(1);
}
