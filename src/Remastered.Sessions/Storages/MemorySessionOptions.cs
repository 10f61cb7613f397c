namespace Remastered.Sessions;

/// <summary>Settings of <see cref="MemorySessionStorage"/>.</summary>
public sealed class MemorySessionOptions
{
    /// <summary>The encrypted cookie that carries the session id.</summary>
    public CookieSessionOptions Cookie { get; set; } = new();

    /// <summary>A session not used for this long is dropped (sliding). Defaults to 20 minutes, as ASP.NET Core's session.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>A session is dropped this long after it was created, however active. Defaults to 1 day.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The most sessions kept at once; when full, the least recently used is evicted. Defaults to 100,000, so a flood
    /// of cookie-less requests cannot exhaust memory.
    /// </summary>
    public int MaxSessions { get; set; } = 100_000;

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

        if (MaxSessions < 1)
        {
            throw new ArgumentException($"MaxSessions must be at least 1; it was {MaxSessions}.", nameof(MaxSessions));
        }
    }
}
