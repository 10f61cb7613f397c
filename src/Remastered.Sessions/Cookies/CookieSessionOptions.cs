using System.Text;

namespace Remastered.Sessions;

/// <summary>How a session is carried in an encrypted cookie: its name, secrets and attributes.</summary>
/// <remarks>
/// The defaults are the safe ones: <c>HttpOnly</c>, <c>Secure</c>, <c>SameSite=Lax</c>, <c>Path=/</c> and a
/// 14-day lifetime. Options are validated when a storage is constructed.
/// </remarks>
/// <example>
/// <code>
/// var options = new CookieSessionOptions { Name = "session", Secrets = [currentSecret, previousSecret] };
/// </code>
/// </example>
public sealed class CookieSessionOptions
{
    /// <summary>The smallest secret accepted, in UTF-8 bytes.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>The largest <c>Set-Cookie</c> value browsers are guaranteed to keep (RFC 6265, section 6.1).</summary>
    public const int BrowserCookieLimit = 4096;

    /// <summary>The cookie's name. Defaults to <c>session</c>.</summary>
    public string Name { get; set; } = "session";

    /// <summary>
    /// The secrets, newest first: the first encrypts, all decrypt. To rotate, put a new secret first and keep the
    /// old ones until every cookie encrypted with them has been re-issued or has expired. Each must be at least
    /// <see cref="MinimumSecretLength"/> bytes of UTF-8.
    /// </summary>
    public IList<string> Secrets { get; set; } = new List<string>();

    /// <summary>Whether <see cref="UseProtector"/> replaced the built-in encryption.</summary>
    public bool HasCustomProtector => Protector is not null;

    // Set in code only (UseProtector), never by configuration binding, hence not a public property.
    internal SessionCookieProtector? Protector { get; private set; }

    /// <summary>
    /// Replaces the built-in AES-256-GCM encryption, for example with ASP.NET Core Data Protection for teams that already
    /// run a key ring. <see cref="Secrets"/> is then not used and may be empty.
    /// </summary>
    /// <param name="protector">The protector.</param>
    /// <returns>These options.</returns>
    public CookieSessionOptions UseProtector(SessionCookieProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        Protector = protector;
        return this;
    }

    /// <summary>The cookie's <c>Path</c>. Defaults to <c>/</c>.</summary>
    public string Path { get; set; } = "/";

    /// <summary>The cookie's <c>Domain</c>; <see langword="null"/> (the default) keeps it host-only.</summary>
    public string? Domain { get; set; }

    /// <summary>Whether the cookie is hidden from scripts (<c>HttpOnly</c>). Defaults to <see langword="true"/>.</summary>
    public bool HttpOnly { get; set; } = true;

    /// <summary>Whether the cookie is sent only over HTTPS (<c>Secure</c>). Defaults to <see langword="true"/>.</summary>
    public bool Secure { get; set; } = true;

    /// <summary>The cookie's <c>SameSite</c> attribute. Defaults to <see cref="CookieSameSite.Lax"/>.</summary>
    public CookieSameSite SameSite { get; set; } = CookieSameSite.Lax;

    /// <summary>
    /// How long a cookie lives after it was last written. Sent as <c>Max-Age</c> and, independently of what the
    /// client does with it, enforced through the expiry inside the encrypted payload. Defaults to 14 days.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Whether a cookie that has used up half its <see cref="MaxAge"/> is re-issued by the next commit even when the
    /// application changed nothing, so that active users are not signed out. Defaults to <see langword="true"/>.
    /// </summary>
    public bool SlidingRenewal { get; set; } = true;

    /// <summary>
    /// The largest <c>Set-Cookie</c> value a commit may produce before throwing <see cref="SessionTooLargeException"/>.
    /// Defaults to <see cref="BrowserCookieLimit"/>.
    /// </summary>
    public int MaxCookieSize { get; set; } = BrowserCookieLimit;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || !IsToken(Name))
        {
            throw new ArgumentException($"The cookie name '{Name}' is not a valid cookie name (RFC 6265 token: no spaces, separators or control characters).", nameof(Name));
        }

        if (Protector is null && (Secrets is null || Secrets.Count == 0))
        {
            throw new ArgumentException("At least one secret is required to encrypt session cookies. Generate one with RandomNumberGenerator (32 bytes or more) and keep it out of source control.", nameof(Secrets));
        }

        for (var i = 0; Protector is null && i < Secrets!.Count; i++)
        {
            var secret = Secrets[i];
            var length = secret is null ? 0 : Encoding.UTF8.GetByteCount(secret);
            if (length < MinimumSecretLength)
            {
                throw new ArgumentException($"Secret #{i + 1} is {length} bytes long; session secrets must be at least {MinimumSecretLength} bytes of UTF-8 so they cannot be guessed.", nameof(Secrets));
            }
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxAge must be positive; it was {MaxAge}.", nameof(MaxAge));
        }

        if (SameSite == CookieSameSite.None && !Secure)
        {
            throw new ArgumentException("SameSite=None requires Secure: browsers reject such cookies otherwise.", nameof(SameSite));
        }

        if (MaxCookieSize < 256)
        {
            throw new ArgumentException($"MaxCookieSize must be at least 256 bytes; it was {MaxCookieSize}.", nameof(MaxCookieSize));
        }

        if (string.IsNullOrEmpty(Path) || Path.AsSpan().IndexOfAny(";\r\n") >= 0)
        {
            throw new ArgumentException("Path must be non-empty and contain no ';' or line breaks.", nameof(Path));
        }

        if (Domain is not null && (Domain.Length == 0 || Domain.AsSpan().IndexOfAny("; \r\n") >= 0))
        {
            throw new ArgumentException("Domain must be null or a host name without ';', spaces or line breaks.", nameof(Domain));
        }
    }

    internal CookieSessionOptions Clone() => new CookieSessionOptions
    {
        Name = Name,
        Secrets = Secrets is null ? new List<string>() : new List<string>(Secrets),
        Path = Path,
        Domain = Domain,
        HttpOnly = HttpOnly,
        Secure = Secure,
        SameSite = SameSite,
        MaxAge = MaxAge,
        SlidingRenewal = SlidingRenewal,
        MaxCookieSize = MaxCookieSize,
    }.WithProtector(Protector);

    private CookieSessionOptions WithProtector(SessionCookieProtector? protector)
    {
        Protector = protector;
        return this;
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".Contains(c))
            {
                return false;
            }
        }

        return true;
    }
}
