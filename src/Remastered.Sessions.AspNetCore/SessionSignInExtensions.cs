namespace Remastered.Sessions.AspNetCore;

/// <summary>Sign-in and sign-out in one call each.</summary>
public static class SessionSignInExtensions
{
    /// <summary>
    /// Signs in: gives the session a new id (so an id planted before login is worthless) and applies
    /// <paramref name="signIn"/> (set the user, flash a welcome).
    /// </summary>
    /// <typeparam name="TSchema">The schema.</typeparam>
    /// <param name="session">The session.</param>
    /// <param name="signIn">Sets what the signed-in session holds.</param>
    /// <returns>The same session.</returns>
    public static TSchema SignIn<TSchema>(this TSchema session, Action<TSchema> signIn)
        where TSchema : ITypedSession
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(signIn);
        session.RegenerateId();
        signIn(session);
        return session;
    }

    /// <summary>
    /// Signs out: destroys the session (server record removed, cookie expired). Values set afterwards start a new session.
    /// When the integration commits it, the response also carries <c>Clear-Site-Data: "cache"</c> (see
    /// <see cref="RemasteredSessionOptions.ClearBrowserCacheOnSignOut"/>).
    /// </summary>
    /// <typeparam name="TSchema">The schema.</typeparam>
    /// <param name="session">The session.</param>
    /// <returns>The same session.</returns>
    public static TSchema SignOut<TSchema>(this TSchema session)
        where TSchema : ITypedSession
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Destroy();
        return session;
    }
}
