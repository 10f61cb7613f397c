using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>Counts log entries by event id, across every category and level.</summary>
internal sealed class EventLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _counts = new();

    public int Count(int eventId) => _counts.GetValueOrDefault(eventId);

    public ILogger CreateLogger(string categoryName) => new Category(this);

    public void Dispose()
    {
    }

    private sealed class Category(EventLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => log._counts.AddOrUpdate(eventId.Id, 1, static (_, n) => n + 1);
    }
}
