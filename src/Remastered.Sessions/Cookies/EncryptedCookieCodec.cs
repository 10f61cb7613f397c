using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// The shared cookie half of every cookie-carried storage: finds the session cookie in a <c>Cookie</c> header,
/// decrypts it, and builds the <c>Set-Cookie</c> value of a commit.
/// </summary>
internal sealed class EncryptedCookieCodec
{
    private readonly CookieProtector _protector;
    private readonly string _attributes;
    private readonly string _expiredCookie;

    public EncryptedCookieCodec(CookieSessionOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        Logger = logger ?? NullLogger.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _protector = new CookieProtector(Options.Secrets, Options.Name);
        _attributes = BuildAttributes(Options);
        _expiredCookie = $"{Options.Name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT{_attributes}";
    }

    public CookieSessionOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public string ExpiredCookie => _expiredCookie;

    /// <summary>
    /// Finds the first cookie with the configured name that decrypts and has not expired. Every rejected candidate is
    /// logged; nothing throws.
    /// </summary>
    public bool TryRead(string? header, out UnprotectedPayload payload)
    {
        payload = default;
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        var now = TimeProvider.GetUtcNow();
        var reader = new CookieHeader.Reader(header.AsSpan(), Options.Name);
        while (reader.TryNext(out var value))
        {
            if (_protector.TryUnprotect(value, now, out payload, out var reason))
            {
                return true;
            }

            Log.CookieRejected(Logger, Options.Name, reason);
        }

        return false;
    }

    /// <summary>Whether a cookie that was just read should be re-issued at the next commit.</summary>
    public bool NeedsRenewal(in UnprotectedPayload payload)
    {
        var retired = payload.KeyIndex > 0;
        var aging = Options.SlidingRenewal && TimeProvider.GetUtcNow() - payload.IssuedAt > Options.MaxAge / 2;
        if (retired || aging)
        {
            Log.CookieRenewalScheduled(Logger, Options.Name, retired);
            return true;
        }

        return false;
    }

    /// <summary>Encrypts <paramref name="body"/> into a full <c>Set-Cookie</c> value, refusing oversized ones.</summary>
    public string Write<TState>(ReadOnlySpan<byte> body, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys)
    {
        var size = Options.Name.Length + 1 + CookieProtector.GetTokenLength(body.Length) + MaxAgeAttributesLength + _attributes.Length;
        if (size > Options.MaxCookieSize)
        {
            Log.SessionTooLarge(Logger, Options.Name, size, Options.MaxCookieSize);
            throw new SessionTooLargeException(Options.Name, size, Options.MaxCookieSize, measureKeys(state));
        }

        var now = TimeProvider.GetUtcNow();
        var expires = now + Options.MaxAge;
        var token = _protector.Protect(body, now, expires);
        var maxAge = ((long)Options.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var expiresText = expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
        return string.Concat(Options.Name, "=", token, "; Max-Age=", maxAge, "; Expires=", expiresText, _attributes);
    }

    // "; Max-Age=" + up to 10 digits + "; Expires=" + 29-character RFC 1123 date.
    private const int MaxAgeAttributesLength = 10 + 10 + 10 + 29;

    private static string BuildAttributes(CookieSessionOptions options)
    {
        var builder = new StringBuilder();
        builder.Append("; Path=").Append(options.Path);
        if (options.Domain is not null)
        {
            builder.Append("; Domain=").Append(options.Domain);
        }

        if (options.Secure)
        {
            builder.Append("; Secure");
        }

        if (options.HttpOnly)
        {
            builder.Append("; HttpOnly");
        }

        switch (options.SameSite)
        {
            case CookieSameSite.None:
                builder.Append("; SameSite=None");
                break;
            case CookieSameSite.Lax:
                builder.Append("; SameSite=Lax");
                break;
            case CookieSameSite.Strict:
                builder.Append("; SameSite=Strict");
                break;
        }

        return builder.ToString();
    }
}
