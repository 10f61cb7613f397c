namespace Remastered.Sessions.Redis;

/// <summary>Settings of <see cref="RedisSessionStorage"/>.</summary>
public sealed class RedisSessionOptions
{
    /// <summary>The encrypted cookie that carries the session id.</summary>
    public CookieSessionOptions Cookie { get; set; } = new();

    /// <summary>Prefixes every Redis key, so that several applications can share one Redis. Defaults to <c>remastered:session:</c>.</summary>
    public string KeyPrefix { get; set; } = "remastered:session:";

    /// <summary>The Redis database number; -1 (the default) is the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>
    /// A session unused for this long expires (sliding). Requests renew the expiry, to 1.25 times this, once a quarter
    /// of this has passed since the last renewal, so a session expires between this and 1.25 times this after its last
    /// request. Defaults to 20 minutes.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>A session expires this long after creation, however active. Defaults to 1 day.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Opt-in optimistic concurrency for the same key: a commit that changes a key which another request changed since
    /// this request loaded it writes nothing and throws <see cref="SessionConflictException"/>. Off by default, where
    /// the last writer of a key wins (changes to different keys never conflict either way).
    /// </summary>
    public bool DetectConflicts { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Cookie is null)
        {
            throw new ArgumentException("Cookie options are required: the session id travels in an encrypted cookie.", nameof(Cookie));
        }

        Cookie.Validate();
        if (IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"IdleTimeout must be positive; it was {IdleTimeout}.", nameof(IdleTimeout));
        }

        if (AbsoluteLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"AbsoluteLifetime must be positive; it was {AbsoluteLifetime}.", nameof(AbsoluteLifetime));
        }

        if (KeyPrefix is null)
        {
            throw new ArgumentException("KeyPrefix must not be null (it may be empty).", nameof(KeyPrefix));
        }
    }
}
