using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.Redis;

/// <summary>Log events of the Redis and distributed-cache storages, with stable event ids.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 3001, EventName = "SessionStoreUnavailable", Level = LogLevel.Error, Message = "The session store could not be reached during {Operation}.")]
    public static partial void Unavailable(ILogger logger, string operation, Exception exception);

    [LoggerMessage(EventId = 3002, EventName = "SessionFieldCorrupt", Level = LogLevel.Warning, Message = "Session key '{Key}' in the store is not valid JSON ({ErrorType}) and was skipped.")]
    public static partial void CorruptField(ILogger logger, string key, string errorType);

    [LoggerMessage(EventId = 3003, EventName = "SessionStoreFailingFast", Level = LogLevel.Debug, Message = "The session store was unreachable moments ago; {Operation} failed at once without contacting it.")]
    public static partial void FailingFast(ILogger logger, string operation);

    [LoggerMessage(EventId = 3004, EventName = "SessionStoreBack", Level = LogLevel.Information, Message = "The session store answers again; {Refused} request(s) failed during the outage.")]
    public static partial void Back(ILogger logger, long refused);

    [LoggerMessage(EventId = 3005, EventName = "SessionCommitTakenBack", Level = LogLevel.Information, Message = "A commit found its session destroyed or replaced since the request loaded it; what it wrote was taken back and no cookie was sent.")]
    public static partial void CommitTakenBack(ILogger logger);
}
