namespace Remastered.Sessions;

/// <summary>
/// The storage behind the session (a Redis server, a database) could not be reached. Nothing was half-written; the
/// ASP.NET Core integration answers 503 Service Unavailable.
/// </summary>
public sealed class SessionStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What could not be reached.</param>
    /// <param name="innerException">The underlying failure.</param>
    public SessionStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
