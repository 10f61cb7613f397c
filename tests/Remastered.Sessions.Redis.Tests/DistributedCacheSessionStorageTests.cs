using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.Redis.Tests;

public sealed class DistributedCacheSessionStorageTests
{
    private const string Secret = "redis-tests-secret-0123456789abcdefghijkl";

    private static DistributedCacheSessionStorage Storage(IDistributedCache cache)
        => new(cache, new DistributedCacheSessionOptions { Cookie = new CookieSessionOptions { Secrets = [Secret] } });

    [Fact]
    public async Task Sessions_round_trip_through_any_distributed_cache_with_flashes()
    {
        var storage = Storage(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        first.Flash("notice", "hi");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        var second = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("hi", (string?)second.Get("notice"));
        await second.CommitAsync();
        var third = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("ada", (string?)third.Get("user"));
        Assert.False(third.Has("notice"));
    }

    [Fact]
    public async Task Whole_blob_semantics_the_last_concurrent_commit_wins_for_every_key()
    {
        var storage = Storage(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("owner", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];
        var a = await SessionStore.LoadAsync(storage, cookie);
        var b = await SessionStore.LoadAsync(storage, cookie);
        a.Set("x", 1);
        b.Set("y", 1);
        await a.CommitAsync();
        await b.CommitAsync();
        var final = await SessionStore.LoadAsync(storage, cookie);
        Assert.False(final.Has("x")); // documented difference from RedisSessionStorage
        Assert.True(final.Has("y"));
    }

    [Fact]
    public async Task A_failing_cache_is_a_clear_SessionStoreUnavailableException_not_a_silent_loss()
    {
        var storage = Storage(new BrokenCache());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await store.CommitAsync());
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task Round_trips_to_the_cache_are_traced_and_a_failing_cache_is_marked_as_an_error()
    {
        using var activities = new SessionActivities();

        var storage = Storage(new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())));
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];
        var second = await SessionStore.LoadAsync(storage, cookie);
        await second.DestroyAsync();

        // Other tests' storages run in parallel: only this storage kind's activities count here.
        string[] Operations() => [.. activities.Of("distributed-cache").Select(a => a.OperationName)];
        Assert.Contains("session.commit", Operations());
        Assert.Contains("session.load", Operations());
        Assert.Contains("session.destroy", Operations());

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(Storage(new BrokenCache()), cookie));
        Assert.Contains(activities.Of("distributed-cache"), a => a.Status == System.Diagnostics.ActivityStatusCode.Error);
    }

    private sealed class BrokenCache : IDistributedCache
    {
        public byte[]? Get(string key) => throw new IOException("down");

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => throw new IOException("down");

        public void Refresh(string key) => throw new IOException("down");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new IOException("down");

        public void Remove(string key) => throw new IOException("down");

        public Task RemoveAsync(string key, CancellationToken token = default) => throw new IOException("down");

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new IOException("down");

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) => throw new IOException("down");
    }
}
