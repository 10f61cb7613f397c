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
    /// How long a cookie lives after it was last written. Sent as <c>Max-Age</c> (never past the end of
    /// <see cref="AbsoluteLifetime"/>) and, independently of what the client does with it, enforced through the expiry
    /// inside the encrypted payload. Defaults to 14 days; at most 100 years.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// Whether a cookie that has used up half its <see cref="MaxAge"/> is re-issued by the next commit even when the
    /// application changed nothing, so that active users are not signed out. Defaults to <see langword="true"/>.
    /// </summary>
    public bool SlidingRenewal { get; set; } = true;

    /// <summary>
    /// Whether the cookie carries <c>Max-Age</c> and <c>Expires</c>, so that the browser keeps it across restarts until
    /// <see cref="MaxAge"/> runs out. <see langword="false"/> sends a browser-session cookie, as ASP.NET Core's own
    /// session cookie is: the browser drops it when it closes (browsers that restore the last session may keep it).
    /// Either way the server stops accepting it <see cref="MaxAge"/> after it was last written, through the expiry inside
    /// the encrypted payload, and <see cref="AbsoluteLifetime"/> after the session began. Defaults to <see langword="true"/>.
    /// </summary>
    public bool Persistent { get; set; } = true;

    /// <summary>
    /// The longest a session lives after it was created, however often its cookie is renewed: the creation time
    /// travels inside the encrypted payload and survives renewals. 30 days by default, so a stolen cookie that keeps
    /// being used still dies within a month; shorten it for high-value applications. At most 100 years.
    /// </summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// An optional purpose bound into every cookie's authentication, beside the cookie name and the kind of storage:
    /// a cookie issued under one purpose never opens under another, even with the same name and secrets.
    /// </summary>
    public string? Purpose { get; set; }

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
            throw new ArgumentException($"At least one secret is required to encrypt session cookies (in configuration: Cookie:Secrets under the section you bound, as a list, Cookie:Secrets:0, or one string; in environment variables: ...__Cookie__Secrets__0). Keep it out of source control. {HowToGenerate}", nameof(Secrets));
        }

        for (var i = 0; Protector is null && i < Secrets!.Count; i++)
        {
            var secret = Secrets[i];
            var length = secret is null ? 0 : Encoding.UTF8.GetByteCount(secret);
            if (length < MinimumSecretLength)
            {
                throw new ArgumentException($"Secret #{i + 1} is {length} bytes long; session secrets must be at least {MinimumSecretLength} bytes of UTF-8 so they cannot be guessed. {HowToGenerate}", nameof(Secrets));
            }

            if (LooksGuessable(secret!, out var why))
            {
                throw new ArgumentException($"Secret #{i + 1} looks guessable ({why}). {HowToGenerate}", nameof(Secrets));
            }
        }

        ValidateLifetime(MaxAge, nameof(MaxAge));
        ValidateLifetime(AbsoluteLifetime, nameof(AbsoluteLifetime));

        // Cookie prefixes (RFC 6265bis): browsers refuse a __Host- cookie unless it is Secure, for Path=/ and host-only,
        // which is what makes it immune to a sibling subdomain planting its own.
        if (Name.StartsWith("__Host-", StringComparison.OrdinalIgnoreCase) && (!Secure || Path != "/" || Domain is not null))
        {
            throw new ArgumentException($"The cookie name '{Name}' has the __Host- prefix, which requires Secure = true, Path = \"/\" and no Domain.", nameof(Name));
        }

        if (Name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase) && !Secure)
        {
            throw new ArgumentException($"The cookie name '{Name}' has the __Secure- prefix, which requires Secure = true.", nameof(Name));
        }

        if (!Enum.IsDefined(SameSite))
        {
            // A number from configuration ("SameSite": 99) binds to an undefined value, and the cookie would go out with
            // no SameSite attribute at all.
            throw new ArgumentException($"SameSite must be Lax, Strict or None; it was {(int)SameSite}.", nameof(SameSite));
        }

        if (SameSite == CookieSameSite.None && !Secure)
        {
            throw new ArgumentException("SameSite=None requires Secure: browsers reject such cookies otherwise.", nameof(SameSite));
        }

        if (MaxCookieSize < 256)
        {
            throw new ArgumentException($"MaxCookieSize must be at least 256 bytes; it was {MaxCookieSize}.", nameof(MaxCookieSize));
        }

        // A path that does not start with '/' is ignored by browsers (they use a default path instead).
        if (string.IsNullOrEmpty(Path) || Path[0] != '/' || Path.AsSpan().IndexOfAny(";\r\n") >= 0)
        {
            throw new ArgumentException($"Path must start with '/' and contain no ';' or line breaks; it was '{Path}'.", nameof(Path));
        }

        // A host name only (browsers drop a cookie whose Domain is a URL or carries a port): "example.com", ".example.com".
        if (Domain is not null && (Domain.Length == 0 || Domain.AsSpan().IndexOfAny("; \r\n/:") >= 0))
        {
            throw new ArgumentException($"Domain must be null or a host name such as example.com (no scheme, port, path, ';', spaces or line breaks); it was '{Domain}'.", nameof(Domain));
        }
    }

    /// <summary>A copy for callers to look at: the secrets stay with the storage.</summary>
    internal CookieSessionOptions CloneWithoutSecrets()
    {
        var copy = Clone();
        copy.Secrets = new List<string>();
        return copy;
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
        Persistent = Persistent,
        AbsoluteLifetime = AbsoluteLifetime,
        Purpose = Purpose,
        MaxCookieSize = MaxCookieSize,
    }.WithProtector(Protector);

    private CookieSessionOptions WithProtector(SessionCookieProtector? protector)
    {
        Protector = protector;
        return this;
    }

    private const string HowToGenerate = "Use random bytes: CookieSessionOptions.GenerateSecret(), or `openssl rand -base64 32`.";

    /// <summary>A new random secret: 32 bytes from the operating system's cryptographic generator, as base64.</summary>
    /// <example><code>dotnet user-secrets set "Sessions:Cookie:Secrets:0" "$(openssl rand -base64 32)"</code></example>
    public static string GenerateSecret() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Refuses what no random generator produces at this length: few distinct characters, a short pattern repeated
    /// (<c>"password"</c> four times, with or without a partial repeat at the end), or too little character entropy for 96 bits. A check of the text, not a proof of
    /// randomness: a dictionary phrase can still pass, so generate secrets.
    /// </summary>
    private static bool LooksGuessable(string secret, out string why)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in secret)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        if (counts.Count < 10)
        {
            why = $"only {counts.Count} distinct characters";
            return true;
        }

        for (var period = 1; period <= secret.Length / 2; period++)
        {
            if (IsRepetition(secret, period))
            {
                why = $"a {period}-character pattern repeated";
                return true;
            }
        }

        var bits = 0.0;
        foreach (var count in counts.Values)
        {
            var p = (double)count / secret.Length;
            bits -= p * Math.Log2(p) * secret.Length;
        }

        if (bits < 96)
        {
            why = $"about {(int)bits} bits of character entropy, under 96";
            return true;
        }

        why = string.Empty;
        return false;
    }

    private static bool IsRepetition(string text, int period)
    {
        for (var i = period; i < text.Length; i++)
        {
            if (text[i] != text[i - period])
            {
                return false;
            }
        }

        return true;
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

    /// <summary>The longest lifetime or timeout a storage accepts: 100 years, which any date the storages compute can hold.</summary>
    internal static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(36_500);

    /// <summary>Refuses a lifetime or timeout that is not positive, or too long to be added to a date (a commit would throw).</summary>
    internal static void ValidateLifetime(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive; it was {value}.", name);
        }

        if (value > MaximumLifetime)
        {
            throw new ArgumentException($"{name} must be at most {MaximumLifetime.TotalDays:0} days (100 years); it was {value.TotalDays:0} days.", name);
        }
    }
}
