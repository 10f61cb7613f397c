using System.Globalization;
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
/// per-key versions (<c>v:name</c>) and the creation time (<c>m:created</c>). One key per session, so it works with
/// Redis Cluster.
/// </para>
/// <para>
/// Loading is one round trip (a script that reads the hash and renews its expiry). A commit writes only the keys that
/// changed or were removed, consumes flashes and renews the expiry atomically in one round trip (a Lua script), so two
/// concurrent requests changing different keys both keep their change, and a request that changed nothing writes
/// nothing. Same-key changes: the last writer wins, or with <see cref="RedisSessionOptions.DetectConflicts"/> the later
/// commit throws <see cref="SessionConflictException"/> and writes nothing.
/// </para>
/// <para>If Redis cannot be reached, loading and committing throw <see cref="SessionStoreUnavailableException"/>.</para>
/// </remarks>
/// <example>
/// <code>
/// var redis = await ConnectionMultiplexer.ConnectAsync("localhost:6379");
/// var storage = new RedisSessionStorage(redis, new RedisSessionOptions { Cookie = new() { Name = "sid", Secrets = [secret] } });
/// </code>
/// </example>
public sealed class RedisSessionStorage : ISessionStorage<JsonSessionValue, RedisSessionMetadata>, ISessionStorageWithLogger
{
    private readonly EncryptedCookieStorage<JsonSessionValue, RedisSessionMetadata> _cookies;
    private readonly Records _records;

