namespace Remastered.Sessions;

/// <summary>
/// A place where sessions live: a reading phase (header in, stored session and metadata out) and a commit phase
/// (session in, header out). Implement it to keep sessions anywhere; wrap it with
/// <see cref="SessionStorage.WithEncryptedCookies{TValue, TMetadata}"/> to carry its header in an encrypted cookie.
/// </summary>
/// <typeparam name="TValue">
/// What this storage can hold. JSON storages declare <see cref="JsonSessionValue"/>; storages that keep
/// objects by reference declare <see cref="object"/>. The source generator reads this type to decide, at compile time,
/// what a session schema over this storage may contain.
/// </typeparam>
/// <typeparam name="TMetadata">Data passed from the reading phase to the commit phase (a session id, for example).</typeparam>
/// <example>
/// A storage that keeps sessions in a dictionary keyed by an id carried as the header (wrap it with
/// <see cref="SessionStorage.WithEncryptedCookies{TValue, TMetadata}"/> before handing ids to clients). It hands out and
/// keeps copies: the store changes the session it was given as the request goes, before any commit.
/// <code>
/// sealed class DictionaryStorage : ISessionStorage&lt;object, string&gt;
/// {
///     readonly ConcurrentDictionary&lt;string, StoredSession&lt;object&gt;&gt; _sessions = new();
///     static StoredSession&lt;object&gt; Copy(StoredSession&lt;object&gt; s) => new(new(s.Content), new(s.FlashedKeys));
///     public ValueTask&lt;SessionReadResult&lt;object, string&gt;&gt; FromHeaderAsync(string? header, CancellationToken ct = default)
///         => ValueTask.FromResult(header is not null &amp;&amp; _sessions.TryGetValue(header, out var s)
///             ? new SessionReadResult&lt;object, string&gt;(Copy(s), header)
///             : new SessionReadResult&lt;object, string&gt;(new(), Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));
///     public ValueTask&lt;string&gt; ToHeaderAsync(StoredSession&lt;object&gt; session, string id, CancellationToken ct = default)
///     { _sessions[id] = Copy(session); return ValueTask.FromResult(id); }
///     public ValueTask&lt;string&gt; DestroyAsync(string id, CancellationToken ct = default)
///     { _sessions.TryRemove(id, out _); return ValueTask.FromResult(string.Empty); }
/// }
/// </code>
/// </example>
public interface ISessionStorage<TValue, TMetadata>
{
    /// <summary>
    /// The reading phase: turns the request header (which may be absent) into the stored session and its metadata.
    /// Bad input (a garbage, tampered or expired header) must yield a fresh empty session, not an exception.
    /// </summary>
    /// <remarks>
    /// Return a session of this request's own: the store writes every set, unset and flash into it as they happen, before
    /// any commit, so handing out an instance the storage keeps would show uncommitted changes to other requests (and
    /// share one <see cref="Dictionary{TKey, TValue}"/> between threads). A header-less read must mint a new identity.
    /// </remarks>
    /// <param name="header">The header value the session travels in (a <c>Cookie</c> header, a token), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<SessionReadResult<TValue, TMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default);

    /// <summary>The commit phase: persists <paramref name="session"/> and returns the header value to send back.</summary>
    /// <param name="session">The session to persist.</param>
    /// <param name="metadata">The metadata returned by <see cref="FromHeaderAsync"/> for this session.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>The header value: a full <c>Set-Cookie</c> value for cookie-carried storages, or a token.</returns>
    /// <remarks>
    /// Keep a copy of <paramref name="session"/>, not the instance: the store goes on using it after the commit (later
    /// changes in the same request, a second commit). Returning an empty string sends nothing: for a session that was
    /// destroyed while this request ran, which must not come back.
    /// </remarks>
    ValueTask<string> ToHeaderAsync(StoredSession<TValue> session, TMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends the session: removes whatever is kept for it and returns the header value that clears it on the client.
    /// The default implementation commits an empty session.
    /// </summary>
    /// <param name="metadata">The metadata returned by <see cref="FromHeaderAsync"/> for this session.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<string> DestroyAsync(TMetadata metadata, CancellationToken cancellationToken = default)
        => ToHeaderAsync(new StoredSession<TValue>(), metadata, cancellationToken);
}

/// <summary>A session storage that needs no metadata between its reading and commit phases.</summary>
/// <typeparam name="TValue">What this storage can hold.</typeparam>
public interface ISessionStorage<TValue> : ISessionStorage<TValue, NoMetadata>
{
    /// <summary>The reading phase: the stored session for <paramref name="header"/>, or a fresh empty one.</summary>
    /// <param name="header">The header value, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    new ValueTask<StoredSession<TValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default);

    /// <summary>The commit phase: persists <paramref name="session"/> and returns the header value to send back.</summary>
    /// <param name="session">The session to persist.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    ValueTask<string> ToHeaderAsync(StoredSession<TValue> session, CancellationToken cancellationToken = default);

    /// <summary>Ends the session and returns the header value that clears it on the client.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<string> DestroyAsync(CancellationToken cancellationToken = default)
        => ToHeaderAsync(new StoredSession<TValue>(), cancellationToken);

    ValueTask<SessionReadResult<TValue, NoMetadata>> ISessionStorage<TValue, NoMetadata>.FromHeaderAsync(string? header, CancellationToken cancellationToken)
    {
        // Storages that read synchronously (cookies, memory) complete at once: no state machine on that path.
        var reading = FromHeaderAsync(header, cancellationToken);
        return reading.IsCompletedSuccessfully
            ? new(new SessionReadResult<TValue, NoMetadata>(reading.Result, default))
            : AwaitRead(reading);

        static async ValueTask<SessionReadResult<TValue, NoMetadata>> AwaitRead(ValueTask<StoredSession<TValue>> reading)
            => new(await reading.ConfigureAwait(false), default);
    }

    ValueTask<string> ISessionStorage<TValue, NoMetadata>.ToHeaderAsync(StoredSession<TValue> session, NoMetadata metadata, CancellationToken cancellationToken)
        => ToHeaderAsync(session, cancellationToken);

    ValueTask<string> ISessionStorage<TValue, NoMetadata>.DestroyAsync(NoMetadata metadata, CancellationToken cancellationToken)
        => DestroyAsync(cancellationToken);
}

/// <summary>The metadata of storages that need none.</summary>
public readonly record struct NoMetadata;
