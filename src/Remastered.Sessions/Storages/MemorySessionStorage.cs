using System.Collections.Concurrent;
using BitFaster.Caching;
using BitFaster.Caching.Lru;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions;

/// <summary>
/// Keeps sessions in this process's memory, keyed by a 256-bit random id that travels in an encrypted cookie.
/// Holds any object by reference: reading returns the very same instance that was stored.
/// </summary>
/// <remarks>
/// Thread-safe. Sessions expire after <see cref="ServerSessionOptions.IdleTimeout"/> without use and after
/// <see cref="ServerSessionOptions.AbsoluteLifetime"/> in any case; at most <see cref="MemorySessionOptions.MaxSessions"/>
/// are kept, evicting new sessions before sessions that were loaded again (a flood of anonymous sessions cannot push
/// out users who come back). A commit writes only the keys its request changed, so concurrent requests that change
/// different keys all keep their change. Sessions do not survive a restart and are not shared between servers: use a
/// Redis storage for that.
/// </remarks>
/// <example>
/// <code>
/// var storage = new MemorySessionStorage(new MemorySessionOptions
/// {
///     Cookie = new CookieSessionOptions { Name = "sid", Secrets = [secret] },
/// });
/// </code>
/// </example>
public sealed class MemorySessionStorage : ServerSessionStorage<object?, ServerSessionMetadata>
{
    private readonly Records _records;

    /// <summary>Creates the storage.</summary>
    /// <param name="options">Cookie and expiry settings; validated here.</param>
    /// <param name="logger">Receives rejected-cookie and eviction events; optional.</param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when omitted.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public MemorySessionStorage(MemorySessionOptions options, ILogger<MemorySessionStorage>? logger = null, TimeProvider? timeProvider = null)
        : this(Records.Create(Validated(options), logger ?? (ILogger)NullLogger.Instance, timeProvider ?? TimeProvider.System), options, logger, timeProvider)
    {
    }

    private MemorySessionStorage(Records records, MemorySessionOptions options, ILogger? logger, TimeProvider? timeProvider)
        : base(records, options, logger, timeProvider)
        => _records = records;

    /// <summary>The number of sessions held (expired ones may linger until touched or evicted).</summary>
    public int Count => _records.Count;

    /// <summary>The number of retired ids remembered (destroyed or replaced sessions), for tests.</summary>
    internal int RetiredIdCount => _records.RetiredIdCount;

    /// <summary>
    /// The id-keyed record store (its "header" is the plain session id): a concurrent, scan-resistant LRU
    /// (BitFaster.Caching's <c>ConcurrentLru</c>). New sessions enter a probation segment and are evicted first; a
    /// session loaded again is promoted, so a flood of new anonymous sessions cannot push out users who come back.
    /// Expiry (idle timeout and absolute lifetime) is checked against the storage's clock on every load.
    /// </summary>
    private sealed class Records : ISessionStorage<object?, ServerSessionMetadata>
    {
        private readonly TimeSpan _idleTimeout;
        private readonly TimeSpan _absoluteLifetime;
        private readonly int _maxSessions;
        private readonly ILogger _logger;
        private readonly TimeProvider _clock;
        private readonly ConcurrentLru<string, Entry> _sessions;

        // Ids of destroyed sessions, for an idle timeout: no late commit may bring them back.
        private readonly ConcurrentDictionary<string, DateTimeOffset> _destroyed = new(StringComparer.Ordinal);

        public int RetiredIdCount => _destroyed.Count;

        private Records(TimeSpan idleTimeout, TimeSpan absoluteLifetime, int maxSessions, ILogger logger, TimeProvider clock)
        {
            _idleTimeout = idleTimeout;
            _absoluteLifetime = absoluteLifetime;
            _maxSessions = maxSessions;
            _logger = logger;
            _clock = clock;
            _sessions = new ConcurrentLru<string, Entry>(Environment.ProcessorCount, Math.Max(maxSessions, 3), StringComparer.Ordinal);
            if (_sessions.Events.HasValue)
            {
                _sessions.Events.Value!.ItemRemoved += (_, removed) =>
                {
                    if (removed.Reason == ItemRemovedReason.Evicted)
                    {
                        Log.MemorySessionEvicted(_logger, _maxSessions);
                    }
                };
            }
        }

        public static Records Create(MemorySessionOptions options, ILogger logger, TimeProvider clock)
            => new(options.IdleTimeout, options.AbsoluteLifetime, options.MaxSessions, logger, clock);

        public int Count => _sessions.Count;

        public ValueTask<SessionReadResult<object?, ServerSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = _clock.GetUtcNow();
            if (header is not null)
            {
                if (_sessions.TryGet(header, out var entry))
                {
                    lock (entry)
                    {
                        if (!IsExpired(entry, now))
                        {
                            entry.LastAccess = now;
                            var content = new Dictionary<string, object?>(entry.Content, StringComparer.Ordinal);
                            var flashes = new HashSet<string>(entry.FlashedKeys, StringComparer.Ordinal);
                            var session = new StoredSession<object?>(content, flashes);
                            return ValueTask.FromResult(new SessionReadResult<object?, ServerSessionMetadata>(
                                session,
                                new ServerSessionMetadata(header, entry.CreatedAt, false)
                                {
                                    LoadedContent = new Dictionary<string, object?>(content, StringComparer.Ordinal),
                                    LoadedFlashes = new HashSet<string>(flashes, StringComparer.Ordinal),
                                }));
                        }
                    }

                    _sessions.TryRemove(header);
                }

                Log.MemorySessionNotFound(_logger);
            }