    /// <summary>Creates the storage over an existing connection (the usual way: one multiplexer per application).</summary>
    /// <param name="redis">The connection.</param>
    /// <param name="options">Cookie, key and expiry settings; validated here.</param>
    /// <param name="logger">Receives cookie and store events; optional.</param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when omitted.</param>
    public RedisSessionStorage(IConnectionMultiplexer redis, RedisSessionOptions options, ILogger<RedisSessionStorage>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = timeProvider ?? TimeProvider.System;
        Redis = redis;
        _records = new Records(redis, options, logger ?? (ILogger)NullLogger.Instance, clock);
        _cookies = new EncryptedCookieStorage<JsonSessionValue, RedisSessionMetadata>(_records, options.Cookie, logger, clock);
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

    /// <inheritdoc />
    public ILogger Logger => _cookies.Logger;

    /// <summary>The Redis key that holds the session with id <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The session id.</param>
    public string GetRedisKey(string sessionId) => _records.KeyFor(sessionId);

    /// <inheritdoc />
    public ValueTask<SessionReadResult<JsonSessionValue, RedisSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => _cookies.FromHeaderAsync(header, cancellationToken);

    /// <inheritdoc />
    /// <exception cref="SessionConflictException">With conflict detection, another request changed a key this commit changes.</exception>
    /// <exception cref="SessionStoreUnavailableException">Redis cannot be reached; nothing was written.</exception>
    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        => _cookies.ToHeaderAsync(session, metadata, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> DestroyAsync(RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        => _cookies.DestroyAsync(metadata, cancellationToken);

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

        // Reads the hash and renews its expiry in one round trip; drops it if past its absolute lifetime.
        private const string LoadScript = """
            local h = redis.call('HGETALL', KEYS[1])
            if #h == 0 then return h end
            local ttl = tonumber(ARGV[1])
            for i = 1, #h, 2 do
              if h[i] == 'm:created' then
                local remaining = tonumber(h[i + 1]) + tonumber(ARGV[2]) - tonumber(ARGV[3])
                if remaining <= 0 then
                  redis.call('DEL', KEYS[1])
                  return {}
                end
                if remaining < ttl then ttl = remaining end
              end
            end
            redis.call('PEXPIRE', KEYS[1], ttl)
            return h
            """;

        // Applies one commit atomically: optional version checks, then per-key writes, flash markers and expiry.
        private const string CommitScript = """
            local n = tonumber(ARGV[6])
            if ARGV[5] == '1' then
              for i = 0, n - 1 do
                local b = 7 + i * 4
                local op = ARGV[b]
                if op == 's' or op == 'd' then
                  local current = redis.call('HGET', KEYS[1], 'v:' .. ARGV[b + 1])
                  if (current or '') ~= ARGV[b + 3] then return {0, ARGV[b + 1]} end
                end
              end
            end
            for i = 0, n - 1 do
              local b = 7 + i * 4
              local op = ARGV[b]
              local key = ARGV[b + 1]
              if op == 's' then
                redis.call('HSET', KEYS[1], 'k:' .. key, ARGV[b + 2])
                redis.call('HINCRBY', KEYS[1], 'v:' .. key, 1)
              elseif op == 'd' then
                redis.call('HDEL', KEYS[1], 'k:' .. key, 'f:' .. key)
                redis.call('HINCRBY', KEYS[1], 'v:' .. key, 1)
              elseif op == 'F' then
                redis.call('HSET', KEYS[1], 'f:' .. key, '1')
              elseif op == 'U' then
                redis.call('HDEL', KEYS[1], 'f:' .. key)
              end
            end
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

        public string KeyFor(string sessionId) => ServerSessionKeys.For(options.KeyPrefix, sessionId);

        public async ValueTask<SessionReadResult<JsonSessionValue, RedisSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            if (header is null || !SessionIds.IsWellFormed(header))
            {
                return Fresh(now);
            }

            RedisResult result;
            try
            {
                result = await Database.ScriptEvaluateAsync(
                    LoadScript,
                    [KeyFor(header)],
                    [(long)options.IdleTimeout.TotalMilliseconds, (long)options.AbsoluteLifetime.TotalMilliseconds, now.ToUnixTimeMilliseconds()]).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsUnavailable(exception))
            {
                RedisLog.Unavailable(logger, "load", exception);
                throw new SessionStoreUnavailableException("Redis could not be reached to load the session.", exception);
            }

            var fields = (RedisResult[])result!;
            if (fields.Length == 0)
            {
                return Fresh(now);
            }

            var created = now;
            var values = new List<(string Key, byte[] Json)>();
            var flashes = new List<string>();
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                var name = (string)fields[i]!;
                var value = fields[i + 1];
                if (name.StartsWith("k:", StringComparison.Ordinal))
                {
                    values.Add((name[2..], (byte[])value!));
                }
                else if (name.StartsWith("f:", StringComparison.Ordinal))
                {
                    flashes.Add(name[2..]);
                }
                else if (name.StartsWith("v:", StringComparison.Ordinal))
                {
                    versions[name[2..]] = (string)value!;
                }
                else if (name == CreatedField && long.TryParse((string?)value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
                {
                    created = DateTimeOffset.FromUnixTimeMilliseconds(ms);
                }
            }

            var metadata = new RedisSessionMetadata(header, created, isNew: false);
            var session = new StoredSession<JsonSessionValue>();
            foreach (var (key, json) in values)
            {
                JsonSessionValue parsed;
                try
                {
                    parsed = JsonSessionValue.Parse(json);
                }
                catch (System.Text.Json.JsonException exception)
                {
                    // A corrupted field costs that field only, never the session or a request.
                    RedisLog.CorruptField(logger, key, exception);
                    continue;
                }

                session.Content[key] = parsed;
                metadata.Loaded[key] = parsed;
            }

            foreach (var key in flashes)
            {
                if (session.Content.ContainsKey(key))
                {
                    session.FlashedKeys.Add(key);
                    metadata.LoadedFlashes.Add(key);
                }
            }

            foreach (var (key, version) in versions)
            {
                metadata.Versions[key] = version;
            }

            return new(session, metadata);
        }

        public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            var arguments = new List<RedisValue>
            {
                (long)options.IdleTimeout.TotalMilliseconds,
                (long)options.AbsoluteLifetime.TotalMilliseconds,
                now.ToUnixTimeMilliseconds(),
                metadata.CreatedAt.ToUnixTimeMilliseconds(),
                options.DetectConflicts ? "1" : "0",
                0, // the number of operations, filled in below
            };
            var operations = 0;
            void Add(string op, string key, RedisValue value)
            {
                arguments.Add(op);
                arguments.Add(key);
                arguments.Add(value);
                arguments.Add(metadata.Versions.TryGetValue(key, out var version) ? version : string.Empty);
                operations++;
            }

            foreach (var (key, value) in session.Content)
            {
                if (!metadata.Loaded.TryGetValue(key, out var loaded) || !(ReferenceEquals(loaded, value) || loaded.Equals(value)))
                {
                    Add("s", key, value.Utf8Json);
                }
            }

            foreach (var key in metadata.Loaded.Keys)
            {
                if (!session.Content.ContainsKey(key))
                {
                    Add("d", key, RedisValue.EmptyString);
                }
            }

            foreach (var key in session.FlashedKeys)
            {
                if (!metadata.LoadedFlashes.Contains(key))
                {
                    Add("F", key, RedisValue.EmptyString);
                }
            }

            foreach (var key in metadata.LoadedFlashes)
            {
                if (!session.FlashedKeys.Contains(key) && session.Content.ContainsKey(key))
                {
                    Add("U", key, RedisValue.EmptyString);
                }
            }

            arguments[5] = operations;
            RedisResult result;
            try
            {
                result = await Database.ScriptEvaluateAsync(CommitScript, [KeyFor(metadata.Id)], [.. arguments]).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsUnavailable(exception))
            {
                RedisLog.Unavailable(logger, "commit", exception);
                throw new SessionStoreUnavailableException("Redis could not be reached to commit the session; nothing was written.", exception);
            }

            var outcome = (RedisResult[])result!;
            if ((long)outcome[0] == 0)
            {
                throw new SessionConflictException((string)outcome[1]!);
            }

            return metadata.Id;
        }

        public async ValueTask<string> DestroyAsync(RedisSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            try
            {
                await Database.KeyDeleteAsync(KeyFor(metadata.Id)).ConfigureAwait(false);
            }
            catch (Exception exception) when (IsUnavailable(exception))
            {
                RedisLog.Unavailable(logger, "destroy", exception);
                throw new SessionStoreUnavailableException("Redis could not be reached to destroy the session.", exception);
            }

            return string.Empty;
        }

        private static SessionReadResult<JsonSessionValue, RedisSessionMetadata> Fresh(DateTimeOffset now)
            => new(new StoredSession<JsonSessionValue>(), new RedisSessionMetadata(SessionIds.NewId(), now, isNew: true));

        private static bool IsUnavailable(Exception exception)
            => exception is RedisConnectionException or RedisTimeoutException or TimeoutException
                || (exception is RedisServerException server && (server.Message.StartsWith("LOADING", StringComparison.Ordinal) || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)));
    }
}
