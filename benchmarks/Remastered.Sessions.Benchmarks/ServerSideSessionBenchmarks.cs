using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Options;
using Remastered.Sessions.Benchmarks.Scenarios;
using Remastered.Sessions.Redis;
using Remastered.Sessions.Redis.Tests;
using StackExchange.Redis;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// Server-side sessions, one request each (load, read two keys, set one, flash one, commit), medium session:
/// the memory storage against ASP.NET Core session on <see cref="MemoryDistributedCache"/>, and the Redis storage
/// against ASP.NET Core session on <see cref="RedisCache"/>, both on the same private redis-server: one request at a
/// time (latency), and <see cref="Concurrency"/> requests on as many sessions at once (the same load for both).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(PercentileConfig))]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ServerSideSessionBenchmarks
{
    private const string Secret = "benchmark-secret-0123456789abcdefghijklmnop";
    private MemorySessionStorage _memory = null!;
    private string _memoryCookie = null!;
    private MemoryDistributedCache _memoryCache = null!;
    private RedisProcess _redisServer = null!;
    private ConnectionMultiplexer _ours = null!;
    private RedisSessionStorage _redis = null!;
    private string _redisCookie = null!;
    private RedisCache _redisCache = null!;
    private IConnectionMultiplexer? _theirs;
    private readonly string _sessionKey = Guid.NewGuid().ToString();

    /// <summary>Requests in flight at once in the "under load" category, each on its own session.</summary>
    public const int Concurrency = 32;
    private string[] _redisCookies = null!;
    private readonly string[] _sessionKeys = [.. Enumerable.Range(0, Concurrency).Select(_ => Guid.NewGuid().ToString())];
    private readonly IDataProtector _sessionCookieProtector = new EphemeralDataProtectionProvider().CreateProtector("SessionMiddleware");
    private string[] _sessionCookies = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } });
        _memoryCookie = Seed(MemoryBenchSession.LoadAsync(_memory, null).AsTask().GetAwaiter().GetResult());
        _memoryCache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        SeedAspNet(_memoryCache);

        _redisServer = new RedisProcess();
        _ours = ConnectionMultiplexer.Connect(_redisServer.Endpoint);
        _redis = new RedisSessionStorage(_ours, new RedisSessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } });
        _redisCookie = Seed(RedisBenchSession.LoadAsync(_redis, null).AsTask().GetAwaiter().GetResult());
        _redisCache = new RedisCache(Options.Create(new RedisCacheOptions
        {
            InstanceName = "aspnet:",
            ConnectionMultiplexerFactory = async () => _theirs = await ConnectionMultiplexer.ConnectAsync(_redisServer.Endpoint),
        }));
        SeedAspNet(_redisCache);
        _redisCookies = [.. Enumerable.Range(0, Concurrency).Select(_ => Seed(RedisBenchSession.LoadAsync(_redis, null).AsTask().GetAwaiter().GetResult()))];
        foreach (var key in _sessionKeys)
        {
            SeedAspNet(_redisCache, key);
        }

        _sessionCookies = [.. _sessionKeys.Select(key => AspNetCoreSessionScenario.ProtectCookie(_sessionCookieProtector, key))];

        CountRoundTrips();
    }

    /// <summary>
    /// Round trips per request on the wire, in the steady state (scripts cached, connections warm), averaged over many
    /// requests: both contenders talk to redis-server through a proxy that counts the times a client waits for an answer.
    /// </summary>
    private void CountRoundTrips()
    {
        const int Requests = 200;
        using var proxy = new RoundTripCountingProxy("127.0.0.1", _redisServer.Port);
        using var ours = ConnectionMultiplexer.Connect(proxy.Endpoint);
        var storage = new RedisSessionStorage(ours, new RedisSessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } });
        IConnectionMultiplexer? theirs = null;
        using var cache = new RedisCache(Options.Create(new RedisCacheOptions
        {
            InstanceName = "aspnet:",
            ConnectionMultiplexerFactory = async () => theirs = await ConnectionMultiplexer.ConnectAsync(proxy.Endpoint),
        }));

        Task Changing() => RedisRequestAsync(storage, _redisCookie);
        async Task ReadOnly() => await ReadOnlyRequestAsync(storage, _redisCookie);
        Task AspNet() => AspNetCoreSessionScenario.RequestAsync(cache, _sessionKey);

        double Measure(Func<Task> request)
        {
            for (var i = 0; i < 5; i++)
            {
                request().GetAwaiter().GetResult();
            }

            Thread.Sleep(100);
            var before = proxy.RoundTrips;
            for (var i = 0; i < Requests; i++)
            {
                request().GetAwaiter().GetResult();
            }

            return (proxy.RoundTrips - before) / (double)Requests;
        }

        var changing = Measure(Changing);
        var readOnly = Measure(ReadOnly);
        var aspNet = Measure(AspNet);
        theirs?.Dispose();
        Console.WriteLine($"// Redis round trips per request, counted on the wire: Remastered {changing:F2} (read-only request: {readOnly:F2}), ASP.NET Core session {aspNet:F2}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _ours.Dispose();
        _theirs?.Dispose();
        _redisCache.Dispose();
        _redisServer.Dispose();
    }

    [Benchmark(Baseline = true, Description = "ASP.NET Core ISession, memory cache")]
    [BenchmarkCategory("Memory")]
    public Task<int> AspNetCoreSessionInMemory() => AspNetCoreSessionScenario.RequestAsync(_memoryCache, _sessionKey);

    [Benchmark(Description = "Remastered memory storage, generated schema")]
    [BenchmarkCategory("Memory")]
    public async ValueTask<string?> MemoryStorage()
    {
        var session = await MemoryBenchSession.LoadAsync(_memory, _memoryCookie);
        var userId = session.UserId;
        var cart = session.Cart;
        session.Visits = (userId ?? 0) + (cart?.Count ?? 0) + SessionData.NextVisit();
        session.Notice = "Saved!";
        return await session.CommitAsync();
    }

    [Benchmark(Baseline = true, Description = "ASP.NET Core ISession, RedisCache")]
    [BenchmarkCategory("Redis")]
    public Task<int> AspNetCoreSessionOnRedis() => AspNetCoreSessionScenario.RequestAsync(_redisCache, _sessionKey);

    [Benchmark(Description = "Remastered Redis storage, generated schema")]
    [BenchmarkCategory("Redis")]
    public Task<string?> RedisStorage() => RedisRequestAsync(_redisCookie);

    [Benchmark(Baseline = true, Description = "ASP.NET Core ISession, RedisCache, 32 requests at once")]
    [BenchmarkCategory("Redis under load")]
    public Task AspNetCoreSessionOnRedisUnderLoad()
    {
        var requests = new Task[Concurrency];
        for (var i = 0; i < Concurrency; i++)
        {
            requests[i] = AspNetCoreSessionScenario.RequestAsync(_redisCache, _sessionKeys[i]);
        }

        return Task.WhenAll(requests);
    }

    [Benchmark(Description = "ASP.NET Core ISession, RedisCache, 32 at once, with SessionMiddleware's cookie unprotect")]
    [BenchmarkCategory("Redis under load")]
    public Task AspNetCoreSessionWithCookieOnRedisUnderLoad()
    {
        var requests = new Task[Concurrency];
        for (var i = 0; i < Concurrency; i++)
        {
            requests[i] = AspNetCoreSessionScenario.RequestWithCookieAsync(_redisCache, _sessionCookieProtector, _sessionCookies[i]);
        }

        return Task.WhenAll(requests);
    }

    [Benchmark(Description = "Remastered Redis storage, 32 requests at once")]
    [BenchmarkCategory("Redis under load")]
    public Task RedisStorageUnderLoad()
    {
        var requests = new Task[Concurrency];
        for (var i = 0; i < Concurrency; i++)
        {
            requests[i] = RedisRequestAsync(_redisCookies[i]);
        }

        return Task.WhenAll(requests);
    }

    private Task<string?> RedisRequestAsync(string cookie) => RedisRequestAsync(_redis, cookie);

    private static async Task<string?> RedisRequestAsync(RedisSessionStorage storage, string cookie)
    {
        var session = await RedisBenchSession.LoadAsync(storage, cookie);
        var userId = session.UserId;
        var cart = session.Cart;
        session.Visits = (userId ?? 0) + (cart?.Count ?? 0) + SessionData.NextVisit();
        session.Notice = "Saved!";
        return await session.CommitAsync();
    }

    private static async Task<int?> ReadOnlyRequestAsync(RedisSessionStorage storage, string cookie)
    {
        var session = await RedisBenchSession.LoadAsync(storage, cookie);
        var userId = session.UserId;
        await session.CommitAsync();
        return userId;
    }

    private static string Seed<TSession>(TSession session)
        where TSession : ITypedSession
    {
        dynamic typed = session!;
        typed.UserId = (int?)42;
        typed.User = SessionData.User(SessionSize.Medium);
        typed.Cart = SessionData.Cart(SessionSize.Medium);
        typed.Visits = (int?)1;
        return session.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
    }

    private void SeedAspNet(IDistributedCache cache, string? sessionKey = null) => AspNetCoreSessionScenario.Seed(cache, sessionKey ?? _sessionKey,
    [
        KeyValuePair.Create("user_id", JsonSerializer.SerializeToUtf8Bytes(42, BenchJson.Default.Int32)),
        KeyValuePair.Create("user", JsonSerializer.SerializeToUtf8Bytes(SessionData.User(SessionSize.Medium), BenchJson.Default.UserInfo)),
        KeyValuePair.Create("cart", JsonSerializer.SerializeToUtf8Bytes(SessionData.Cart(SessionSize.Medium), BenchJson.Default.ListCartItem)),
        KeyValuePair.Create("visits", JsonSerializer.SerializeToUtf8Bytes(1, BenchJson.Default.Int32)),
    ]);
}

/// <summary>Adds P95 and P99 columns (latency, not just the mean).</summary>
public sealed class PercentileConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public PercentileConfig() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95, new PercentileColumn(99));
}
