using System.Buffers.Binary;
using System.Runtime.CompilerServices;
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
/// <see cref="SessionStoreUnavailableException"/> instead of being ignored. <c>Destroy</c> and <c>RegenerateId</c>
/// leave a marker entry under the old id for an idle timeout, and a commit to a session it loaded checks for it after
/// writing (one more round trip): a request that loaded the session before a sign-out and commits after takes its
/// write back and sends no cookie, so the old id stays dead.
/// </remarks>
public sealed class DistributedCacheSessionStorage : ServerSessionStorage<JsonSessionValue, ServerSessionMetadata>
{
    /// <summary>Creates the storage.</summary>
    /// <param name="cache">The cache.</param>
    /// <param name="options">Cookie, key and expiry settings; validated here.</param>
    /// <param name="logger">Receives cookie and store events; optional.</param>
    /// <param name="timeProvider">
    /// The clock of cookies and of the absolute lifetime; <see cref="TimeProvider.System"/> when omitted. The idle timeout
    /// is the cache's sliding expiration, counted by the cache's own clock.
    /// </param>
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
        private const byte DestroyedByte = 1;

        // A destroy writes the first; one whose removal then fails overwrites it with the second.
        private static readonly byte[] DestroyedMarker = [DestroyedByte];
        private static readonly byte[] WithdrawnMarker = [0];

        // The ids minted by a request that a commit of that request has written (another request may have loaded them
        // since, through the library directly): by metadata instance, which lives as long as its request's store.
        private static readonly ConditionalWeakTable<ServerSessionMetadata, object> Stored = new();

        public async ValueTask<SessionReadResult<JsonSessionValue, ServerSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            if (header is not null && SessionIds.IsWellFormed(header))
            {
                var entry = await Guard("load", () => cache.GetAsync(ServerSessionKeys.For(options.KeyPrefix, header), cancellationToken), cancellationToken).ConfigureAwait(false);
                if (entry is { Length: >= 8 })
                {
                    var created = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(entry));
                    if (now >= created + options.AbsoluteLifetime)
                    {
                        // Past its absolute lifetime by this storage's clock (the cache expires entries by its own).
                        return new(new StoredSession<JsonSessionValue>(), ServerSessionMetadata.CreateNew(now));
                    }

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
            // The end of the absolute lifetime, told to the cache as time from now: the cache expires entries by its own
            // clock, and the two clocks need not agree (a test's fake clock, a database server's).
            var remaining = metadata.CreatedAt + options.AbsoluteLifetime - clock.GetUtcNow();
            var entryOptions = new DistributedCacheEntryOptions
            {
                SlidingExpiration = options.IdleTimeout,
                AbsoluteExpirationRelativeToNow = remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1),
            };
            var key = ServerSessionKeys.For(options.KeyPrefix, metadata.Id);
            var destroyedMeanwhile = await Guard("commit", async () =>
            {
                await cache.SetAsync(key, entry, entryOptions, cancellationToken).ConfigureAwait(false);
                if (metadata.IsNew && Stored.TryAdd(metadata, Stored))
                {
                    // The first write of an id this request minted: no other request knows it, so none can have
                    // destroyed it.
                    return false;
                }

                // The cache has no conditional write, so the check comes after the write: a destroy writes its marker
                // before it removes the entry, so either it removed what this wrote, or this sees the marker. Once the
                // write is done the check is not cancelled (a client that disconnects here must not leave a destroyed
                // session written back).
                if (await cache.GetAsync(MarkerKey(key), CancellationToken.None).ConfigureAwait(false) is not [DestroyedByte])
                {
                    return false;
                }

                await cache.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (destroyedMeanwhile)
            {
                // A session destroyed while this request ran stays destroyed, and no cookie is sent.
                RedisLog.CommitTakenBack(logger);
                return string.Empty;
            }

            return metadata.Id;
        }

        public async ValueTask<string> DestroyAsync(ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            if (metadata.IsNew && !Stored.TryGetValue(metadata, out _))
            {
                // An id this request minted and never wrote (a visitor signing in): nothing to remove or retire.
                return string.Empty;
            }

            var key = ServerSessionKeys.For(options.KeyPrefix, metadata.Id);
            await Guard("destroy", async () =>
            {
                // The marker outlives any request that loaded the session before this one: the entry itself would have
                // expired an idle timeout after its last use.
                var markerOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.IdleTimeout };
                await cache.SetAsync(MarkerKey(key), DestroyedMarker, markerOptions, cancellationToken).ConfigureAwait(false);
                try
                {
                    // Not cancelled once the marker is written: a sign-out whose client disconnects here still ends.
                    await cache.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
                }
                catch
                {
                    // The session was not removed, so the request fails with it still alive (a sign-in keeps the old id):
                    // the marker is withdrawn (best effort, with the kind of call that just worked), or the session's
                    // next commit would take itself back (event 3005).
                    try
                    {
                        await cache.SetAsync(MarkerKey(key), WithdrawnMarker, markerOptions, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception withdrawal) when (withdrawal is not OutOfMemoryException)
                    {
                        RedisLog.Unavailable(logger, "destroy", withdrawal);
                    }

                    throw;
                }

                return true;
            }, cancellationToken).ConfigureAwait(false);
            return string.Empty;
        }

        /// <summary>The key of the marker a destroyed (or replaced) session leaves behind.</summary>
        private static string MarkerKey(string key) => key + ":destroyed";

        private async Task<T> Guard<T>(string operation, Func<Task<T>> action, CancellationToken cancellationToken)
        {
            using var roundTrip = SessionTelemetry.StartStoreRoundTrip("distributed-cache", operation);
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Only the caller's own cancellation passes through: a provider's timeout that surfaces as a
                // TaskCanceledException is a failing cache like any other.
                roundTrip.Failed();
                // Providers throw their own exception types; whatever the cause, the session must not be silently lost.
                RedisLog.Unavailable(logger, operation, exception);
                throw new SessionStoreUnavailableException($"The distributed cache failed during {operation}.", exception);
            }
        }
    }
}
