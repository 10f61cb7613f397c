using Microsoft.Extensions.Logging;
using Remastered.Sessions.Cookies;

namespace Remastered.Sessions;

/// <summary>
/// A storage that keeps sessions on the server under a random id and carries the id in an encrypted, expiring cookie
/// (the memory, Redis and distributed-cache storages). Derive from it to keep sessions anywhere else: implement the
/// id-keyed record store (its "header" is the plain id) and pass it to the constructor.
/// </summary>
/// <typeparam name="TValue">What the storage holds.</typeparam>
/// <typeparam name="TMetadata">What travels from the reading phase to the commit (the id, timestamps).</typeparam>
public abstract class ServerSessionStorage<TValue, TMetadata> : ISessionStorage<TValue, TMetadata>, ISessionStorageWithLogger, IServerSessionStorage
{
    /// <inheritdoc />
    public string CookieName => _cookies.CookieName;

    private readonly EncryptedCookieStorage<TValue, TMetadata> _cookies;

    /// <summary>Wraps <paramref name="records"/> in the encrypted id cookie of <paramref name="options"/>.</summary>
    /// <param name="records">The id-keyed record store.</param>
    /// <param name="options">Validated options; their <see cref="ServerSessionOptions.Cookie"/> carries the id.</param>
    /// <param name="logger">Receives cookie events; optional.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when omitted.</param>
    protected ServerSessionStorage(ISessionStorage<TValue, TMetadata> records, ServerSessionOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        _cookies = new EncryptedCookieStorage<TValue, TMetadata>(records, options.Cookie, CookiePurpose.ServerSessionId, logger, timeProvider ?? TimeProvider.System);
        IdleTimeout = options.IdleTimeout;
        AbsoluteLifetime = options.AbsoluteLifetime;
    }

    /// <inheritdoc />
    public TimeSpan IdleTimeout { get; }

    /// <inheritdoc />
    public TimeSpan AbsoluteLifetime { get; }

    /// <inheritdoc />
    public ILogger Logger => _cookies.Logger;

    /// <inheritdoc />
    public ValueTask<SessionReadResult<TValue, TMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => _cookies.FromHeaderAsync(header, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> ToHeaderAsync(StoredSession<TValue> session, TMetadata metadata, CancellationToken cancellationToken = default)
        => _cookies.ToHeaderAsync(session, metadata, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> DestroyAsync(TMetadata metadata, CancellationToken cancellationToken = default)
        => _cookies.DestroyAsync(metadata, cancellationToken);

    /// <summary>Checks <paramref name="options"/> and returns them, for constructors that build their record store first.</summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    protected static TOptions Validated<TOptions>(TOptions options)
        where TOptions : ServerSessionOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }
}