            return ValueTask.FromResult(new SessionReadResult<object?, ServerSessionMetadata>(
                new StoredSession<object?>(), ServerSessionMetadata.CreateNew(now)));
        }

        public ValueTask<string> ToHeaderAsync(StoredSession<object?> session, ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = _clock.GetUtcNow();
            if (!metadata.IsNew && _destroyed.ContainsKey(metadata.Id))
            {
                // A request that loaded the session before it was destroyed (a sign-out, a new id at sign-in) and
                // commits after: the session stays gone, and no cookie is sent.
                return ValueTask.FromResult(string.Empty);
            }

            if (!metadata.IsNew && metadata.LoadedContent is { } loaded && _sessions.TryGet(metadata.Id, out var entry))
            {
                lock (entry)
                {
                    // Only what this request changed: a concurrent request's change to another key survives. The
                    // snapshot follows what is written, so that a second commit of the request compares with this one
                    // (a flash kept after the commit that removed it is written again, not taken as unchanged).
                    foreach (var (key, value) in session.Content)
                    {
                        if (!loaded.TryGetValue(key, out var before) || !ReferenceEquals(before, value))
                        {
                            entry.Content[key] = value;
                            loaded[key] = value;
                        }
                    }

                    List<string>? removed = null;
                    foreach (var key in loaded.Keys)
                    {
                        if (!session.Content.ContainsKey(key))
                        {
                            entry.Content.Remove(key);
                            entry.FlashedKeys.Remove(key);
                            (removed ??= []).Add(key);
                        }
                    }

                    foreach (var key in removed ?? [])
                    {
                        loaded.Remove(key);
                    }

                    var loadedFlashes = metadata.LoadedFlashes!;
                    foreach (var key in session.FlashedKeys)
                    {
                        entry.FlashedKeys.Add(key);
                    }

                    foreach (var key in loadedFlashes)
                    {
                        if (!session.FlashedKeys.Contains(key))
                        {
                            entry.FlashedKeys.Remove(key);
                        }
                    }

                    loadedFlashes.Clear();
                    loadedFlashes.UnionWith(session.FlashedKeys);
                    entry.LastAccess = now;
                }

                return ValueTask.FromResult(metadata.Id);
            }

            // A new session, or one that expired or was evicted while the request ran: stored whole (and the snapshot of a
            // loaded one brought up to it, for a second commit of the request to compare with).
            _sessions.AddOrUpdate(metadata.Id, new Entry(metadata.Id, metadata.CreatedAt)
            {
                Content = new Dictionary<string, object?>(session.Content, StringComparer.Ordinal),
                FlashedKeys = new HashSet<string>(session.FlashedKeys, StringComparer.Ordinal),
                LastAccess = now,
            });
            metadata.Stored = true;
            if (metadata.LoadedContent is { } snapshot)
            {
                snapshot.Clear();
                foreach (var (key, value) in session.Content)
                {
                    snapshot[key] = value;
                }

                metadata.LoadedFlashes!.Clear();
                metadata.LoadedFlashes.UnionWith(session.FlashedKeys);
            }
            return ValueTask.FromResult(metadata.Id);
        }

        public ValueTask<string> DestroyAsync(ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            if (metadata.IsNew && !metadata.Stored)
            {
                // An id this request minted and never stored (a visitor signing in): nothing to remove or remember; a
                // request that loads it finds no record and gets a new id anyway.
                return ValueTask.FromResult(string.Empty);
            }

            var now = _clock.GetUtcNow();
            _sessions.TryRemove(metadata.Id);

            // Remember the id for an idle timeout (no request that loaded it can still be running after that), bounded
            // like the sessions themselves. When full, expired ids go, then the oldest, down to three quarters, so the
            // sweep runs once per many sign-outs rather than on each.
            _destroyed[metadata.Id] = now;
            if (_destroyed.Count > _maxSessions)
            {
                var keep = _maxSessions * 3 / 4;
                foreach (var (id, at) in _destroyed.OrderBy(e => e.Value))
                {
                    if (now - at < _idleTimeout && _destroyed.Count <= keep)
                    {
                        break;
                    }

                    _destroyed.TryRemove(id, out _);
                }
            }

            return ValueTask.FromResult(string.Empty);
        }

        private bool IsExpired(Entry entry, DateTimeOffset now)
            => now - entry.LastAccess >= _idleTimeout || now - entry.CreatedAt >= _absoluteLifetime;

        private sealed class Entry(string id, DateTimeOffset createdAt)
        {
            public string Id { get; } = id;

            public DateTimeOffset CreatedAt { get; } = createdAt;

            public DateTimeOffset LastAccess { get; set; }

            public required Dictionary<string, object?> Content { get; set; }

            public required HashSet<string> FlashedKeys { get; set; }
        }
    }
}
