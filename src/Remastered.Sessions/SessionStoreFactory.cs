using System.Runtime.CompilerServices;

namespace Remastered.Sessions;

/// <summary>
/// Hands out one <see cref="SessionStore{TValue}"/> per request, read from a configurable header.
/// Asking twice for the same request object yields the same store.
/// </summary>
/// <typeparam name="TValue">What the storage can hold.</typeparam>
/// <typeparam name="TMetadata">The storage's metadata.</typeparam>
/// <example>
/// <code>
/// var sessions = SessionStore.CreateFactory(storage);            // reads the Cookie header
/// var store = await sessions.GetAsync(httpContext, static (ctx, name) => ctx.Request.Headers[name].ToString());
/// </code>
/// </example>
public sealed class SessionStoreFactory<TValue, TMetadata>
{
    private readonly ConditionalWeakTable<object, Task<SessionStore<TValue>>> _perRequest = new();

    /// <summary>Creates a factory over <paramref name="storage"/>.</summary>
    /// <param name="storage">The storage sessions live in.</param>
    /// <param name="headerName">The request header the session travels in.</param>
    public SessionStoreFactory(ISessionStorage<TValue, TMetadata> storage, string headerName = SessionStore.DefaultHeaderName)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(headerName);
        Storage = storage;
        HeaderName = headerName;
    }

    /// <summary>The storage sessions live in.</summary>
    public ISessionStorage<TValue, TMetadata> Storage { get; }

    /// <summary>The request header the session travels in.</summary>
    public string HeaderName { get; }

    /// <summary>Loads a store from a header value, without per-request caching.</summary>
    /// <param name="header">The header value, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public ValueTask<SessionStore<TValue>> LoadAsync(string? header, CancellationToken cancellationToken = default)
        => SessionStore.LoadAsync(Storage, header, cancellationToken);

    /// <summary>
    /// The store of <paramref name="request"/>: loaded from its <see cref="HeaderName"/> header the first time, the
    /// same instance afterwards (for as long as the request object lives).
    /// </summary>
    /// <typeparam name="TRequest">The request type of the host (an <c>HttpContext</c>, an <c>HttpRequestMessage</c>, ...).</typeparam>
    /// <param name="request">The request; its identity keys the cache.</param>
    /// <param name="getHeader">Reads a header by name from the request; returns <see langword="null"/> when absent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public Task<SessionStore<TValue>> GetAsync<TRequest>(
        TRequest request, Func<TRequest, string, string?> getHeader, CancellationToken cancellationToken = default)
        where TRequest : class
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(getHeader);
        lock (_perRequest)
        {
            if (_perRequest.TryGetValue(request, out var existing) && !existing.IsFaulted && !existing.IsCanceled)
            {
                return existing;
            }

            var load = LoadAsync(getHeader(request, HeaderName), cancellationToken).AsTask();
            _perRequest.AddOrUpdate(request, load);
            return load;
        }
    }
}
