namespace Remastered.Sessions;

/// <summary>Why a session cookie was not accepted and a fresh session was started instead.</summary>
public enum CookieRejectionReason
{
    /// <summary>The value is not well-formed (wrong alphabet, truncated, oversized).</summary>
    Malformed,

    /// <summary>The value was written in a format version this library does not read.</summary>
    UnsupportedVersion,

    /// <summary>The value was encrypted with a secret that is not (or no longer) configured.</summary>
    UnknownKey,

    /// <summary>The value failed authentication: it was altered, or belongs to another cookie name.</summary>
    Tampered,

    /// <summary>The expiry inside the payload has passed.</summary>
    Expired,

    /// <summary>The payload claims to be issued in the future beyond the allowed clock skew.</summary>
    IssuedInFuture,

    /// <summary>The payload decrypted but its content could not be read by the storage.</summary>
    UnreadableContent,

    /// <summary>The session is older than <see cref="CookieSessionOptions.AbsoluteLifetime"/>, however often it was renewed.</summary>
    AbsoluteLifetimeExceeded,
}
