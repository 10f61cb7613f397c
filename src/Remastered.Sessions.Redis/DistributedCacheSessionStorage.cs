using System.Buffers.Binary;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Remastered.Sessions.Redis;

/// <summary>
/// Keeps sessions in any <see cref="IDistributedCache"/> (SQL Server, PostgreSQL, NCache, Redis through
/// Microsoft.Extensions.Caching.StackExchangeRedis, ...), so teams can use the cache they already run.
/// </summary>
/// <remarks>
/// Whole-blob semantics, unlike <see cref="RedisSessionStorage"/>: an <see cref="IDistributedCache"/> can only get and set
/// a whole entry, so each commit rewrites the session and the last of two concurrent commits wins for every key (as with
/// ASP.NET Core's own session). A request that changed nothing still writes nothing. Cache failures throw
/// <see cref="SessionStoreUnavailableException"/> instead of being ignored.
/// </remarks>
public sealed class DistributedCacheSessionStorage : ServerSessionStorage<JsonSessionValue, ServerSessionMetadata>
{
    /// <summary>Creates the storage.</summary>
    /// <param name="cache">The cache.</param>
    /// <param name="options">Cookie, key and expiry settings; validated here.</param>
    /// <param name="logger">Receives cookie and store events; optional.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when omitted.</param>
    public DistributedCacheSessionStorage(IDistributedCache cache, DistributedCacheSessionOptions options, ILogger<DistributedCacheSessionStorage>? logger = null, TimeProvider? timeProvider = null)
        : base(new Entries(cache ?? throw new ArgumentNullException(nameof(cache)), Frozen(Validated(options)), logger ?? (ILogger)NullLogger.Instance, timeProvider ?? TimeProvider.System), options, logger, timeProvider)
    {
    }

    /// <summary>A copy the storage keeps: changing the options given to the constructor afterwards changes nothing.</summary>
    private static DistributedCacheSessionOptions Frozen(DistributedCacheSessionOptions options) => new()
    {
        Cookie = options.Cookie,
        IdleTimeout = options.IdleTimeout,
        AbsoluteLifetime = options.AbsoluteLifetime,
        KeyPrefix = options.KeyPrefix,
    };

    private sealed class Entries(IDistributedCache cache, DistributedCacheSessionOptions options, ILogger logger, TimeProvider clock)
        : ISessionStorage<JsonSessionValue, ServerSessionMetadata>
    {
        public async ValueTask<SessionReadResult<JsonSessionValue, ServerSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            if (header is not null && SessionIds.IsWellFormed(header))
            {
                var entry = await Guard("load", () => cache.GetAsync(ServerSessionKeys.For(options.KeyPrefix, header), cancellationToken)).ConfigureAwait(false);
                if (entry is { Length: >= 8 })
                {
                    var created = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(entry));
                    try
                    {
                        var session = JsonSessionSerializer.Deserialize(entry.AsMemory(8));
                        return new(session, new ServerSessionMetadata(header, created, false));
                    }
                    catch (System.Text.Json.JsonException exception)
                    {
                        RedisLog.CorruptField(logger, "(whole session)", exception.GetType().Name);
                    }
                }
            }

            return new(new StoredSession<JsonSessionValue>(), ServerSessionMetadata.CreateNew(now));
        }

        public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var body = JsonSessionSerializer.Serialize(session);
            var entry = new byte[8 + body.Length];
            BinaryPrimitives.WriteInt64BigEndian(entry, metadata.CreatedAt.ToUnixTimeMilliseconds());
            body.CopyTo(entry, 8);
            var entryOptions = new DistributedCacheEntryOptions
            {
                SlidingExpiration = options.IdleTimeout,
                AbsoluteExpiration = metadata.CreatedAt + options.AbsoluteLifetime,
            };
            await Guard("commit", async () =>
            {
                await cache.SetAsync(ServerSessionKeys.For(options.KeyPrefix, metadata.Id), entry, entryOptions, cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            return metadata.Id;
        }

        public async ValueTask<string> DestroyAsync(ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            await Guard("destroy", async () =>
            {
                await cache.RemoveAsync(ServerSessionKeys.For(options.KeyPrefix, metadata.Id), cancellationToken).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
            return string.Empty;
        }

        private async Task<T> Guard<T>(string operation, Func<Task<T>> action)
        {
            using var roundTrip = SessionTelemetry.StartStoreRoundTrip("distributed-cache", operation);
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                roundTrip.Failed();
                // Providers throw their own exception types; whatever the cause, the session must not be silently lost.
                RedisLog.Unavailable(logger, operation, exception);
                throw new SessionStoreUnavailableException($"The distributed cache failed during {operation}.", exception);
            }
        }
    }
}
