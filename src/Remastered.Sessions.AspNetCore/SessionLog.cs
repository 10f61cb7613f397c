using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Log events of the ASP.NET Core integration, with stable event ids.</summary>
internal static partial class SessionLog
{
    /// <summary>
    /// The path the client asked for, which operational events name: under an exception handler's or a status code
    /// page's re-execution the request's path is the error page's, and the original one is on a feature.
    /// </summary>
    public static PathString RequestedPath(HttpContext context)
        => context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path is { Length: > 0 } handled ? new PathString(handled)
            : context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath is { Length: > 0 } reExecuted ? new PathString(reExecuted)
            : context.Request.Path;

    [LoggerMessage(EventId = 2001, EventName = "SessionCommitted", Level = LogLevel.Debug, Message = "Session committed for {Path}.")]
    public static partial void Committed(ILogger logger, PathString path);

    [LoggerMessage(EventId = 2002, EventName = "SessionStoreUnavailable", Level = LogLevel.Error, Message = "The session store is unavailable; answered 503 for {Path}.")]
    public static partial void StoreUnavailable(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 2004, EventName = "SessionCommitFailed", Level = LogLevel.Error,
        Message = "The session could not be saved for {Path}; this request's changes to it were dropped and the exception passed on.")]
    public static partial void CommitFailed(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 2005, EventName = "SessionLoadBlocked", Level = LogLevel.Warning,
        Message = "{Schema} was resolved from dependency injection for {Endpoint} before it was loaded, and its storage loads asynchronously: the request thread blocked until the load completed, which under load can starve the thread pool. Take it as a handler parameter or in a controller's or page model's constructor (loaded ahead), or await HttpContext.GetSessionAsync<{Schema}>(). (Logged once per endpoint.)")]
    public static partial void LoadBlocked(ILogger logger, string schema, string endpoint);

    [LoggerMessage(EventId = 2003, EventName = "SessionCookieNotSecure", Level = LogLevel.Warning,
        Message = "Session cookie '{CookieName}' was sent without Secure because the request looked like plain HTTP. Behind a TLS-terminating proxy, let requests show as HTTPS: call app.UseForwardedHeaders() first with ForwardedHeadersOptions.ForwardedHeaders = XForwardedFor | XForwardedProto (a bare call forwards nothing) and the proxy in KnownProxies or KnownIPNetworks unless it connects from loopback, or set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true; or set SecurePolicy = Always. (Logged once per cookie.)")]
    public static partial void CookieNotSecure(ILogger logger, string cookieName);

    [LoggerMessage(EventId = 2011, EventName = "SessionCookieSecureTurnedOff", Level = LogLevel.Warning,
        Message = "Session cookie '{CookieName}' was sent without Secure over HTTPS because {Setting} turns it off: a copy of the cookie may then travel over plain HTTP. Remove the setting unless the site must also serve sessions over HTTP. (Logged once per cookie.)")]
    public static partial void CookieSecureTurnedOff(ILogger logger, string cookieName, string setting);

    [LoggerMessage(EventId = 2007, EventName = "SessionLoadedAfterResponseStarted", Level = LogLevel.Warning,
        Message = "{Schema} was first loaded for {Path} after the response had started, so what loading it changes (consuming flash values, renewing or re-issuing its cookie) cannot be saved: any pending flash values read as absent and stay for a later request. Load the session before writing the response body.")]
    public static partial void LoadedAfterResponseStarted(ILogger logger, string schema, PathString path);

    [LoggerMessage(EventId = 2008, EventName = "SessionStoreUnavailableAfterResponseStarted", Level = LogLevel.Error,
        Message = "The session store is unavailable for {Path}, whose response had already started: no 503 could be sent, and the exception went to the application.")]
    public static partial void StoreUnavailableAfterResponseStarted(ILogger logger, PathString path, Exception exception);

    [LoggerMessage(EventId = 2006, EventName = "SessionRequestFailedDuringOutage", Level = LogLevel.Error,
        Message = "The request to {Path} failed ({ExceptionType}) after the session store was found unavailable in it (an error page that loads the session, say); answered 503 instead of 500.")]
    public static partial void FailedDuringOutage(ILogger logger, PathString path, string exceptionType, Exception? exception);

    [LoggerMessage(EventId = 2010, EventName = "SessionCookiePathOutsidePathBase", Level = LogLevel.Warning,
        Message = "Session cookie '{CookieName}' has Path={CookiePath} while the app runs under the path base {PathBase}: the browser sends it to every application on this host, and one that uses the same cookie name overwrites it (signing users out). {Remedy} (Logged once per cookie.)")]
    public static partial void CookiePathOutsidePathBase(ILogger logger, string cookieName, string cookiePath, string pathBase, string remedy);

    [LoggerMessage(EventId = 2009, EventName = "SessionSecretLooksChosen", Level = LogLevel.Warning,
        Message = "{Schema}: the secret at Cookie:Secrets:{Index} reads like text a person chose ({Reason}), which can be guessed however long it is. Generate one: CookieSessionOptions.GenerateSecret(), or `openssl rand -base64 32`.")]
    public static partial void SecretLooksChosen(ILogger logger, string schema, int index, string reason);
}
