namespace Remastered.Sessions;

/// <summary>What every generated session schema can do, whatever its keys: the handle integrations work with.</summary>
public interface ITypedSession
{
    /// <summary>Whether <see cref="CommitAsync"/> will write.</summary>
    bool IsDirty { get; }

    /// <summary>Persists the session; <see langword="null"/> when nothing changed and nothing needs sending.</summary>
    /// <param name="cancellationToken">Cancels the commit.</param>
    ValueTask<string?> CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>Ends the session at the next commit.</summary>
    void Destroy();

    /// <summary>
    /// Whether <see cref="Destroy"/> was called and not yet committed (integrations ask before committing, e.g. to
    /// clear the browser's cache of a signed-out session). Generated schemas implement it explicitly, so it never takes
    /// a name from the schema's own members.
    /// </summary>
    bool IsDestroyed { get; }

    /// <summary>Gives the session a new identity at the next commit (call it on sign-in).</summary>
    void RegenerateId();

    /// <summary>Refuses every further change with <paramref name="reason"/> (see <see cref="SessionStore{TValue}.Seal"/>).</summary>
    /// <param name="reason">The message of the exception later changes throw.</param>
    void Seal(string reason);

    /// <summary>
    /// Drops every change of this request and reads the session again from its storage (see
    /// <see cref="SessionStore{TValue}.DiscardChangesAsync"/>): what integrations do when a commit failed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask DiscardChangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What the session holds right now, for development tools (see <see cref="SessionStore{TValue}.Inspect"/>).
    /// Generated schemas implement it explicitly, so it never takes a name from the schema's own members.
    /// </summary>
    SessionInspection Inspect();

    /// <summary>The cookie the last commit sent, as data (see <see cref="SessionStore{TValue}.CommittedCookie"/>).</summary>
    SessionCookie? CommittedCookie { get; }

    /// <summary>
    /// Raised after each successful commit that had something to write, whoever called it (see
    /// <see cref="SessionStore{TValue}.Committed"/>). Generated schemas implement it explicitly, so it never takes a
    /// name from the schema's own members.
    /// </summary>
    event Action<SessionCommit>? Committed;
}

/// <summary>
/// Implemented by generated schemas over <typeparamref name="TStorage"/>, so that integrations can load any schema.
/// </summary>
/// <typeparam name="TSelf">The schema type.</typeparam>
/// <typeparam name="TStorage">The schema's storage type.</typeparam>
public interface ISessionSchema<TSelf, in TStorage> : ITypedSession
    where TSelf : ISessionSchema<TSelf, TStorage>
{
    /// <summary>Runs the storage's reading phase for <paramref name="header"/> and returns the typed session.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="header">The request's header value, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    static abstract ValueTask<TSelf> LoadAsync(TStorage storage, string? header, CancellationToken cancellationToken = default);
}
