using Microsoft.Extensions.Logging;

namespace Remastered.Sessions;

/// <summary>Helpers for building session storages.</summary>
public static class SessionStorage
{
    /// <summary>
    /// Wraps <paramref name="storage"/> in encrypted cookies: the design's <c>withEncryptedCookies({ cookie, storage })</c>.
    /// See <see cref="EncryptedCookieStorage{TValue, TMetadata}"/>.
    /// </summary>
    /// <typeparam name="TValue">What the storage can hold.</typeparam>
    /// <typeparam name="TMetadata">The storage's metadata.</typeparam>
    /// <param name="storage">A storage whose header is a plain string.</param>
    /// <param name="cookie">The cookie's name, secrets and attributes.</param>
    /// <param name="logger">Receives rejected-cookie and size events; optional.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when omitted.</param>
    public static EncryptedCookieStorage<TValue, TMetadata> WithEncryptedCookies<TValue, TMetadata>(
        ISessionStorage<TValue, TMetadata> storage, CookieSessionOptions cookie, ILogger? logger = null, TimeProvider? timeProvider = null)
        => new(storage, cookie, logger, timeProvider);
}
