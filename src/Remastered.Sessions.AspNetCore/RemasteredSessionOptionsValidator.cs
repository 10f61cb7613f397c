using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Validates <see cref="RemasteredSessionOptions"/> at start-up, naming the first invalid setting.</summary>
internal sealed class RemasteredSessionOptionsValidator(IEnumerable<SessionRegistration> registrations) : IValidateOptions<RemasteredSessionOptions>
{
    public ValidateOptionsResult Validate(string? name, RemasteredSessionOptions options)
    {
        // Messages name the schema: with several, "Cookie:Secrets" alone would not say whose.
        var registration = registrations.FirstOrDefault(r => r.OptionsName == name);
        var schema = registration?.Schema.Name ?? name ?? "Sessions";
        var failures = new List<string>();
        if (options.Cookie is null)
        {
            return ValidateOptionsResult.Fail($"{schema} session options: Cookie options are required.");
        }

        var cookie = options.Cookie;
        if ((options.UseDataProtection || (registration is { BuildsStorageFromOptions: false } && (cookie.Secrets is null || cookie.Secrets.Count == 0))) && !cookie.HasCustomProtector)
        {
            // The Data Protection protector is attached when the storage is built, and a storage from dependency
            // injection or a storageFactory may have secrets of its own, so none is required here (a factory that
            // builds from these options fails at start-up when the storage is built, if it needed them); secrets that
            // are given are validated as always. Validate a copy that has a protector.
            cookie = new CookieSessionOptions
            {
                Name = cookie.Name, Secrets = [.. cookie.Secrets ?? []], Path = cookie.Path, Domain = cookie.Domain,
                HttpOnly = cookie.HttpOnly, Secure = cookie.Secure, SameSite = cookie.SameSite, MaxAge = cookie.MaxAge,
                SlidingRenewal = cookie.SlidingRenewal, Persistent = cookie.Persistent, AbsoluteLifetime = cookie.AbsoluteLifetime, Purpose = cookie.Purpose, MaxCookieSize = cookie.MaxCookieSize,
            }.UseProtector(DataProtectionPlaceholder.Instance);
        }

        // The storages' own rules, in one place: the same validation a storage built from these options runs. The
        // cookie first, so that a failure names its setting's configuration path.
        try
        {
            cookie.Validate();
            try
            {
                new MemorySessionOptions { Cookie = cookie, IdleTimeout = options.IdleTimeout, AbsoluteLifetime = options.AbsoluteLifetime, MaxSessions = options.MaxSessions }.Validate();
            }
            catch (ArgumentException exception)
            {
                failures.Add($"{schema} session options: {exception.ParamName}: {exception.Message}");
            }
        }
        catch (ArgumentException exception)
        {
            failures.Add($"{schema} session options: Cookie:{exception.ParamName}: {exception.Message}");
        }

        if (options.RetryAfter <= TimeSpan.Zero)
        {
            failures.Add($"{schema} session options: RetryAfter must be positive; it was {options.RetryAfter}.");
        }

        if (options.Transport == SessionTransport.Header)
        {
            if (string.IsNullOrWhiteSpace(options.HeaderName))
            {
                failures.Add($"{schema} session options: HeaderName is required in header mode.");
            }
            else
            {
                var before = failures.Count;
                CheckHeaderName(nameof(options.HeaderName), options.HeaderName);
                // The response header defaults to the request header: Set-Cookie there would replace the app's cookies.
                // (A request header already refused is not reported a second time as the response header.)
                if (options.ResponseHeaderName is not null || failures.Count == before)
                {
                    CheckHeaderName(options.ResponseHeaderName is null ? nameof(options.HeaderName) + " (also the response header)" : nameof(options.ResponseHeaderName), options.EffectiveResponseHeaderName);
                }
            }
        }

        // The cookie storage keeps no server state, so the server-side lifetimes would be ignored without a word, and an
        // app that set "IdleTimeout": "01:00:00" would keep sessions for the cookie's 14 days (up to 30).
        if (registration is { BuildsCookieStorage: true })
        {
            var defaults = new RemasteredSessionOptions();
            foreach (var (setting, value, unchanged) in new[]
            {
                (nameof(options.IdleTimeout), options.IdleTimeout.ToString(), options.IdleTimeout == defaults.IdleTimeout),
                (nameof(options.AbsoluteLifetime), options.AbsoluteLifetime.ToString(), options.AbsoluteLifetime == defaults.AbsoluteLifetime),
                (nameof(options.MaxSessions), options.MaxSessions.ToString(System.Globalization.CultureInfo.InvariantCulture), options.MaxSessions == defaults.MaxSessions),
            })
            {
                if (!unchanged)
                {
                    failures.Add($"{schema} session options: {setting} is {value}, but it applies to server-side storages only and this schema's CookieSessionStorage would ignore it; the cookie storage's session lasts Cookie:MaxAge after the last renewal (sliding, {defaults.Cookie.MaxAge} by default) and at most Cookie:AbsoluteLifetime ({defaults.Cookie.AbsoluteLifetime}): set those instead (where a configuration section is shared with a server-side schema, set its server-side settings for that schema only).");
                }
            }
        }

        // Browsers refuse a prefixed cookie without Secure, so it is always sent with it (SessionRequestState); a policy
        // that never sends Secure could never keep a session.
        if (options.Transport == SessionTransport.Cookie && options.SecurePolicy == CookieSecurePolicy.None && RemasteredSessionOptions.NameRequiresSecure(cookie.Name))
        {
            failures.Add($"{schema} session options: SecurePolicy is None, but browsers refuse a cookie named '{cookie.Name}' without Secure; use SameAsRequest or Always.");
        }

        if (registration is not { BuildsStorageFromOptions: false } && options.Transport == SessionTransport.Cookie && options.SecurePolicy == CookieSecurePolicy.None && cookie.SameSite == CookieSameSite.None)
        {
            failures.Add($"{schema} session options: SecurePolicy is None, but browsers refuse a SameSite=None cookie without Secure; use SameAsRequest or Always, or another SameSite.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void CheckHeaderName(string setting, string value)
        {
            // An HTTP field name is a token (RFC 9110): ASCII letters, digits and !#$%&'*+-.^_`|~.
            if (value.Length == 0 || !value.All(c => c < 128 && (char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c))))
            {
                failures.Add($"{schema} session options: {setting} '{value}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only).");
            }
            else if (string.Equals(value, "Cookie", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add($"{schema} session options: {setting} cannot be '{value}', which carries cookies; choose a header of its own, such as X-Session.");
            }
        }
    }

    private sealed class DataProtectionPlaceholder : SessionCookieProtector
    {
        public static readonly DataProtectionPlaceholder Instance = new();

        public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext) => throw new NotSupportedException();

        public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, System.Buffers.IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
            => throw new NotSupportedException();
    }
}
