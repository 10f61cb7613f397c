namespace Remastered.Sessions;

/// <summary>
/// What every server-side storage shares (memory, Redis, a distributed cache): the encrypted cookie that carries the
/// session id, the idle timeout and the absolute lifetime, validated in one place.
/// </summary>
public abstract class ServerSessionOptions
{
    /// <summary>The cookie that carries the encrypted session id.</summary>
    public CookieSessionOptions Cookie { get; set; } = new();

    /// <summary>How long a session lives without requests (sliding). 20 minutes by default; at most 100 years.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a session lives at most after it was created, however active. One day by default; at most 100 years.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Checks the options, throwing an <see cref="ArgumentException"/> that names the first invalid setting.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public virtual void Validate()
    {
        if (Cookie is null)
        {
            throw new ArgumentException("Cookie options are required: the session id travels in an encrypted cookie.", nameof(Cookie));
        }

        Cookie.Validate();
        CookieSessionOptions.ValidateLifetime(IdleTimeout, nameof(IdleTimeout));
        CookieSessionOptions.ValidateLifetime(AbsoluteLifetime, nameof(AbsoluteLifetime));
    }
}
