using System.Text;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.Cookies;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions;

/// <summary>
/// The design's <c>withEncryptedCookies</c>: wraps a storage whose header is a plain string (an id, a JSON
/// document) so that it travels in an encrypted, authenticated, expiring cookie. The wrapped storage's reading phase
/// receives the decrypted string (or <see langword="null"/> when there is no valid cookie); its commit phase returns
/// the string to encrypt.
/// </summary>
/// <typeparam name="TValue">What the wrapped storage can hold.</typeparam>
/// <typeparam name="TMetadata">The wrapped storage's metadata.</typeparam>
/// <remarks>
/// A missing, truncated, garbage, tampered, expired, wrong-key or wrong-version cookie is logged and treated as
/// absent. A cookie read with a retired secret is re-encrypted with the current one at the next commit.
/// </remarks>
/// <example>
/// <code>
/// var storage = SessionStorage.WithEncryptedCookies(new MyIdStorage(),
///     new CookieSessionOptions { Name = "sid", Secrets = [secret] });
/// </code>
/// </example>
public sealed class EncryptedCookieStorage<TValue, TMetadata> : ISessionStorage<TValue, TMetadata>, ISessionStorageWithLogger, ISessionCookieStorage
{
    /// <inheritdoc />
    public string CookieName => _codec.Options.Name;

    private readonly ISessionStorage<TValue, TMetadata> _inner;
    private readonly EncryptedCookieCodec _codec;

    /// <summary>Wraps <paramref name="inner"/> in encrypted cookies.</summary>
    /// <param name="inner">The storage whose header becomes the cookie's encrypted content.</param>
    /// <param name="options">The cookie's name, secrets and attributes; validated here.</param>
    /// <param name="logger">Receives rejected-cookie and size events; optional.</param>
    /// <param name="timeProvider">The clock for issue and expiry times; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <exception cref="ArgumentException">The options are invalid (no secret, a secret shorter than 32 bytes, ...).</exception>
    public EncryptedCookieStorage(ISessionStorage<TValue, TMetadata> inner, CookieSessionOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(inner, options, CookiePurpose.WrappedStorage, logger, timeProvider)
    {
    }

    internal EncryptedCookieStorage(ISessionStorage<TValue, TMetadata> inner, CookieSessionOptions options, CookiePurpose purpose, ILogger? logger, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _codec = new EncryptedCookieCodec(options, purpose, logger, timeProvider);
    }

    /// <summary>A copy of the cookie settings in force, without the secrets; changing it changes nothing.</summary>
    public CookieSessionOptions CookieOptions => _codec.Options.CloneWithoutSecrets();

    /// <inheritdoc />
    public ILogger Logger => _codec.Logger;

    /// <inheritdoc />
    public async ValueTask<SessionReadResult<TValue, TMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
    {
        string? plaintext = null;
        var renew = false;
        DateTimeOffset? createdAt = null;
        DateTimeOffset? idleExpiresAt = null;
        if (_codec.TryRead(header, out var payload))
        {
            using (payload)
            {
                plaintext = Encoding.UTF8.GetString(payload.Body);
                renew = _codec.NeedsRenewal(payload);
                createdAt = payload.CreatedAt;
                idleExpiresAt = _codec.IdleExpiresAt(payload);
            }
        }

        var result = await _inner.FromHeaderAsync(plaintext, cancellationToken).ConfigureAwait(false);
        if (renew)
        {
            result.Session.RequiresCommit = true;
        }

        result.Session.CookieCreatedAt ??= createdAt;
        result.Session.CookieIdleExpiresAt ??= idleExpiresAt;
        result.Session.CurrentCookiePlaintext = renew ? null : plaintext;

        return result;
    }

    /// <inheritdoc />
    public async ValueTask<string> ToHeaderAsync(StoredSession<TValue> session, TMetadata metadata, CancellationToken cancellationToken = default)
    {
        var plaintext = await _inner.ToHeaderAsync(session, metadata, cancellationToken).ConfigureAwait(false);
        if (plaintext.Length == 0)
        {
            // The inner storage wrote nothing and wants no cookie sent (a session destroyed meanwhile).
            return string.Empty;
        }

        if (string.Equals(plaintext, session.CurrentCookiePlaintext, StringComparison.Ordinal))
        {
            // The client's cookie already says this and needs no renewal: the change lives on the server, send nothing.
            return string.Empty;
        }

        var cookie = _codec.Write(Encoding.UTF8.GetBytes(plaintext), session.CookieCreatedAt, session, static s => SessionSizeEstimator.LargestKeys(s));
        session.IssuedCookie = cookie;
        return cookie.SetCookieHeader;
    }

    /// <inheritdoc />
    public async ValueTask<string> DestroyAsync(TMetadata metadata, CancellationToken cancellationToken = default)
    {
        await _inner.DestroyAsync(metadata, cancellationToken).ConfigureAwait(false);
        return _codec.ExpiredCookie;
    }
}
