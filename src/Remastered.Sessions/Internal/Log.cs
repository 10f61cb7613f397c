using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.Internal;

/// <summary>Every log event of the runtime library, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, EventName = "SessionCookieRejected", Level = LogLevel.Information,
        Message = "Session cookie '{CookieName}' was rejected ({Reason}; {Candidates} candidate(s) refused); a fresh session was started.")]
    public static partial void CookieRejected(ILogger logger, string cookieName, CookieRejectionReason reason, int candidates);

    [LoggerMessage(EventId = 1007, EventName = "SessionCookieCandidatesRefused", Level = LogLevel.Debug,
        Message = "Session cookie '{CookieName}': {Candidates} other cookie(s) of that name were refused ({Reason}) before one opened; the session loaded. Another application on this host (or under another path) may use the same cookie name.")]
    public static partial void OtherCookiesRefused(ILogger logger, string cookieName, int candidates, CookieRejectionReason reason);

    [LoggerMessage(EventId = 1002, EventName = "SessionCookieRenewed", Level = LogLevel.Debug,
        Message = "Session cookie '{CookieName}' will be re-issued at the next commit (retired secret: {RetiredSecret}).")]
    public static partial void CookieRenewalScheduled(ILogger logger, string cookieName, bool retiredSecret);

    [LoggerMessage(EventId = 1003, EventName = "SessionContentUnreadable", Level = LogLevel.Warning,
        Message = "Session cookie '{CookieName}' decrypted but its content could not be parsed ({ErrorType}); a fresh session was started.")]
    public static partial void ContentUnreadable(ILogger logger, string cookieName, string errorType);

    [LoggerMessage(EventId = 1004, EventName = "SessionTooLarge", Level = LogLevel.Error,
        Message = "Session cookie '{CookieName}' would be {Size} bytes, over the {Limit}-byte limit; the commit was refused.")]
    public static partial void SessionTooLarge(ILogger logger, string cookieName, int size, int limit);

    [LoggerMessage(EventId = 1005, EventName = "SessionValueUnreadable", Level = LogLevel.Warning,
        Message = "Session key '{Key}' holds a value that does not read as {ExpectedType}; it reads as absent and is left as stored until overwritten (a pending flash value is still consumed by the commit, unless kept).")]
    public static partial void ValueUnreadable(ILogger logger, string key, string expectedType);

    [LoggerMessage(EventId = 1006, EventName = "SessionFlashesKept", Level = LogLevel.Debug,
        Message = "The session was sealed before this request could consume its flash value(s) {Keys}; they stay stored for the next request.")]
    public static partial void FlashesKeptBySeal(ILogger logger, string keys);

    [LoggerMessage(EventId = 1101, EventName = "MemorySessionNotFound", Level = LogLevel.Debug,
        Message = "Memory session was not found or had expired; a fresh session was started.")]
    public static partial void MemorySessionNotFound(ILogger logger);

    [LoggerMessage(EventId = 1102, EventName = "MemorySessionEvicted", Level = LogLevel.Information,
        Message = "Memory session storage is full ({MaxSessions} sessions): {Evicted} sessions evicted since the last such entry (new sessions first; at most one entry a minute).")]
    public static partial void MemorySessionEvicted(ILogger logger, int maxSessions, int evicted);
}
