namespace Remastered.Sessions.AspNetCore;

/// <summary>How the session travels between client and server.</summary>
public enum SessionTransport
{
    /// <summary>In a cookie: read from <c>Cookie</c>, written with <c>Set-Cookie</c>. The default, for browsers.</summary>
    Cookie,

    /// <summary>
    /// In a request header (<see cref="RemasteredSessionOptions.HeaderName"/>, e.g. <c>Authorization: Bearer …</c> or
    /// <c>X-Session</c>), with the updated token returned in <see cref="RemasteredSessionOptions.ResponseHeaderName"/>.
    /// For API clients.
    /// </summary>
    Header,
}
