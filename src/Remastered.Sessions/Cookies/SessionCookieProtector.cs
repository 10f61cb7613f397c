using System.Buffers;

namespace Remastered.Sessions;

/// <summary>
/// Authenticated encryption of session cookie payloads. The default uses AES-256-GCM with keys derived from
/// <see cref="CookieSessionOptions.Secrets"/>; set <see cref="CookieSessionOptions.Protector"/> to use another key
/// system, such as ASP.NET Core Data Protection (<c>Remastered.Sessions.AspNetCore</c> provides one).
/// </summary>
/// <remarks>
/// Implementations must bind each value to <c>cookieName</c> (a value issued for one cookie must not open under another),
/// must never throw for bad input, and must produce cookie-safe text (base64url). Expiry is not their concern: the
/// payload they protect already carries its issue and expiry times, which the caller checks.
/// </remarks>
public abstract class SessionCookieProtector
{
    /// <summary>Encrypts and authenticates <paramref name="plaintext"/> for the cookie <paramref name="cookieName"/>.</summary>
    /// <param name="cookieName">The cookie the value is issued for.</param>
    /// <param name="plaintext">The bytes to protect.</param>
    /// <returns>The cookie value: base64url text.</returns>
    public abstract string Protect(string cookieName, ReadOnlySpan<byte> plaintext);

    /// <summary>Checks and decrypts a cookie value; bad input returns <see langword="false"/> with a reason, never throws.</summary>
    /// <param name="cookieName">The cookie the value was read from.</param>
    /// <param name="cookieValue">The value.</param>
    /// <param name="plaintext">Receives the decrypted bytes on success.</param>
    /// <param name="usedRetiredKey">Whether a key other than the current one opened it (the cookie should be re-issued).</param>
    /// <param name="reason">Why the value was rejected.</param>
    public abstract bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason);
}
