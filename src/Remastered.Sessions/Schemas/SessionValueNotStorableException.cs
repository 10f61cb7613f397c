namespace Remastered.Sessions;

/// <summary>
/// Thrown when a schema key whose type the storage cannot hold is set (the analyzer warned about it as RMS001 at
/// compile time). Nothing is written, so the session never holds garbage.
/// </summary>
public sealed class SessionValueNotStorableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be stored and by which storage.</param>
    public SessionValueNotStorableException(string message)
        : base(message)
    {
    }
}
