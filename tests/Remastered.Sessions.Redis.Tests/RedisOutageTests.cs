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
        var storage = new RedisSessionStorage(connection, new RedisSessionOptions { Cookie = new CookieSessionOptions { Secrets = ["redis-tests-secret-0123456789abcdefghijkl"] } });
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
                await Task.Delay(200);
            }
        }

        Assert.NotNull(newCookie);
        Assert.Equal("grace", (string?)(await SessionStore.LoadAsync(storage, newCookie)).Get("user"));
    }
}
