using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// The shared cookie half of every cookie-carried storage: finds the session cookie in a <c>Cookie</c> header,
/// decrypts it, enforces the expiry inside it, and builds the <c>Set-Cookie</c> value of a commit.
/// </summary>
/// <remarks>
/// The protected plaintext is <c>issuedAtMs(8) | expiresAtMs(8) | body</c>, so expiry is authenticated and enforced on
/// read whatever the client did with <c>Max-Age</c>.
/// </remarks>
internal sealed class EncryptedCookieCodec
{
    private const int TimestampsSize = 16;
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private readonly SessionCookieProtector _protector;
    private readonly string _attributes;
    private readonly string _expiredCookie;

    public EncryptedCookieCodec(CookieSessionOptions options, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        Logger = logger ?? NullLogger.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _protector = Options.Protector ?? new AesGcmCookieProtector(Options.Secrets);
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
            var plaintext = new PooledByteBufferWriter(value.Length);
            if (TryOpen(value, plaintext, now, out var issuedAt, out var retired, out var reason))
            {
                payload = new UnprotectedPayload(plaintext, TimestampsSize, issuedAt, retired);
                return true;
            }

            plaintext.Dispose();
            Log.CookieRejected(Logger, Options.Name, reason);
        }

        return false;
    }

    private bool TryOpen(ReadOnlySpan<char> value, PooledByteBufferWriter plaintext, DateTimeOffset now, out DateTimeOffset issuedAt, out bool retired, out CookieRejectionReason reason)
    {
        issuedAt = default;
        if (value.Length > AesGcmCookieProtector.MaxValueLength)
        {
            retired = false;
            reason = CookieRejectionReason.Malformed;
            return false;
        }

        if (!_protector.TryUnprotect(Options.Name, value, plaintext, out retired, out reason))
        {
            return false;
        }

        var data = plaintext.WrittenSpan;
        if (data.Length < TimestampsSize)
        {
            reason = CookieRejectionReason.Malformed;
            return false;
        }

        var issuedMs = BinaryPrimitives.ReadInt64BigEndian(data);
        var expiresMs = BinaryPrimitives.ReadInt64BigEndian(data[8..]);
        if (expiresMs <= now.ToUnixTimeMilliseconds())
        {
            reason = CookieRejectionReason.Expired;
            return false;
        }

        if (issuedMs > (now + AllowedClockSkew).ToUnixTimeMilliseconds() || issuedMs < 0)
        {
            reason = CookieRejectionReason.IssuedInFuture;
            return false;
        }

        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        return true;
    }

    /// <summary>Whether a cookie that was just read should be re-issued at the next commit.</summary>
    public bool NeedsRenewal(in UnprotectedPayload payload)
    {
        var retired = payload.UsedRetiredKey;
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
        var now = TimeProvider.GetUtcNow();
        var expires = now + Options.MaxAge;
        var maxAge = ((long)Options.MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var expiresText = expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

        // Refuse before encrypting when the default protector's exact size already tells.
        if (Options.Protector is null)
        {
            var predicted = Options.Name.Length + 1 + AesGcmCookieProtector.GetValueLength(TimestampsSize + body.Length)
                + "; Max-Age=".Length + maxAge.Length + "; Expires=".Length + expiresText.Length + _attributes.Length;
            ThrowIfTooLarge(predicted, state, measureKeys);
        }

        var rented = ArrayPool<byte>.Shared.Rent(TimestampsSize + body.Length);
        string value;
        try
        {
            var plaintext = rented.AsSpan(0, TimestampsSize + body.Length);
            BinaryPrimitives.WriteInt64BigEndian(plaintext, now.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteInt64BigEndian(plaintext[8..], expires.ToUnixTimeMilliseconds());
            body.CopyTo(plaintext[TimestampsSize..]);
            value = _protector.Protect(Options.Name, plaintext);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }

        var setCookie = string.Concat(Options.Name, "=", value, "; Max-Age=", maxAge, "; Expires=", expiresText, _attributes);
        ThrowIfTooLarge(setCookie.Length, state, measureKeys);
        return setCookie;
    }

    private void ThrowIfTooLarge<TState>(int size, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys)
    {
        if (size > Options.MaxCookieSize)
        {
            Log.SessionTooLarge(Logger, Options.Name, size, Options.MaxCookieSize);
            throw new SessionTooLargeException(Options.Name, size, Options.MaxCookieSize, measureKeys(state));
        }
    }

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

/// <summary>A decrypted cookie body in a pooled buffer; dispose to return (and clear) it.</summary>
internal readonly struct UnprotectedPayload(PooledByteBufferWriter buffer, int bodyOffset, DateTimeOffset issuedAt, bool usedRetiredKey) : IDisposable
{
    public ReadOnlySpan<byte> Body => buffer.WrittenSpan[bodyOffset..];

    public DateTimeOffset IssuedAt => issuedAt;

    /// <summary>Whether a retired secret (not the first) opened it.</summary>
    public bool UsedRetiredKey => usedRetiredKey;

    public void Dispose() => buffer?.Dispose();
}
