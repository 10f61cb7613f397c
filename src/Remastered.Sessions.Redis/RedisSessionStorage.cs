using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Remastered.Sessions.Redis;

/// <summary>
/// Keeps sessions in Redis, shared by every server of an application. The cookie carries only an encrypted random id.
/// </summary>
/// <remarks>
/// <para>
/// Layout: one hash per session under <see cref="RedisSessionOptions.KeyPrefix"/> plus the SHA-256 of the id (a dump of
/// Redis does not hand out live cookies), with a field per session key (<c>k:name</c>), flash markers (<c>f:name</c>),
/// per-key versions when conflicts are detected (<c>v:name</c>), the creation time (<c>m:created</c>) and the time of the
/// last expiry renewal (<c>m:touched</c>). One key per session, so it works with
/// Redis Cluster.
/// </para>
/// <para>
/// Loading is one round trip, a plain <c>HGETALL</c> (no script: running any Lua script costs Redis far more CPU
/// than the command itself). The expiry slides by renewal: a request sets it to <see cref="ServerSessionOptions.IdleTimeout"/> plus a
/// quarter only when the last renewal is more than a quarter of the idle timeout old (a read-only request with one
/// small extra round trip, a commit within its own; a new session at once), so a session expires between one and one
/// and a quarter idle timeouts after its last request. A commit writes only the keys that changed or were removed,
/// consumes flashes and renews the expiry when due in one round trip (one <c>HSET</c>, with a <c>PEXPIRE</c> when a
/// renewal is due, when it only sets fields of an existing session, a
/// <c>MULTI</c>/<c>EXEC</c> of plain commands when it also removes fields or creates the session, or a Lua script that
/// also checks versions with <see cref="RedisSessionOptions.DetectConflicts"/>), so two concurrent requests changing
/// different keys both keep their change, no request sees half a commit, and a request that changed nothing writes
/// nothing. Same-key changes: the last writer wins, or with
/// <see cref="RedisSessionOptions.DetectConflicts"/> the later commit throws <see cref="SessionConflictException"/> and
/// writes nothing.
/// </para>
/// <para>If Redis cannot be reached, loading and committing throw <see cref="SessionStoreUnavailableException"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var redis = await ConnectionMultiplexer.ConnectAsync("localhost:6379");
/// var storage = new RedisSessionStorage(redis, new RedisSessionOptions { Cookie = new() { Name = "sid", Secrets = [secret] } });
/// </code>
/// </example>
public sealed class RedisSessionStorage : ServerSessionStorage<JsonSessionValue, RedisSessionMetadata>
{
    private readonly Records _records;

    /// <summary>Creates the storage over an existing connection (the usual way: one multiplexer per application).</summary>
    /// <param name="redis">The connection.</param>
    /// <param name="options">Cookie, key and expiry settings; validated here.</param>
    /// <param name="logger">Receives cookie and store events; optional.</param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when omitted.</param>
    public RedisSessionStorage(IConnectionMultiplexer redis, RedisSessionOptions options, ILogger<RedisSessionStorage>? logger = null, TimeProvider? timeProvider = null)
        : this(new Records(redis ?? throw new ArgumentNullException(nameof(redis)), Frozen(Validated(options)), logger ?? (ILogger)NullLogger.Instance, timeProvider ?? TimeProvider.System), redis, options, logger, timeProvider)
    {
    }

    private RedisSessionStorage(Records records, IConnectionMultiplexer redis, RedisSessionOptions options, ILogger? logger, TimeProvider? timeProvider)
        : base(records, options, logger, timeProvider)
    {
        _records = records;
        Redis = redis;
    }

    /// <summary>Creates the storage and its connection from a StackExchange.Redis connection string (for example <c>localhost:6379</c>).</summary>
    /// <param name="connectionString">The connection string; the connection is retried in the background if Redis is down.</param>
    /// <param name="options">Cookie, key and expiry settings; validated here.</param>
    /// <param name="logger">Receives cookie and store events; optional.</param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when omitted.</param>
    public RedisSessionStorage(string connectionString, RedisSessionOptions options, ILogger<RedisSessionStorage>? logger = null, TimeProvider? timeProvider = null)
        : this(Connect(connectionString), options, logger, timeProvider)
    {
    }

