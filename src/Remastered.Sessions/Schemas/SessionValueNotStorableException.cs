namespace Remastered.Sessions;

/// <summary>
/// Thrown when a value cannot be stored: a schema key whose type the storage cannot hold (the analyzer warned about it
/// as RMS001 at compile time), or a value JSON cannot represent, such as <see cref="double.NaN"/>. The message names
/// the key. Nothing is written, so the session never holds garbage.
/// </summary>
public sealed class SessionValueNotStorableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What cannot be stored and by which storage.</param>
    public SessionValueNotStorableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    /// <param name="message">What cannot be stored and by which storage.</param>
    /// <param name="innerException">The cause.</param>
    public SessionValueNotStorableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
