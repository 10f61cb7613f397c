using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Remastered.Sessions.Redis.Tests;

public sealed class DistributedCacheSessionStorageTests
{
    private const string Secret = "redis-tests-secret-0123456789abcdefghijkl";

    private static DistributedCacheSessionStorage Storage(IDistributedCache cache, TimeProvider? clock = null, EventLog? events = null)
        => new(
            cache,
            new DistributedCacheSessionOptions { Cookie = new CookieSessionOptions { Secrets = [Secret] } },
            events is null ? null : new Microsoft.Extensions.Logging.Logger<DistributedCacheSessionStorage>(new Microsoft.Extensions.Logging.LoggerFactory([events])),
            clock);

    private static MemoryDistributedCache NewCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    private static async Task<string> NewSessionAsync(DistributedCacheSessionStorage storage, params (string Key, string Value)[] values)
    {
        var store = await SessionStore.LoadAsync(storage, null);
        foreach (var (key, value) in values)
        {
            store.Set(key, value);
        }

        return (await store.CommitAsync())!.Split(';')[0];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_that_loaded_a_session_before_it_was_destroyed_or_replaced_cannot_bring_it_back(bool regenerate)
    {
        var events = new EventLog();
        var storage = Storage(NewCache(), events: events);
        var cookie = await NewSessionAsync(storage, ("user", "ada"));

        var stale = await SessionStore.LoadAsync(storage, cookie);   // a slow request, loaded before the sign-out
        var signOut = await SessionStore.LoadAsync(storage, cookie);
        string? replacement = null;
        if (regenerate)
        {
            signOut.RegenerateId();
            signOut.Set("user", "grace");
            replacement = (await signOut.CommitAsync())!.Split(';')[0];
        }
        else
        {
            await signOut.DestroyAsync();
        }

        stale.Set("cart", "1 item");
        Assert.Equal(0, events.Count(3005));
        Assert.Null(await stale.CommitAsync()); // taken back, no cookie sent
        Assert.Equal(1, events.Count(3005));
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
        if (replacement is not null)
        {
            Assert.Equal("grace", (string?)(await SessionStore.LoadAsync(storage, replacement)).Get("user"));
        }

    }

    [Fact]
    public async Task A_late_commit_whose_client_disconnects_right_after_the_write_still_takes_the_write_back()
    {
        var cache = new SwitchableCache();
        var storage = Storage(cache);
        var cookie = await NewSessionAsync(storage, ("user", "ada"));
        var stale = await SessionStore.LoadAsync(storage, cookie);
        await (await SessionStore.LoadAsync(storage, cookie)).DestroyAsync();

        using var aborted = new CancellationTokenSource();
        cache.AfterWrite = aborted.Cancel;   // the client goes away once the entry is written
        stale.Set("cart", "1 item");
        await stale.CommitAsync(aborted.Token);
        cache.AfterWrite = null;

        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
    }

    [Fact]
    public async Task A_session_that_expired_while_a_request_ran_is_written_back_by_it()
    {
        var cache = new SwitchableCache();
        var storage = Storage(cache);
        var cookie = await NewSessionAsync(storage, ("user", "lin"));
        var running = await SessionStore.LoadAsync(storage, cookie);
        await cache.RemoveAsync(Assert.Single(cache.WrittenKeys));   // its idle timeout passed meanwhile
        running.Set("cart", "2 items");
        await running.CommitAsync();
        var later = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("lin", (string?)later.Get("user"));
        Assert.Equal("2 items", (string?)later.Get("cart"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_sign_in_that_fails_leaves_the_session_fully_usable_under_its_old_id(bool failRetirement)
    {
        var cache = new SwitchableCache();
        var storage = Storage(cache);
        var cookie = await NewSessionAsync(storage, ("cart", "3 items"));

        var signIn = await SessionStore.LoadAsync(storage, cookie);
        signIn.RegenerateId();
        signIn.Set("user", "ada");
        if (failRetirement)
        {
            cache.RemoveFailure = () => new IOException("removals refused");  // the new record and the marker are written
        }
        else
        {
            cache.WriteFailure = () => new IOException("down");    // only the new record is not written: markers and removals work
        }

        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await signIn.CommitAsync());
        cache.RemoveFailure = cache.WriteFailure = null;

        // The visitor goes on under the old id: its next change is kept, not taken back as if it had been destroyed.
        var visitor = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("3 items", (string?)visitor.Get("cart"));
        visitor.Set("cart", "4 items");
        await visitor.CommitAsync();
        Assert.Equal("4 items", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("cart"));

        // The cache is back: a sign-in succeeds, and only then is the old id retired.
        var retry = await SessionStore.LoadAsync(storage, cookie);
        retry.RegenerateId();
        retry.Set("user", "ada");
        var signedIn = (await retry.CommitAsync())!.Split(';')[0];
        Assert.NotEqual(cookie, signedIn);
        var after = await SessionStore.LoadAsync(storage, signedIn);
        Assert.Equal("ada", (string?)after.Get("user"));
        Assert.Equal("4 items", (string?)after.Get("cart"));
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
    }

    [Fact]
    public async Task A_sign_out_followed_by_values_that_fails_leaves_the_session_signed_in()
    {
        var cache = new SwitchableCache();
        var storage = Storage(cache);
        var cookie = await NewSessionAsync(storage, ("user", "ada"));

        var signOut = await SessionStore.LoadAsync(storage, cookie);
        signOut.Destroy();
        signOut.Flash("notice", "Signed out");
        cache.WriteFailure = () => new IOException("down");    // the new session is not written; markers and removals work
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await signOut.CommitAsync());
        cache.WriteFailure = null;

        // Nothing half done: still signed in (the request failed), and a retry signs out.
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("user"));
        var signedOut = (await signOut.CommitAsync())!.Split(';')[0];
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
        Assert.Equal("Signed out", (string?)(await SessionStore.LoadAsync(storage, signedOut)).Get("notice"));
    }

    [Fact]
    public async Task A_second_commit_of_a_signed_in_id_that_another_request_destroyed_writes_nothing()
    {
        var storage = Storage(NewCache());
        var cookie = await NewSessionAsync(storage, ("cart", "3 items"));
        var signIn = await SessionStore.LoadAsync(storage, cookie);
        signIn.RegenerateId();
        signIn.Set("user", "ada");
        var signedIn = (await signIn.CommitAsync())!.Split(';')[0];

        await (await SessionStore.LoadAsync(storage, signedIn)).DestroyAsync();
        signIn.Set("late", "x");
        Assert.Null(await signIn.CommitAsync());
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, signedIn)).Count);
    }

    [Fact]
    public async Task Expiry_follows_the_storages_clock_whatever_the_caches_clock_says()
    {
        // The cache (MemoryDistributedCache) keeps real time; the storage's clock is a test clock in 2000.
        var clock = new FakeTimeProvider(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var storage = new DistributedCacheSessionStorage(
            new SwitchableCache(),
            new DistributedCacheSessionOptions { Cookie = new CookieSessionOptions { Secrets = [Secret] }, AbsoluteLifetime = TimeSpan.FromHours(1), IdleTimeout = TimeSpan.FromDays(1) },
            timeProvider: clock);
        var cookie = await NewSessionAsync(storage, ("user", "ada"));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("user"));

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("user"));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
    }

    [Fact]
    public async Task A_providers_own_timeout_is_a_failing_cache_and_only_the_callers_cancellation_passes_through()
    {
        var cache = new SwitchableCache();
        var storage = Storage(cache);
        var cookie = await NewSessionAsync(storage, ("user", "ada"));

        cache.Failure = () => new TaskCanceledException("the provider's command timed out");
        var error = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(storage, cookie));
        Assert.IsType<TaskCanceledException>(error.InnerException);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        cache.Failure = () => new OperationCanceledException(cancelled.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await SessionStore.LoadAsync(storage, cookie, cancelled.Token));
    }

    /// <summary>A real <see cref="MemoryDistributedCache"/> that can be made to fail (every call, writes only or removals only), and remembers the keys written.</summary>
    private sealed class SwitchableCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = NewCache();

        public Func<Exception>? Failure { get; set; }

        /// <summary>Fails writes of session entries (not of destroy markers).</summary>
        public Func<Exception>? WriteFailure { get; set; }

        public Func<Exception>? RemoveFailure { get; set; }

        /// <summary>Runs after each successful write.</summary>
        public Action? AfterWrite { get; set; }

        public List<string> WrittenKeys { get; } = [];

        public byte[]? Get(string key) => _inner.Get(key);

        // MemoryDistributedCache ignores tokens; network providers (RedisCache, SQL Server) honour them, as this does.
        public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
            => token.IsCancellationRequested ? Task.FromCanceled<byte[]?>(token) : Fail() ?? _inner.GetAsync(key, token);

        public void Refresh(string key) => _inner.Refresh(key);

        public Task RefreshAsync(string key, CancellationToken token = default) => _inner.RefreshAsync(key, token);

        public void Remove(string key) => _inner.Remove(key);

        public Task RemoveAsync(string key, CancellationToken token = default)
            => token.IsCancellationRequested ? Task.FromCanceled(token)
                : RemoveFailure is { } failure ? Task.FromException(failure()) : (Task?)Fail() ?? _inner.RemoveAsync(key, token);

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => _inner.Set(key, value, options);

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            if ((Failure ?? (key.EndsWith(":destroyed", StringComparison.Ordinal) ? null : WriteFailure)) is { } failure)
            {
                return Task.FromException(failure());
            }

            WrittenKeys.Add(key);
            var written = _inner.SetAsync(key, value, options, token);
            AfterWrite?.Invoke();
            return written;
        }

        private Task<byte[]?>? Fail() => Failure is { } failure ? Task.FromException<byte[]?>(failure()) : null;
    }

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