    /// <summary>The Redis connection.</summary>
    public IConnectionMultiplexer Redis { get; }

    /// <summary>The Redis key that holds the session with id <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The session id.</param>
    public string GetRedisKey(string sessionId) => _records.KeyFor(sessionId);

    /// <summary>A copy the storage keeps: changing the options given to the constructor afterwards changes nothing.</summary>
    private static RedisSessionOptions Frozen(RedisSessionOptions options) => new()
    {
        Cookie = options.Cookie,
        IdleTimeout = options.IdleTimeout,
        AbsoluteLifetime = options.AbsoluteLifetime,
        KeyPrefix = options.KeyPrefix,
        Database = options.Database,
        DetectConflicts = options.DetectConflicts,
        OutageBackoff = options.OutageBackoff,
    };

    private static ConnectionMultiplexer Connect(string connectionString)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        return ConnectionMultiplexer.Connect(configuration);
    }

    /// <summary>The id-keyed Redis half; its "header" is the plain session id.</summary>
    private sealed class Records(IConnectionMultiplexer redis, RedisSessionOptions options, ILogger logger, TimeProvider clock)
        : ISessionStorage<JsonSessionValue, RedisSessionMetadata>
    {
        private const string CreatedField = "m:created";

        // A destroyed session's key is replaced by a marker hash for an idle timeout, so that a request that loaded the
        // session before and commits after cannot bring it back (loads treat the marker as no session).
        private const string DestroyedField = "m:destroyed";
        private const string TouchedField = "m:touched";

        // Renews the expiry of a session that still exists (a read-only request whose last renewal is getting old).
        private const string TouchScript = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('HSET', KEYS[1], 'm:touched', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
            end
            return 1
            """;

        // With conflict detection, applies one commit atomically: version checks, then per-key writes (each bumping the
        // key's version), flash markers, the renewal time and the expiry.
        // ARGV: ttl, absolute lifetime, now, created, operation count, then 4 per operation (operation, key, value,
        // version loaded).
        private const string CommitScript = """
            if redis.call('HEXISTS', KEYS[1], 'm:destroyed') == 1 then return {2} end
            local n = tonumber(ARGV[5])
            for i = 0, n - 1 do
              local b = 6 + i * 4
              local op = ARGV[b]
              if op == 'set' or op == 'delete' then
                local current = redis.call('HGET', KEYS[1], 'v:' .. ARGV[b + 1])
                if (current or '') ~= ARGV[b + 3] then return {0, ARGV[b + 1]} end
              end
            end
            local set = {}
            local del = {}
            for i = 0, n - 1 do
              local b = 6 + i * 4
              local op = ARGV[b]
              local key = ARGV[b + 1]
              if op == 'set' then
                set[#set + 1] = 'k:' .. key
                set[#set + 1] = ARGV[b + 2]
                redis.call('HINCRBY', KEYS[1], 'v:' .. key, 1)
              elseif op == 'delete' then
                del[#del + 1] = 'k:' .. key
                del[#del + 1] = 'f:' .. key
                redis.call('HINCRBY', KEYS[1], 'v:' .. key, 1)
              elseif op == 'flash' then
                set[#set + 1] = 'f:' .. key
                set[#set + 1] = '1'
              elseif op == 'unflash' then
                del[#del + 1] = 'f:' .. key
              end
            end
            if #del > 0 then redis.call('HDEL', KEYS[1], unpack(del)) end
            set[#set + 1] = 'm:touched'
            set[#set + 1] = ARGV[3]
            redis.call('HSET', KEYS[1], unpack(set))
            redis.call('HSETNX', KEYS[1], 'm:created', ARGV[4])
            local ttl = tonumber(ARGV[1])
            local remaining = tonumber(ARGV[4]) + tonumber(ARGV[2]) - tonumber(ARGV[3])
            if remaining < ttl then ttl = remaining end
            if ttl <= 0 then
              redis.call('DEL', KEYS[1])
            else
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return {1}
            """;

        private IDatabase Database => redis.GetDatabase(options.Database);

        /// <summary>
        /// The expiry set by a renewal: the idle timeout plus a quarter, since requests renew only once a quarter of it
        /// has passed; so a session lives at least the idle timeout after its last request.
        /// </summary>
        private TimeSpan RenewedTtl => options.IdleTimeout + options.IdleTimeout / 4;

        // Ticks of the clock until which requests fail at once after an outage was seen (0: not failing fast).
        private long _failFastUntil;

        // The requests that failed in the current outage (0: none); one counter, so that the first failure (3001), the
        // refusals (3003) and the end (3004, with the count) cannot disagree. A command that succeeds ends the outage.
        private long _outageFailures;

        /// <summary>
        /// Runs Redis commands, turning an unreachable server into a logged <see cref="SessionStoreUnavailableException"/>.
        /// While the connection is down, or for <see cref="RedisSessionOptions.OutageBackoff"/> after a timeout, requests
        /// fail at once instead of each waiting for the client's timeout; the multiplexer reconnects by itself.
        /// </summary>
        private async Task<T> RunAsync<T>(string operation, Func<Task<T>> command, string? consequence = null)
        {
            using var roundTrip = SessionTelemetry.StartStoreRoundTrip("redis", operation);
            var now = clock.GetUtcNow().UtcTicks;
            if (!redis.IsConnected || now < Volatile.Read(ref _failFastUntil))
            {
                roundTrip.Failed();
                var refused = new SessionStoreUnavailableException(redis.IsConnected
                    ? $"Redis could not be reached to {operation} the session{consequence} (it did not answer moments ago; failing fast until it is back)."
                    : $"Redis could not be reached to {operation} the session{consequence} (the connection is down; failing fast until it is back).");

                // Logged like every failure: a storage used without the ASP.NET Core integration has no other log of
                // these requests. The first failure of an outage is an error (the client may have seen the connection
                // drop before any command failed); the requests refused after it are debug entries (an outage under
                // load refuses thousands a second), and the end of the outage is logged with their count (3004).
                if (Interlocked.Increment(ref _outageFailures) == 1)
                {
                    RedisLog.Unavailable(logger, operation, refused);
                }
                else
                {
                    RedisLog.FailingFast(logger, operation);
                }

                throw refused;
            }

            try
            {
                var result = await command().ConfigureAwait(false);

                // The outage is over once Redis answers on a live connection past the fail-fast window (a command sent
                // before the connection dropped may still complete: that does not end it).
                if (Volatile.Read(ref _outageFailures) != 0 && redis.IsConnected && clock.GetUtcNow().UtcTicks >= Volatile.Read(ref _failFastUntil)
                    && Interlocked.Exchange(ref _outageFailures, 0) is var failed and > 0)
                {
                    RedisLog.Back(logger, failed);
                }

                return result;
            }
            catch (Exception exception) when (IsUnavailable(exception))
            {
                Interlocked.Increment(ref _outageFailures);
                // A lost connection is seen by IsConnected until the multiplexer reconnects; a server that is connected
                // but does not answer (timeouts) is given OutageBackoff before the next request waits on it again.
                if (exception is TimeoutException or RedisTimeoutException)
                {
                    Volatile.Write(ref _failFastUntil, clock.GetUtcNow().UtcTicks + options.OutageBackoff.Ticks);
                }

                roundTrip.Failed();
                RedisLog.Unavailable(logger, operation, exception);
                throw new SessionStoreUnavailableException($"Redis could not be reached to {operation} the session{consequence}.", exception);
            }
        }

        public string KeyFor(string sessionId) => ServerSessionKeys.For(options.KeyPrefix, sessionId);

        public async ValueTask<SessionReadResult<JsonSessionValue, RedisSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            if (header is null || !SessionIds.IsWellFormed(header))
            {
                return Fresh(now);
            }

            var key = KeyFor(header);
            var fields = await RunAsync("load", () => Database.HashGetAllAsync(key)).ConfigureAwait(false);

            if (fields.Length == 0)
            {
                return Fresh(now);
            }

            var created = now;
            long touchedMs = 0;
            var values = new List<(string Key, byte[] Json)>(fields.Length);
            List<string>? flashes = null;
            List<(string Key, string Version)>? versions = null;
            foreach (var field in fields)
            {
                // Field names are classified on their bytes and decoded once, without the prefix.
                var name = ((ReadOnlyMemory<byte>)field.Name).Span;
                if (name.Length < 2 || name[1] != (byte)':')
                {
                    continue;
                }

                switch (name[0])
                {
                    case (byte)'k':
                        values.Add((Encoding.UTF8.GetString(name[2..]), (byte[])field.Value!));
                        break;
                    case (byte)'f':
                        (flashes ??= []).Add(Encoding.UTF8.GetString(name[2..]));
                        break;
                    case (byte)'v':
                        (versions ??= []).Add((Encoding.UTF8.GetString(name[2..]), (string)field.Value!));
                        break;
                    case (byte)'m' when name.SequenceEqual("m:created"u8) && field.Value.TryParse(out long ms):
                        created = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                        break;
                    case (byte)'m' when name.SequenceEqual("m:touched"u8):
                        _ = field.Value.TryParse(out touchedMs);
                        break;
                    case (byte)'m' when name.SequenceEqual("m:destroyed"u8):
                        return Fresh(now); // destroyed: whatever a late commit wrote into the marker is never served
                }
            }

            var remaining = created + options.AbsoluteLifetime - now;
            if (remaining <= TimeSpan.Zero)
            {
                // Past its absolute lifetime however active: never served, and removed now rather than at its expiry.
                await RunAsync("load", () => Database.KeyDeleteAsync(key)).ConfigureAwait(false);
                return Fresh(now);
            }

            if (RenewalDue(touchedMs, now.ToUnixTimeMilliseconds()))
            {
                var ttl = Math.Min((long)RenewedTtl.TotalMilliseconds, (long)remaining.TotalMilliseconds);
                await RunAsync("load", () => Database.ScriptEvaluateAsync(TouchScript, [key], [ttl, now.ToUnixTimeMilliseconds()])).ConfigureAwait(false);
                touchedMs = now.ToUnixTimeMilliseconds();
            }

            var metadata = new RedisSessionMetadata(header, created, isNew: false) { RenewedAtMs = touchedMs };
            var session = new StoredSession<JsonSessionValue>();
            foreach (var (name, json) in values)
            {
                JsonSessionValue parsed;
                try
                {
                    parsed = JsonSessionValue.Parse(json);
                }
                catch (System.Text.Json.JsonException exception)
                {
                    // A corrupted field costs that field only, never the session or a request.
                    RedisLog.CorruptField(logger, name, exception.GetType().Name);
                    continue;
                }

                session.Content[name] = parsed;
                metadata.Loaded[name] = parsed;
            }

            foreach (var name in flashes ?? [])
            {
                if (session.Content.ContainsKey(name))
                {
                    session.FlashedKeys.Add(name);
                    metadata.LoadedFlashes.Add(name);
                }
            }

            foreach (var (name, version) in versions ?? [])
            {
                metadata.Versions[name] = version;
            }

            return new(session, metadata);
        }

        public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            var operations = new List<(FieldOperation Op, string Key, RedisValue Value)>();
            foreach (var (key, value) in session.Content)
            {
                if (!metadata.Loaded.TryGetValue(key, out var loaded) || !(ReferenceEquals(loaded, value) || loaded.Equals(value)))
                {
                    operations.Add((FieldOperation.Set, key, value.Utf8Json));
                }
            }

            foreach (var key in metadata.Loaded.Keys)
            {
                if (!session.Content.ContainsKey(key))
                {
                    operations.Add((FieldOperation.Delete, key, RedisValue.EmptyString));
                }
            }

            foreach (var key in session.FlashedKeys)
            {
                if (!metadata.LoadedFlashes.Contains(key))
                {
                    operations.Add((FieldOperation.MarkFlash, key, RedisValue.EmptyString));
                }
            }

            foreach (var key in metadata.LoadedFlashes)
            {
                if (!session.FlashedKeys.Contains(key) && session.Content.ContainsKey(key))
                {
                    operations.Add((FieldOperation.UnmarkFlash, key, RedisValue.EmptyString));
                }
            }

            var written = await RunAsync(
                "commit",
                async () =>
                {
                    return options.DetectConflicts
                        ? await CommitScriptAsync(metadata, operations, now).ConfigureAwait(false)
                        : await CommitTransactionAsync(metadata, operations, now).ConfigureAwait(false);
                },
                "; nothing was written").ConfigureAwait(false);

            if (!written)
            {
                // A session destroyed while this request ran stays destroyed, and no cookie is sent.
                RedisLog.CommitTakenBack(logger);
                return string.Empty;
            }

            metadata.Stored = true;

            // The snapshot follows what was written, so that a second commit of the request compares with this one (a
            // flash kept after the commit that removed it is written again, not taken as unchanged), and with conflict
            // detection expects the versions this commit left.
            foreach (var (op, name, _) in operations)
            {
                switch (op)
                {
                    case FieldOperation.Set:
                        metadata.Loaded[name] = session.Content[name];
                        break;
                    case FieldOperation.Delete:
                        metadata.Loaded.Remove(name);
                        metadata.LoadedFlashes.Remove(name);
                        break;
                    case FieldOperation.MarkFlash:
                        metadata.LoadedFlashes.Add(name);
                        break;
                    case FieldOperation.UnmarkFlash:
                        metadata.LoadedFlashes.Remove(name);
                        break;
                }

                if (options.DetectConflicts && op is FieldOperation.Set or FieldOperation.Delete)
                {
                    // The script checked the version this request expected and incremented it.
                    var expected = metadata.Versions.TryGetValue(name, out var version) && long.TryParse(version, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;
                    metadata.Versions[name] = (expected + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return metadata.Id;
        }

        /// <summary>
        /// Without conflict detection a commit is plain commands sent together in one round trip: one <c>HSET</c> (and
        /// a <c>PEXPIRE</c> when a renewal is due) when it only sets fields of an existing session, otherwise a
        /// <c>MULTI</c>/<c>EXEC</c>.
        /// Plain commands cost Redis a fraction of the CPU of the same commit as a Lua script (docs/benchmarks.md).
        /// </summary>
        private async Task<bool> CommitTransactionAsync(RedisSessionMetadata metadata, List<(FieldOperation Op, string Key, RedisValue Value)> operations, DateTimeOffset now)
        {
            var key = KeyFor(metadata.Id);
            var nowMs = now.ToUnixTimeMilliseconds();
            var sets = CountSets(operations);

            // The expiry is renewed by the same rule as on reads (the last renewal is a quarter of the idle timeout
            // old), and always with a new session or a removal, which go through a transaction anyway.
            var renew = metadata.IsNew || operations.Count > sets || RenewalDue(metadata.RenewedAtMs, nowMs);

            // The creation time is rewritten with the value this request loaded (or created): the same on every
            // request of the session, so a plain field in the HSET instead of a separate HSETNX.
            var set = new HashEntry[sets + (renew ? 2 : 1)];
            var delete = new List<RedisValue>();
            var next = 0;
            foreach (var (op, name, value) in operations)
            {
                switch (op)
                {
                    case FieldOperation.Set:
                        set[next++] = new HashEntry("k:" + name, value);
                        break;
                    case FieldOperation.MarkFlash:
                        set[next++] = new HashEntry("f:" + name, "1");
                        break;
                    case FieldOperation.Delete:
                        delete.Add("k:" + name);
                        delete.Add("f:" + name);
                        break;
                    case FieldOperation.UnmarkFlash:
                        delete.Add("f:" + name);
                        break;
                }
            }

            set[next++] = new HashEntry(CreatedField, metadata.CreatedAt.ToUnixTimeMilliseconds());
            if (renew)
            {
                set[next] = new HashEntry(TouchedField, nowMs);
            }

            var ttl = Math.Min((long)RenewedTtl.TotalMilliseconds, (long)(metadata.CreatedAt + options.AbsoluteLifetime - now).TotalMilliseconds);
            if (ttl <= 0)
            {
                await Database.KeyDeleteAsync(key).ConfigureAwait(false);
                return true;
            }

            if (!renew)
            {
                if (set.Length == 1)
                {
                    return true; // nothing changed and no renewal due: nothing to write
                }

                // Fields of an existing session set, no renewal due: one HSET, atomic by itself, which keeps the key's
                // expiry. It answers how many fields it added; all of them, the creation time included, means the
                // session had expired since this request loaded it and was just recreated: give it its expiry (a
                // second round trip, only in that race).
                var added = (long)await Database.ExecuteAsync("HSET", HsetArguments(key, set)).ConfigureAwait(false);
                return added < set.Length || await RecreatedAsync(key, set, ttl).ConfigureAwait(false);
            }

            if (delete.Count == 0 && !metadata.IsNew)
            {
                // Renewal due, nothing removed from a session that already exists: the HSET (atomic by itself) and the
                // PEXPIRE in one write, without a transaction (were the PEXPIRE lost, the key would keep the expiry
                // of its last renewal).
                var batch = Database.CreateBatch();
                var setting = batch.ExecuteAsync("HSET", HsetArguments(key, set));
                var renewing = batch.KeyExpireAsync(key, TimeSpan.FromMilliseconds(ttl));
                batch.Execute();
                var addedFields = (long)await setting.ConfigureAwait(false);
                await renewing.ConfigureAwait(false);
                return addedFields < set.Length || await RecreatedAsync(key, set, ttl).ConfigureAwait(false);
            }

            // A new session (whose key must never exist without an expiry) or a commit that also removes fields
            // (which another request must not see half done): one MULTI/EXEC.
            var transaction = Database.CreateTransaction();
            if (delete.Count > 0)
            {
                _ = transaction.HashDeleteAsync(key, [.. delete]);
            }

            // Inside the transaction, before the writes: whether the session was destroyed meanwhile. (A condition
            // would cost a round trip of its own; this costs one in the rare case, to take the writes back.)
            // (An id this request minted and has not written yet is known to no other request.)
            var destroyed = metadata.IsNew && !metadata.Stored ? null : transaction.HashExistsAsync(key, DestroyedField);
            _ = transaction.HashSetAsync(key, set);
            _ = transaction.KeyExpireAsync(key, TimeSpan.FromMilliseconds(ttl));
            await transaction.ExecuteAsync().ConfigureAwait(false);
            if (destroyed is not null && await destroyed.ConfigureAwait(false))
            {
                await Database.HashDeleteAsync(key, [.. set.Select(e => e.Name)]).ConfigureAwait(false);
                return false;
            }

            return true;
        }

        /// <summary>
        /// The rare case of a commit whose HSET added every field, the creation time included: the key was gone since
        /// this request loaded it. Expired, it is recreated with its expiry, as the session was in use; destroyed (the
        /// marker is there), the fields just written are taken back and the commit reports that nothing was saved.
        /// </summary>
        private async Task<bool> RecreatedAsync(RedisKey key, HashEntry[] set, long ttl)
        {
            if (await Database.HashExistsAsync(key, DestroyedField).ConfigureAwait(false))
            {
                await Database.HashDeleteAsync(key, [.. set.Select(e => e.Name)]).ConfigureAwait(false);
                return false;
            }

            await Database.KeyExpireAsync(key, TimeSpan.FromMilliseconds(ttl)).ConfigureAwait(false);
            return true;
        }

        private static object[] HsetArguments(RedisKey key, HashEntry[] set)
        {
            var arguments = new object[1 + (set.Length * 2)];
            arguments[0] = key;
            for (var i = 0; i < set.Length; i++)
            {
                arguments[1 + (i * 2)] = set[i].Name;
                arguments[2 + (i * 2)] = set[i].Value;
            }

            return arguments;
        }

        /// <summary>Whether the expiry, last renewed at <paramref name="renewedAtMs"/>, is due for renewal.</summary>
        private bool RenewalDue(long renewedAtMs, long nowMs) => nowMs - renewedAtMs >= (long)(options.IdleTimeout.TotalMilliseconds / 4);

        private static int CountSets(List<(FieldOperation Op, string Key, RedisValue Value)> operations)
        {
            var count = 0;
            foreach (var operation in operations)
            {
                if (operation.Op is FieldOperation.Set or FieldOperation.MarkFlash)
                {
                    count++;
                }
            }

            return count;
        }

        /// <summary>With conflict detection: one script call that checks the versions and writes, atomically, in one round trip.</summary>
        private async Task<bool> CommitScriptAsync(RedisSessionMetadata metadata, List<(FieldOperation Op, string Key, RedisValue Value)> operations, DateTimeOffset now)
        {
            var arguments = new RedisValue[5 + (operations.Count * 4)];
            arguments[0] = (long)RenewedTtl.TotalMilliseconds;
            arguments[1] = (long)options.AbsoluteLifetime.TotalMilliseconds;
            arguments[2] = now.ToUnixTimeMilliseconds();
            arguments[3] = metadata.CreatedAt.ToUnixTimeMilliseconds();
            arguments[4] = operations.Count;
            for (var i = 0; i < operations.Count; i++)
            {
                var (op, name, value) = operations[i];
                arguments[5 + (i * 4)] = op switch
                {
                    FieldOperation.Set => "set",
                    FieldOperation.Delete => "delete",
                    FieldOperation.MarkFlash => "flash",
                    _ => "unflash",
                };
                arguments[6 + (i * 4)] = name;
                arguments[7 + (i * 4)] = value;
                arguments[8 + (i * 4)] = metadata.Versions.TryGetValue(name, out var version) ? version : string.Empty;
            }

            var outcome = (RedisResult[])(await Database.ScriptEvaluateAsync(CommitScript, [KeyFor(metadata.Id)], arguments).ConfigureAwait(false))!;
            if ((long)outcome[0] == 0)
            {
                throw new SessionConflictException((string)outcome[1]!);
            }

            return (long)outcome[0] != 2;
        }

        public async ValueTask<string> DestroyAsync(RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            if (metadata.IsNew && !metadata.Stored)
            {
                // An id this request minted and never wrote (a visitor signing in): no hash to retire, and a marker would
                // only be one more key per sign-in; a request that loads the id finds nothing and gets a new one anyway.
                return string.Empty;
            }

            var key = KeyFor(metadata.Id);
            await RunAsync("destroy", async () =>
            {
                var transaction = Database.CreateTransaction();
                _ = transaction.KeyDeleteAsync(key);
                _ = transaction.HashSetAsync(key, DestroyedField, 1);
                _ = transaction.KeyExpireAsync(key, RenewedTtl);
                return await transaction.ExecuteAsync().ConfigureAwait(false);
            }).ConfigureAwait(false);

            return string.Empty;
        }

        private static SessionReadResult<JsonSessionValue, RedisSessionMetadata> Fresh(DateTimeOffset now)
            => new(new StoredSession<JsonSessionValue>(), new RedisSessionMetadata(SessionIds.NewId(), now, isNew: true));

        private static bool IsUnavailable(Exception exception)
            => exception is RedisConnectionException or RedisTimeoutException or TimeoutException
                || (exception is RedisServerException server && IsTransientServerError(server.Message));

        // LOADING: a restarted server reading its data; MASTERDOWN: a replica that lost its master; CLUSTERDOWN: a
        // cluster between losing a master and promoting its replica; TRYAGAIN: a cluster moving the key's slot;
        // READONLY: a write that reached a node just demoted to replica; EXECABORT: a MULTI whose commands the server
        // refused to queue (during a failover, for one of the reasons above), so that nothing of it was written;
        // OOM: a Redis at maxmemory that evicts nothing (it takes no writes until memory is freed).
        private static bool IsTransientServerError(string message)
            => message.StartsWith("LOADING", StringComparison.Ordinal) || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
                || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal) || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
                || message.StartsWith("READONLY", StringComparison.Ordinal) || message.StartsWith("EXECABORT", StringComparison.Ordinal)
                || message.StartsWith("OOM", StringComparison.Ordinal);
    }
}

/// <summary>What a commit does to one session key's fields in Redis.</summary>
internal enum FieldOperation
{
    /// <summary>Write the value (<c>k:{key}</c>).</summary>
    Set,

    /// <summary>Remove the value and its flash marker.</summary>
    Delete,

    /// <summary>Mark the key as a flash (<c>f:{key}</c>).</summary>
    MarkFlash,

    /// <summary>Remove the flash marker (the key was set, kept as persistent).</summary>
    UnmarkFlash,
}
