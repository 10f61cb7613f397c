using Remastered.Sessions.AspNetCore;
using Remastered.Sessions.Redis;
using StackExchange.Redis;

namespace Remastered.Sessions.Sample;

/// <summary>
/// The sample's session registration, shared by the JIT sample and the Native AOT sample: <c>--storage
/// cookie|memory|redis</c>, <c>--redis host:port[,host:port...]</c>, <c>--redis-prefix</c>, and the development secret.
/// </summary>
internal static class SampleSessions
{
    /// <summary>The storage asked for on the command line (<c>cookie</c> by default).</summary>
    /// <exception cref="ArgumentException">An unknown storage.</exception>
    public static string StorageKind(IConfiguration configuration)
    {
        var storageKind = (configuration["storage"] ?? "cookie").ToLowerInvariant();
        return storageKind is "cookie" or "memory" or "redis"
            ? storageKind
            : throw new ArgumentException($"Unknown --storage '{storageKind}': use cookie, memory or redis.");
    }

    /// <summary>Registers <see cref="AppSession"/> over the chosen storage, with options from the <c>Sessions</c> section.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configuration">The configuration (command line included).</param>
    /// <param name="storageKind">From <see cref="StorageKind"/>.</param>
    /// <param name="secretDirectory">Where the generated development secret is kept when none is configured.</param>
    /// <param name="defaultPrefix">The Redis key prefix unless <c>--redis-prefix</c> says otherwise.</param>
    public static void Add(IServiceCollection services, IConfiguration configuration, string storageKind, string secretDirectory, string defaultPrefix)
    {
        if (storageKind == "redis")
        {
            // One multiplexer per application; it reconnects by itself when Redis comes back.
            var redisOptions = ConfigurationOptions.Parse(configuration["redis"] ?? "127.0.0.1:6379");
            redisOptions.AbortOnConnectFail = false;
            // A command for a server that is down fails at once (a 503 with Retry-After) instead of queueing for the 5 s timeout.
            redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
            services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
        }

        services.AddRemasteredSession<AppSession, JsonSessionStorage>(
            configuration.GetSection("Sessions"),
            options =>
            {
                if (!options.UseDataProtection && options.Cookie.Secrets.Count == 0)
                {
                    options.Cookie.Secrets.Add(DevelopmentSecret.LoadOrCreate(Path.Combine(secretDirectory, ".sample-secret")));
                }
            },
            (provider, options) => storageKind switch
            {
                "memory" => JsonSessionStorage.OverObjects(provider.CreateMemorySessionStorage(options)),
                "redis" => JsonSessionStorage.Over(new RedisSessionStorage(
                    provider.GetRequiredService<IConnectionMultiplexer>(),
                    new RedisSessionOptions
                    {
                        Cookie = provider.CreateSessionCookieOptions(options),
                        IdleTimeout = options.IdleTimeout,
                        AbsoluteLifetime = options.AbsoluteLifetime,
                        KeyPrefix = configuration["redis-prefix"] ?? defaultPrefix,
                    },
                    provider.GetService<ILogger<RedisSessionStorage>>(),
                    provider.GetService<TimeProvider>())),
                _ => JsonSessionStorage.Over(provider.CreateCookieSessionStorage(options)),
            });
    }
}
