namespace Remastered.Sessions;

/// <summary>Creates <see cref="SessionStore{TValue}"/> instances over a storage.</summary>
public static class SessionStore
{
    /// <summary>The header sessions travel in unless told otherwise.</summary>
    public const string DefaultHeaderName = "Cookie";

    /// <summary>Runs the storage's reading phase for <paramref name="header"/> and wraps the result in a store.</summary>
    /// <typeparam name="TValue">What the storage can hold.</typeparam>
    /// <typeparam name="TMetadata">The storage's metadata.</typeparam>
    /// <param name="storage">The storage.</param>
    /// <param name="header">The request's header value, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static ValueTask<SessionStore<TValue>> LoadAsync<TValue, TMetadata>(
        ISessionStorage<TValue, TMetadata> storage, string? header, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ValueTask<SessionReadResult<TValue, TMetadata>> reading;
        try
        {
            reading = storage.FromHeaderAsync(header, cancellationToken);
        }
        catch (Exception exception)
        {
            // A storage that throws before returning its task fails the returned task, as an async one would.
            return ValueTask.FromException<SessionStore<TValue>>(exception);
        }

        // Storages that read synchronously (cookies, memory) complete at once: no state machine on that path.
        if (reading.IsCompletedSuccessfully)
        {
            var (session, metadata) = reading.Result;
            return new(new BoundSessionStore<TValue, TMetadata>(storage, header, session, metadata));
        }

        return AwaitLoad(storage, header, reading);

        static async ValueTask<SessionStore<TValue>> AwaitLoad(ISessionStorage<TValue, TMetadata> storage, string? header, ValueTask<SessionReadResult<TValue, TMetadata>> reading)
        {
            var (session, metadata) = await reading.ConfigureAwait(false);
            return new BoundSessionStore<TValue, TMetadata>(storage, header, session, metadata);
        }
    }

    /// <summary>
    /// Creates the per-request factory of the design's <c>createSessionStore(storage, headerName)</c>: it reads the
    /// named header from each request and hands out one store per request.
    /// </summary>
    /// <typeparam name="TValue">What the storage can hold.</typeparam>
    /// <typeparam name="TMetadata">The storage's metadata.</typeparam>
    /// <param name="storage">The storage.</param>
    /// <param name="headerName">The request header the session travels in: <c>Cookie</c>, <c>Authorization</c>, or a custom one.</param>
    public static SessionStoreFactory<TValue, TMetadata> CreateFactory<TValue, TMetadata>(
        ISessionStorage<TValue, TMetadata> storage, string headerName = DefaultHeaderName)
        => new(storage, headerName);

    private sealed class BoundSessionStore<TValue, TMetadata>(
        ISessionStorage<TValue, TMetadata> storage, string? header, StoredSession<TValue> session, TMetadata metadata)
        : SessionStore<TValue>(session, (storage as ISessionStorageWithLogger)?.Logger)
    {
        private TMetadata _metadata = metadata;

        // What a reload reads: the request's header until a commit succeeds, then what that commit sent (kept as it
        // came, and turned into a request header only when a reload needs it: most requests never reload).
        private string? _header = header;
        private string? _committedHeader;
        private SessionCookie? _committedCookie;

        private protected override void OnCommitted(string header, SessionCookie? cookie)
        {
            _committedHeader = header;
            _committedCookie = cookie;
        }

        private string? ReloadHeader()
        {
            if (_committedHeader is { } committed)
            {
                _committedHeader = null;
                if (_committedCookie is { } cookie)
                {
                    _header = cookie.IsDeletion ? null : cookie.Name + "=" + cookie.Value;
                }
                else
                {
                    // Header text of a storage's own: its first segment is the cookie, as a client would send it back.
                    var end = committed.IndexOf(';', StringComparison.Ordinal);
                    _header = end < 0 ? committed : committed[..end];
                }

                _committedCookie = null;
            }

            return _header;
        }

        private protected override ValueTask<string> CommitCoreAsync(StoredSession<TValue> session, CancellationToken cancellationToken)
            => storage.ToHeaderAsync(session, _metadata, cancellationToken);

        private protected override ValueTask<string> DestroyCoreAsync(CancellationToken cancellationToken)
            => storage.DestroyAsync(_metadata, cancellationToken);

        private protected override async ValueTask<string> RegenerateCoreAsync(StoredSession<TValue> session, CancellationToken cancellationToken)
        {
            var previous = _metadata;
            if (RetiresOldIdentityFirst(storage))
            {
                // The memory storage: its writes cannot fail, and at capacity a new record written first would evict
                // another session to make room for one the next step frees anyway.
                await storage.DestroyAsync(previous, cancellationToken).ConfigureAwait(false);
                await StartFreshCoreAsync(cancellationToken).ConfigureAwait(false);
                return await storage.ToHeaderAsync(session, _metadata, cancellationToken).ConfigureAwait(false);
            }

            // Elsewhere the new identity is written before the old one is retired: if either step fails (a store outage),
            // the request fails with the session still under the old identity, not with its data under neither.
            try
            {
                await StartFreshCoreAsync(cancellationToken).ConfigureAwait(false);
                var header = await storage.ToHeaderAsync(session, _metadata, cancellationToken).ConfigureAwait(false);
                await storage.DestroyAsync(previous, cancellationToken).ConfigureAwait(false);
                return header;
            }
            catch
            {
                _metadata = previous;
                throw;
            }
        }

        private static bool RetiresOldIdentityFirst(object storage)
            => storage is MemorySessionStorage || (storage is JsonSessionStorage json && RetiresOldIdentityFirst(json.Inner));

        private protected override async ValueTask StartFreshCoreAsync(CancellationToken cancellationToken)
        {
            // A header-less read is how every storage mints a new identity (a new id, a new record).
            var fresh = await storage.FromHeaderAsync(null, cancellationToken).ConfigureAwait(false);
            _metadata = fresh.Metadata;

            // Called only to succeed another identity: a sign-in, or values set after the session ended.
            ServerSessionMetadata.MarkSuccessor(_metadata);
        }

        private protected override async ValueTask<StoredSession<TValue>> ReloadCoreAsync(CancellationToken cancellationToken)
        {
            var (stored, metadata) = await storage.FromHeaderAsync(ReloadHeader(), cancellationToken).ConfigureAwait(false);
            _metadata = metadata;
            return stored;
        }
    }
}
