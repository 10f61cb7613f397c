using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

using Microsoft.Extensions.Logging;
using Remastered.Sessions.Cookies;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions;

/// <summary>
/// Keeps the whole session (content and flashed keys) inside an encrypted cookie, each value as compact JSON: no server-side
/// state at all. Values must be JSON (<see cref="JsonSessionValue"/>); the cookie must stay under 4096 bytes.
/// </summary>
/// <example>
/// <code>
/// var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [secret] });
/// var store = await SessionStore.LoadAsync(storage, cookieHeader);
/// store.Set("user", "ada");
/// string? setCookie = await store.CommitAsync();
/// </code>
/// </example>
public sealed class CookieSessionStorage : ISessionStorage<JsonSessionValue>, ISessionStorageWithLogger, ISessionCookieStorage
{
    /// <inheritdoc />
    public string CookieName => _codec.Options.Name;

    private readonly EncryptedCookieCodec _codec;

    /// <summary>Creates the storage.</summary>
    /// <param name="options">The cookie's name, secrets and attributes; validated here.</param>
    /// <param name="logger">Receives rejected-cookie and size events; optional.</param>
    /// <param name="timeProvider">The clock for issue and expiry times; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <exception cref="ArgumentException">The options are invalid (no secret, a secret shorter than 32 bytes, ...).</exception>
    public CookieSessionStorage(CookieSessionOptions options, ILogger<CookieSessionStorage>? logger = null, TimeProvider? timeProvider = null)
    {
        _codec = new EncryptedCookieCodec(options, CookiePurpose.SessionBody, logger, timeProvider);
    }

    /// <summary>
    /// A copy of the cookie settings in force, without the secrets. The storage keeps its own validated copy, so
    /// changing this one (or the options given to the constructor) changes nothing.
    /// </summary>
    public CookieSessionOptions Options => _codec.Options.CloneWithoutSecrets();

    /// <inheritdoc />
    public ILogger Logger => _codec.Logger;

    /// <inheritdoc />
    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
    {
        if (!_codec.TryRead(header, out var payload, keepBody: true))
        {
            return ValueTask.FromResult(new StoredSession<JsonSessionValue>());
        }

        using (payload)
        {
            StoredSession<JsonSessionValue> session;
            try
            {
                // Decrypted into an array of its own: the values are slices of it, no copy needed.
                session = CookiePayload.Read(payload.BodyMemory);
            }
            catch (Exception exception) when (exception is JsonException or FormatException)
            {
                // Kept for the session's values, which there will be none of: cleared like any refused payload.
                MemoryMarshal.AsMemory(payload.BodyMemory).Span.Clear();
                Log.ContentUnreadable(_codec.Logger, _codec.Options.Name, exception.GetType().Name);
                return ValueTask.FromResult(new StoredSession<JsonSessionValue>());
            }

            session.RequiresCommit = _codec.NeedsRenewal(payload);
            session.CookieCreatedAt = payload.CreatedAt;
            session.CookieIdleExpiresAt = _codec.IdleExpiresAt(payload);
            return ValueTask.FromResult(session);
        }
    }

    /// <inheritdoc />
    /// <exception cref="SessionTooLargeException">The cookie would exceed <see cref="CookieSessionOptions.MaxCookieSize"/>.</exception>
    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var cookie = _codec.Write(CookiePayload.GetLength(session), static (s, destination) => CookiePayload.Write(s, destination), session.CookieCreatedAt, session, static s => SessionSizeEstimator.LargestKeys(s));
        session.IssuedCookie = cookie;
        return ValueTask.FromResult(cookie.SetCookieHeader);
    }

    /// <inheritdoc />
    public ValueTask<string> DestroyAsync(CancellationToken cancellationToken = default)
        => ValueTask.FromResult(_codec.ExpiredCookie);
}
