using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>Keeps every log entry of every category, at every level, for tests that assert what was logged.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    /// <summary>Makes a new collector the app's only logger provider, seeing Debug whatever the configured levels say.</summary>
    public static CollectingLoggerProvider ReplaceProviders(ILoggingBuilder logging)
    {
        var logs = new CollectingLoggerProvider();
        logging.ClearProviders();
        logging.AddProvider(logs);
        // More specific than any configured default level (the test appsettings.json sets Information).
        logging.AddFilter<CollectingLoggerProvider>(null, LogLevel.Debug);
        return logs;
    }

    public ConcurrentQueue<(EventId Id, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(Entries);

    public void Dispose()
    {
    }

    private sealed class Collector(ConcurrentQueue<(EventId, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => entries.Enqueue((eventId, formatter(state, exception)));
    }
}
