using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
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
/// The protected plaintext is <c>issuedAtMs(8) | expiresAtMs(8) | createdAtMs(8) | body</c>, so expiry is authenticated
/// and enforced on read whatever the client did with <c>Max-Age</c>: the payload's own expiry, <c>MaxAge</c> from the issue
/// time as currently configured (shortening it takes effect for cookies already out), and the absolute lifetime from the
/// session's creation, which renewals carry over.
/// </remarks>
internal sealed class EncryptedCookieCodec
{
    private const int TimestampsSize = 24;

    /// <summary>How many cookies of the session's name one request may make us try.</summary>
    private const int MaxCandidates = 4;
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);

    private readonly SessionCookieProtector _protector;
    private readonly string _context;
    private readonly string _storageTag;
    private readonly string _attributes;
    private readonly string _expiredCookie;
    private volatile CachedAttributes? _cachedAttributes;

    public EncryptedCookieCodec(CookieSessionOptions options, CookiePurpose purpose, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();

        // Bound into every value's authentication (the protector's context): a cookie minted by one kind of storage,
        // or under another purpose, never opens in another, even with the same name and secret.
        _storageTag = purpose switch
        {
            CookiePurpose.SessionBody => "cookie",
            CookiePurpose.ServerSessionId => "server",
            _ => "wrapped",
        };
        _context = string.Concat(Options.Name, "\u001f", purpose switch
        {
            CookiePurpose.SessionBody => "session-body",
            CookiePurpose.ServerSessionId => "server-session-id",
            _ => "wrapped-storage",
        }, Options.Purpose is null ? string.Empty : "\u001f" + Options.Purpose);
        Logger = logger ?? NullLogger.Instance;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _protector = Options.Protector ?? new AesGcmCookieProtector(Options.Secrets);
        _attributes = BuildAttributes(Options);
        _expiredCookie = $"{Options.Name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT{_attributes}";
        ExpiredCookieData = SessionCookie.Deletion(Options, _expiredCookie);
    }

    public CookieSessionOptions Options { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    public string ExpiredCookie => _expiredCookie;

    /// <summary><see cref="ExpiredCookie"/> as data.</summary>
    public SessionCookie ExpiredCookieData { get; }

    /// <summary>
    /// Finds the first of at most four cookies with the configured name that decrypts and has not expired. Rejections
    /// are logged once per request, with their count; nothing throws.
    /// </summary>
    /// <param name="header">The <c>Cookie</c> header.</param>
    /// <param name="payload">The decrypted payload.</param>
    /// <param name="keepBody">
    /// Decrypt into an exactly sized array the caller keeps (its values slice it), instead of a pooled buffer that is
    /// cleared and returned on dispose.
    /// </param>
    public bool TryRead(string? header, out UnprotectedPayload payload, bool keepBody = false)
    {
        payload = default;
        if (string.IsNullOrEmpty(header))
        {
            SessionTelemetry.RecordLoad(_storageTag, "new");
            return false;
        }

        var now = TimeProvider.GetUtcNow();
        var reader = new CookieHeader.Reader(header.AsSpan(), Options.Name);
        var rejected = 0;
        var loaded = false;
        var firstReason = CookieRejectionReason.Malformed;
        try
        {
            // A few candidates at most: a header stuffed with copies of the cookie must not cost one decryption each.
            while (rejected < MaxCandidates && reader.TryNext(out var value))
            {
                if (value.IsEmpty)
                {
                    // "name=" carries nothing (what some clients keep sending after a deletion): as if it were absent.
                    continue;
                }

                CookieRejectionReason reason;
                if (keepBody && _protector is AesGcmCookieProtector aes)
                {
                    // The default protector decrypts in place, into the array that is kept: its values are slices of it.
                    if (aes.TryUnprotectInPlace(_context, value, out var token, out var usedRetiredKey, out reason))
                    {
                        var kept = token.AsMemory(AesGcmCookieProtector.PlaintextOffset, token.Length - AesGcmCookieProtector.Overhead);
                        if (TryCheckTimes(kept.Span, now, out var issuedAt, out var createdAt, out reason))
                        {
                            payload = new UnprotectedPayload(kept, TimestampsSize, issuedAt, createdAt, usedRetiredKey, now);
                            SessionTelemetry.RecordLoad(_storageTag, "loaded");
                            loaded = true;
                            return true;
                        }

                        CryptographicOperations.ZeroMemory(token);
                    }
                }
                else
                {
                    var plaintext = ExactBufferWriter.Rent();
                    if (TryOpen(value, plaintext, now, out var issuedAt, out var createdAt, out var retired, out reason))
                    {
                        // A kept body outlives the request (its values are slices of it); otherwise it is cleared on dispose.
                        payload = keepBody
                            ? new UnprotectedPayload(plaintext.Detach(), TimestampsSize, issuedAt, createdAt, retired, now)
                            : new UnprotectedPayload(plaintext, TimestampsSize, issuedAt, createdAt, retired, now);
                        SessionTelemetry.RecordLoad(_storageTag, "loaded");
                        loaded = true;
                        return true;
                    }

                    plaintext.Discard();
                }

                firstReason = rejected == 0 ? reason : firstReason;
                rejected++;
            }

            if (rejected == 0)
            {
                SessionTelemetry.RecordLoad(_storageTag, "new");
            }

            return false;
        }
        finally
        {
            // One event per request, however many candidates were refused; none says a fresh session started when a
            // later candidate opened (another application's cookie of the same name, sent first by the browser).
            if (rejected > 0 && loaded)
            {
                Log.OtherCookiesRefused(Logger, Options.Name, rejected, firstReason);
            }
            else if (rejected > 0)
            {
                Log.CookieRejected(Logger, Options.Name, firstReason, rejected);
                SessionTelemetry.RecordLoad(_storageTag, "rejected", firstReason);
            }
        }
    }

    private bool TryOpen(ReadOnlySpan<char> value, ExactBufferWriter plaintext, DateTimeOffset now, out DateTimeOffset issuedAt, out DateTimeOffset createdAt, out bool retired, out CookieRejectionReason reason)
    {
        issuedAt = default;
        createdAt = default;
        if (value.Length > AesGcmCookieProtector.MaxValueLength)
        {
            retired = false;
            reason = CookieRejectionReason.Malformed;
            return false;
        }

        if (!_protector.TryUnprotect(_context, value, plaintext, out retired, out reason))
        {
            return false;
        }

        return TryCheckTimes(plaintext.WrittenMemory.Span, now, out issuedAt, out createdAt, out reason);
    }

    /// <summary>Reads the times stamped into a decrypted payload and refuses it if it is not valid at <paramref name="now"/>.</summary>
    private bool TryCheckTimes(ReadOnlySpan<byte> data, DateTimeOffset now, out DateTimeOffset issuedAt, out DateTimeOffset createdAt, out CookieRejectionReason reason)
    {
        issuedAt = default;
        createdAt = default;
        if (data.Length < TimestampsSize)
        {
            reason = CookieRejectionReason.Malformed;
            return false;
        }

        var issuedMs = BinaryPrimitives.ReadInt64BigEndian(data);
        var expiresMs = BinaryPrimitives.ReadInt64BigEndian(data[8..]);
        var createdMs = BinaryPrimitives.ReadInt64BigEndian(data[16..]);
        var nowMs = now.ToUnixTimeMilliseconds();
        if (issuedMs > (now + AllowedClockSkew).ToUnixTimeMilliseconds() || issuedMs < 0 || createdMs < 0 || createdMs > issuedMs)
        {
            reason = CookieRejectionReason.IssuedInFuture;
            return false;
        }

        if (createdMs + (long)Options.AbsoluteLifetime.TotalMilliseconds <= nowMs)
        {
            reason = CookieRejectionReason.AbsoluteLifetimeExceeded;
            return false;
        }

        // The payload's expiry, and MaxAge as configured now: shortening MaxAge applies to cookies already issued.
        if (expiresMs <= nowMs || issuedMs + (long)Options.MaxAge.TotalMilliseconds <= nowMs)
        {
            reason = CookieRejectionReason.Expired;
            return false;
        }

        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(issuedMs);
        createdAt = DateTimeOffset.FromUnixTimeMilliseconds(createdMs);
        reason = default;
        return true;
    }

    /// <summary>Whether a cookie that was just read should be re-issued at the next commit.</summary>
    public bool NeedsRenewal(in UnprotectedPayload payload)
    {
        var retired = payload.UsedRetiredKey;
        var aging = Options.SlidingRenewal && payload.ReadAt - payload.IssuedAt > Options.MaxAge / 2;
        if (retired || aging)
        {
            Log.CookieRenewalScheduled(Logger, Options.Name, retired);
            return true;
        }

        return false;
    }

    /// <summary>Encrypts <paramref name="body"/> into a full <c>Set-Cookie</c> value, refusing oversized ones.</summary>
    /// <param name="body">The body.</param>
    /// <param name="createdAt">When the session was created (from the cookie it was read from); <see langword="null"/> for a new one.</param>
    /// <param name="state">What <paramref name="measureKeys"/> measures when the cookie is too large.</param>
    /// <param name="measureKeys">Names the largest keys for the size error.</param>
    public SessionCookie Write<TState>(ReadOnlySpan<byte> body, DateTimeOffset? createdAt, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SealedLength(body.Length));
        var encrypted = false;
        try
        {
            body.CopyTo(buffer.AsSpan(PlaintextOffset + TimestampsSize));
            return Seal(buffer, TimestampsSize + body.Length, createdAt, state, measureKeys, ref encrypted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: !encrypted);
        }
    }

    /// <summary>
    /// Encrypts a body of <paramref name="bodyLength"/> bytes that <paramref name="writeBody"/> writes straight into the
    /// plaintext buffer (no copy of its own), into a full <c>Set-Cookie</c> value, refusing oversized ones.
    /// </summary>
    /// <param name="bodyLength">The exact number of bytes <paramref name="writeBody"/> writes.</param>
    /// <param name="writeBody">Writes the body; returns the number of bytes written.</param>
    /// <param name="createdAt">When the session was created (from the cookie it was read from); <see langword="null"/> for a new one.</param>
    /// <param name="state">What <paramref name="writeBody"/> writes and <paramref name="measureKeys"/> measures.</param>
    /// <param name="measureKeys">Names the largest keys for the size error.</param>
    public SessionCookie Write<TState>(int bodyLength, BodyWriter<TState> writeBody, DateTimeOffset? createdAt, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SealedLength(bodyLength));
        var encrypted = false;
        try
        {
            var written = writeBody(state, buffer.AsSpan(PlaintextOffset + TimestampsSize, bodyLength));
            if (written != bodyLength)
            {
                throw new InvalidOperationException($"The session body wrote {written} bytes where {bodyLength} were announced.");
            }

            return Seal(buffer, TimestampsSize + bodyLength, createdAt, state, measureKeys, ref encrypted);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: !encrypted);
        }
    }

    // The plaintext is written where the default protector's token carries its ciphertext, so that it is encrypted in
    // place: one buffer, which then holds no plaintext and needs no clearing.
    private const int PlaintextOffset = AesGcmCookieProtector.PlaintextOffset;

    private static int SealedLength(int bodyLength) => AesGcmCookieProtector.Overhead + TimestampsSize + bodyLength;

    /// <summary>
    /// Stamps the times into the first <see cref="TimestampsSize"/> bytes of the plaintext (<paramref name="plaintextLength"/>
    /// bytes at <see cref="PlaintextOffset"/> in <paramref name="buffer"/>) and encrypts it; <paramref name="encrypted"/>
    /// tells whether the buffer holds ciphertext only.
    /// </summary>
    private SessionCookie Seal<TState>(byte[] buffer, int plaintextLength, DateTimeOffset? createdAt, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys, ref bool encrypted)
    {
        var plaintext = buffer.AsSpan(PlaintextOffset, plaintextLength);
        var now = TimeProvider.GetUtcNow();
        var created = createdAt ?? now;

        // A renewal never takes the cookie past the session's absolute lifetime: neither the payload's expiry nor what
        // the browser is told (near the end of the lifetime, or with a MaxAge longer than it, both stop at its end).
        var maxAge = Options.MaxAge;
        var attributes = ExpiryAttributes(now);
        var expires = now + Options.MaxAge;
        if (created + Options.AbsoluteLifetime < expires)
        {
            expires = created + Options.AbsoluteLifetime;
            maxAge = TimeSpan.FromSeconds(Math.Max(0, Math.Floor((expires - now).TotalSeconds)));
            attributes = FormatExpiryAttributes(maxAge, now + maxAge);
        }

        BinaryPrimitives.WriteInt64BigEndian(plaintext, now.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(plaintext[8..], expires.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(plaintext[16..], created.ToUnixTimeMilliseconds());
        if (_protector is AesGcmCookieProtector aes)
        {
            var (header, valueLength) = WriteFast(aes, buffer, plaintextLength, attributes, state, measureKeys, ref encrypted);
            return SessionCookie.Issued(Options, header, valueLength, maxAge, now + maxAge);
        }

        var value = _protector.Protect(_context, plaintext);
        var setCookie = string.Concat(Options.Name, "=", value, attributes);
        ThrowIfTooLarge(setCookie.Length, state, measureKeys);
        SessionTelemetry.RecordCommit(_storageTag, setCookie.Length);
        return SessionCookie.Issued(Options, setCookie, value.Length, maxAge, now + maxAge);
    }

    /// <summary>
    /// The default protector's path: its exact size is known before encrypting (so an oversized session is refused
    /// without crypto work), the plaintext is encrypted in place, and the value is base64url-encoded straight into the
    /// one <c>Set-Cookie</c> string.
    /// </summary>
    private (string Header, int ValueLength) WriteFast<TState>(AesGcmCookieProtector aes, byte[] buffer, int plaintextLength, string attributes, TState state, Func<TState, IReadOnlyList<KeyValuePair<string, int>>> measureKeys, ref bool encrypted)
    {
        var tokenLength = AesGcmCookieProtector.Overhead + plaintextLength;
        var valueLength = Base64UrlCodec.GetEncodedLength(tokenLength);
        var size = Options.Name.Length + 1 + valueLength + attributes.Length;
        ThrowIfTooLarge(size, state, measureKeys);
        SessionTelemetry.RecordCommit(_storageTag, size);
        aes.Seal(_context, buffer.AsSpan(PlaintextOffset, plaintextLength), buffer);
        encrypted = true;
        return (string.Create(size, (Options.Name, buffer, tokenLength, valueLength, attributes), static (span, s) =>
        {
            s.Name.AsSpan().CopyTo(span);
            span[s.Name.Length] = '=';
            Base64UrlCodec.EncodeInto(s.buffer.AsSpan(0, s.tokenLength), span.Slice(s.Name.Length + 1, s.valueLength));
            s.attributes.AsSpan().CopyTo(span[(s.Name.Length + 1 + s.valueLength)..]);
        }), valueLength);
    }

    /// <summary>
    /// When the client's current cookie stops being accepted unless a request renews it: <see cref="CookieSessionOptions.MaxAge"/>
    /// after it was issued, never past the session's <see cref="CookieSessionOptions.AbsoluteLifetime"/>.
    /// </summary>
    public DateTimeOffset IdleExpiresAt(in UnprotectedPayload payload)
    {
        var idle = payload.IssuedAt + Options.MaxAge;
        var end = payload.CreatedAt + Options.AbsoluteLifetime;
        return idle < end ? idle : end;
    }

    /// <summary><c>; Max-Age=…; Expires=…</c> plus the fixed attributes, formatted once per second rather than per commit.</summary>
    private string ExpiryAttributes(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var cached = _cachedAttributes;
        if (cached is not null && cached.Second == second)
        {
            return cached.Text;
        }

        var text = FormatExpiryAttributes(Options.MaxAge, now + Options.MaxAge);
        _cachedAttributes = new CachedAttributes(second, text);
        return text;
    }

    private string FormatExpiryAttributes(TimeSpan maxAge, DateTimeOffset expires)
        => !Options.Persistent ? _attributes : string.Concat(
            "; Max-Age=", ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "; Expires=", expires.UtcDateTime.ToString("R", CultureInfo.InvariantCulture),
            _attributes);

    private sealed record CachedAttributes(long Second, string Text);

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

/// <summary>Writes a cookie body into <paramref name="destination"/>; returns the number of bytes written.</summary>
/// <typeparam name="TState">What is written.</typeparam>
/// <param name="state">What is written.</param>
/// <param name="destination">Exactly the announced length.</param>
internal delegate int BodyWriter<in TState>(TState state, Span<byte> destination);

/// <summary>A decrypted cookie body, owned (dispose clears it) or kept by the caller.</summary>
internal readonly struct UnprotectedPayload : IDisposable
{
    private readonly ExactBufferWriter? _owned;
    private readonly ReadOnlyMemory<byte> _kept;
    private readonly int _bodyOffset;

    public UnprotectedPayload(ExactBufferWriter owned, int bodyOffset, DateTimeOffset issuedAt, DateTimeOffset createdAt, bool usedRetiredKey, DateTimeOffset readAt)
        : this(owned, default, bodyOffset, issuedAt, createdAt, usedRetiredKey, readAt)
    {
    }

    public UnprotectedPayload(ReadOnlyMemory<byte> kept, int bodyOffset, DateTimeOffset issuedAt, DateTimeOffset createdAt, bool usedRetiredKey, DateTimeOffset readAt)
        : this(null, kept, bodyOffset, issuedAt, createdAt, usedRetiredKey, readAt)
    {
    }

    private UnprotectedPayload(ExactBufferWriter? owned, ReadOnlyMemory<byte> kept, int bodyOffset, DateTimeOffset issuedAt, DateTimeOffset createdAt, bool usedRetiredKey, DateTimeOffset readAt)
    {
        _owned = owned;
        _kept = kept;
        _bodyOffset = bodyOffset;
        IssuedAt = issuedAt;
        CreatedAt = createdAt;
        UsedRetiredKey = usedRetiredKey;
        ReadAt = readAt;
    }

    public ReadOnlySpan<byte> Body => BodyMemory.Span;

    /// <summary>The body; with <c>keepBody</c> it outlives the payload, otherwise only until dispose.</summary>
    public ReadOnlyMemory<byte> BodyMemory => _owned is not null ? _owned.WrittenMemory[_bodyOffset..] : _kept[_bodyOffset..];

    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the session was first created: renewals carry it over.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether a retired secret (not the first) or the previous format opened it.</summary>
    public bool UsedRetiredKey { get; }

    /// <summary>The time its expiry was checked against: one clock read serves the whole load.</summary>
    public DateTimeOffset ReadAt { get; }

    public void Dispose() => _owned?.Discard();
}

/// <summary>What a cookie carries, bound into its authentication so that storages never read each other's cookies.</summary>
internal enum CookiePurpose
{
    /// <summary>The whole session (<see cref="CookieSessionStorage"/>).</summary>
    SessionBody,

    /// <summary>The id of a session kept on the server (memory, Redis, distributed cache).</summary>
    ServerSessionId,

    /// <summary>The header of a storage wrapped with <see cref="SessionStorage.WithEncryptedCookies{TValue, TMetadata}"/>.</summary>
    WrappedStorage,
}
