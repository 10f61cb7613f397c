namespace Remastered.Sessions;

/// <summary>
/// One successful commit of a session, as <see cref="SessionStore{TValue}.Committed"/> reports it: what the commit asks
/// the client to store.
/// </summary>
public readonly struct SessionCommit
{
    /// <summary>Describes a commit.</summary>
    /// <param name="header">The header value <see cref="SessionStore{TValue}.CommitAsync"/> returned, or <see langword="null"/>.</param>
    /// <param name="cookie">The cookie that header carries, as data, or <see langword="null"/>.</param>
    /// <param name="endedSession">Whether the commit ended the session it loaded.</param>
    public SessionCommit(string? header, SessionCookie? cookie, bool endedSession)
    {
        Header = header;
        Cookie = cookie;
        EndedSession = endedSession;
    }

    /// <summary>
    /// The header value to send, as <see cref="SessionStore{TValue}.CommitAsync"/> returned it; <see langword="null"/>
    /// when there is nothing to send: the client's header already says it all (a server-side storage whose content
    /// changed), or the storage refused to write (a server-side session destroyed by another request meanwhile).
    /// </summary>
    public string? Header { get; }

    /// <summary>The cookie <see cref="Header"/> carries, as data (see <see cref="SessionStore{TValue}.CommittedCookie"/>).</summary>
    public SessionCookie? Cookie { get; }

    /// <summary>
    /// Whether <see cref="SessionStore{TValue}.Destroy"/> came before this commit: the session that was loaded ended
    /// (values set after it went into a new session, whose cookie <see cref="Header"/> then is).
    /// </summary>
    public bool EndedSession { get; }
}
