using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>Redis stopped mid-test and restarted: clear errors, no partial writes, service resumes.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Loading_and_committing_while_redis_is_down_fail_clearly_and_service_resumes_when_it_returns()
    {
        using var connection = _redis.Connect();
        var log = new OutageLog();
        var storage = new RedisSessionStorage(connection, new RedisSessionOptions { Cookie = new CookieSessionOptions { Secrets = ["redis-tests-secret-0123456789abcdefghijkl"] } }, log);
        var failures = 0;
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];
        var pending = await SessionStore.LoadAsync(storage, cookie);
        pending.Set("cart", "1 item");

        await _redis.StopAsync();
        var loadError = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(storage, cookie));
        Assert.Contains("Redis could not be reached", loadError.Message);
        var commitError = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await pending.CommitAsync());
        Assert.Contains("nothing was written", commitError.Message);
        Assert.Equal("1 item", (string?)pending.Get("cart")); // the request's data is still in hand
        failures += 2;

        // Once the client has seen the connection drop, a request fails at once, and that is logged too (3003, without
        // a Redis exception to attach), so that a storage used without the ASP.NET Core integration still shows it.
        var dropped = DateTime.UtcNow.AddSeconds(20);
        while (connection.IsConnected && DateTime.UtcNow < dropped)
        {
            await Task.Delay(50);
        }

        Assert.False(connection.IsConnected);
        var fastError = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(storage, cookie));
        Assert.Contains("failing fast", fastError.Message);
        failures++;
        Assert.Contains(log.Entries, e => e.EventId == 3003 && e.Level == LogLevel.Debug && e.Message.Contains("load", StringComparison.Ordinal));

        // Until the connection is back, whole requests fail at once (no waiting for the client's timeout); then they work.
        await _redis.StartAsync();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? newCookie = null;
        while (newCookie is null && DateTime.UtcNow < deadline)
        {
            try
            {
                var resumed = await SessionStore.LoadAsync(storage, null);
                resumed.Set("user", "grace");
                newCookie = (await resumed.CommitAsync())!.Split(';')[0];
            }
            catch (SessionStoreUnavailableException)
            {
                failures++;
                await Task.Delay(200);
            }
        }

        Assert.NotNull(newCookie);
        Assert.Equal("grace", (string?)(await SessionStore.LoadAsync(storage, newCookie)).Get("user"));

        // Every failed call was logged once: the Redis exception (3001, Error) or the fail-fast refusal (3003).
        Assert.Equal(failures, log.Entries.Count(e => e.EventId is 3001 or 3003));
        Assert.All(log.Entries.Where(e => e.EventId == 3001), e => Assert.Equal(LogLevel.Error, e.Level));
    }

    [Fact]
    public async Task An_outage_the_client_saw_before_any_command_failed_is_logged_as_an_error_once_then_at_debug_level_and_its_end_once()
    {
        using var connection = _redis.Connect();
        var log = new OutageLog();
        var storage = new RedisSessionStorage(connection, new RedisSessionOptions { Cookie = new CookieSessionOptions { Secrets = ["redis-tests-secret-0123456789abcdefghijkl"] } }, log);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        for (var outage = 1; outage <= 2; outage++)
        {
            // An idle application: the connection drops with no request in flight.
            await _redis.StopAsync();
            var dropped = DateTime.UtcNow.AddSeconds(20);
            while (connection.IsConnected && DateTime.UtcNow < dropped)
            {
                await Task.Delay(50);
            }

            Assert.False(connection.IsConnected);
            var before = log.Entries.Count;
            for (var request = 0; request < 3; request++)
            {
                var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(storage, cookie));
                Assert.Contains("the connection is down", error.Message, StringComparison.Ordinal);
            }

            var entries = log.Entries.Skip(before).ToList();
            Assert.Equal([(3001, LogLevel.Error), (3003, LogLevel.Debug), (3003, LogLevel.Debug)], entries.Select(e => (e.EventId, e.Level)));
            Assert.Contains("could not be reached during load", entries[0].Message, StringComparison.Ordinal);

            // Back: the next outage is an error again.
            await _redis.StartAsync();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            var back = false;
            while (!back && DateTime.UtcNow < deadline)
            {
                try
                {
                    await SessionStore.LoadAsync(storage, cookie);
                    back = true;
                }
                catch (SessionStoreUnavailableException)
                {
                    await Task.Delay(200);
                }
            }

            Assert.True(back);

            // The end of the outage is logged once, with the number of requests that failed during it (the three
            // above and any refused while Redis restarted).
            var back3004 = Assert.Single(log.Entries.Skip(before), e => e.EventId == 3004);
            Assert.Equal(LogLevel.Information, back3004.Level);
            var refused = long.Parse(System.Text.RegularExpressions.Regex.Match(back3004.Message, @"; (\d+) request\(s\) failed during the outage").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(log.Entries.Skip(before).Count(e => e.EventId is 3001 or 3003), refused);
        }
    }

    private sealed class OutageLog : ILogger<RedisSessionStorage>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(int EventId, LogLevel Level, string Message)> _entries = new();

        public IReadOnlyCollection<(int EventId, LogLevel Level, string Message)> Entries => _entries;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
    }
}
