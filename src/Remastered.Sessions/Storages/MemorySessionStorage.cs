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
    /// The id-keyed record store (its "header" is the plain session id), in two bounded, concurrent LRUs (BitFaster.Caching's
    /// <c>ConcurrentLru</c>): new sessions enter probation (a quarter of <c>MaxSessions</c>) and are evicted there; a
    /// session loaded again moves to the established part (the rest), which only sessions that came back can fill. So a
    /// flood of new anonymous sessions cannot push out users who come back, from the first request of the process on
    /// (one cache's own scan resistance starts only once it has been full). Expiry (idle timeout and absolute lifetime)
    /// is checked against the storage's clock on every load.
    /// </summary>
    private sealed class Records : ISessionStorage<object?, ServerSessionMetadata>
    {
        private static readonly TimeSpan EvictionLogInterval = TimeSpan.FromMinutes(1);

        private readonly TimeSpan _idleTimeout;
        private readonly TimeSpan _absoluteLifetime;
        private readonly int _maxSessions;
        private readonly ILogger _logger;
        private readonly TimeProvider _clock;
        private readonly ConcurrentLru<string, Entry> _probation;
        private readonly ConcurrentLru<string, Entry> _established;

        // Ids of destroyed sessions, for an idle timeout: no late commit may bring them back.
        private readonly ConcurrentDictionary<string, DateTimeOffset> _destroyed = new(StringComparer.Ordinal);
        private int _sweeping;

        // Until when a retired id that was dropped from _destroyed before its idle timeout (more sign-outs than
        // MaxSessions within one) could still be held by a running request (UTC ticks; 0 when none was).
        private long _forgottenRetiredIdsUntil;

        // Evictions since the last 1102 entry, and when that was (the clock's timestamp): one entry
        // a minute under a flood.
        private int _evictionsUnlogged;
        private long _evictionLoggedAt = NeverLogged;

        private const long NeverLogged = long.MinValue;

        public int RetiredIdCount => _destroyed.Count;

        private Records(TimeSpan idleTimeout, TimeSpan absoluteLifetime, int maxSessions, ILogger logger, TimeProvider clock)
        {
            _idleTimeout = idleTimeout;
            _absoluteLifetime = absoluteLifetime;
            _maxSessions = maxSessions;
            _logger = logger;
            _clock = clock;
            var probation = Math.Max(maxSessions / 4, 3);
            _probation = CreateCache(new ProbationPartition(probation));
            _established = CreateCache(new FavorWarmPartition(Math.Max(maxSessions - probation, 3)));
        }

        // Nothing is read twice while on probation (a load moves it out), so its warm segment would only hold whatever
        // entered first: almost all of it is hot and cold, which a session passes through once.
        private sealed class ProbationPartition(int capacity) : ICapacityPartition
        {
            public int Hot { get; } = capacity - 2 - (capacity - 2) / 10;
            public int Warm => 1;
            public int Cold { get; } = 1 + (capacity - 2) / 10;
        }

        private ConcurrentLru<string, Entry> CreateCache(ICapacityPartition capacity)
        {
            var cache = new ConcurrentLru<string, Entry>(Environment.ProcessorCount, capacity, StringComparer.Ordinal);
            if (cache.Events.HasValue)
            {
                cache.Events.Value!.ItemRemoved += (_, removed) =>
                {
                    if (removed.Reason == ItemRemovedReason.Evicted)
                    {
                        OnEvicted();
                    }
                };
            }

            return cache;
        }

        private void OnEvicted()
        {
            Interlocked.Increment(ref _evictionsUnlogged);
            var now = _clock.GetTimestamp();
            var last = Interlocked.Read(ref _evictionLoggedAt);
            if ((last == NeverLogged || _clock.GetElapsedTime(last, now) >= EvictionLogInterval) && Interlocked.CompareExchange(ref _evictionLoggedAt, now, last) == last)
            {
                Log.MemorySessionEvicted(_logger, _maxSessions, Interlocked.Exchange(ref _evictionsUnlogged, 0));
            }
        }

        public static Records Create(MemorySessionOptions options, ILogger logger, TimeProvider clock)
            => new(options.IdleTimeout, options.AbsoluteLifetime, options.MaxSessions, logger, clock);

        public int Count => _probation.Count + _established.Count;

        private bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Entry? entry)
            => _probation.TryGet(id, out entry) || _established.TryGet(id, out entry);

        private void Remove(string id)
        {
            _established.TryRemove(id);
            _probation.TryRemove(id);
        }

        public ValueTask<SessionReadResult<object?, ServerSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = _clock.GetUtcNow();
            if (header is not null)
            {
                var established = !_probation.TryGet(header, out var entry);
                if (!established || _established.TryGet(header, out entry))
                {
                    lock (entry!)
                    {
                        if (!IsExpired(entry, now))
                        {
                            if (!established && !Promote(header, entry))
                            {
                                goto NotFound;
                            }

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

                    Remove(header);
                }

            NotFound:
                Log.MemorySessionNotFound(_logger);
            }

            return ValueTask.FromResult(new SessionReadResult<object?, ServerSessionMetadata>(
                new StoredSession<object?>(), ServerSessionMetadata.CreateNew(now)));
        }

        /// <summary>A session loaded again leaves probation; false when it was destroyed meanwhile.</summary>
        private bool Promote(string id, Entry entry)
        {
            _established.AddOrUpdate(id, entry);
            _probation.TryRemove(id);

            // DestroyAsync marks the id before it removes the record: either it sees the promoted record, or this does.
            if (_destroyed.ContainsKey(id))
            {
                _established.TryRemove(id);
                return false;
            }

            return true;
        }

        public ValueTask<string> ToHeaderAsync(StoredSession<object?> session, ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = _clock.GetUtcNow();
            // A new id this request already stored is as exposed as a loaded one: its cookie went out, and another
            // request may have loaded, changed or destroyed it since.
            var known = !metadata.IsNew || metadata.Stored;
            if (known && _destroyed.ContainsKey(metadata.Id))
            {
                // A request that loaded the session before it was destroyed (a sign-out, a new id at sign-in) and
                // commits after: the session stays gone, and no cookie is sent.
                return ValueTask.FromResult(string.Empty);
            }

            if (known && metadata.LoadedContent is { } loaded && TryGet(metadata.Id, out var entry))
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

            if (known && now.UtcTicks < Interlocked.Read(ref _forgottenRetiredIdsUntil))
            {
                // Its record is gone, and it may have been destroyed by a request whose id had to be forgotten early (more
                // sign-outs than MaxSessions within an idle timeout): not written back, as a destroyed session would not
                // be. The changes are lost, as when a session is evicted.
                return ValueTask.FromResult(string.Empty);
            }

            // A new session (on probation), or one that expired or was evicted while the request ran (it had come back:
            // established): stored whole, and the snapshot of a loaded one brought up to it, for a second commit of the
            // request to compare with.
            var stored = new Entry(metadata.CreatedAt)
            {
                Content = new Dictionary<string, object?>(session.Content, StringComparer.Ordinal),
                FlashedKeys = new HashSet<string>(session.FlashedKeys, StringComparer.Ordinal),
                LastAccess = now,
            };
            // New sessions wait on probation; a signed-in user's new id (a successor) does not: a flood of new sessions
            // would evict it before the user's next request.
            var cache = metadata.IsNew && !metadata.Successor ? _probation : _established;
            cache.AddOrUpdate(metadata.Id, stored);
            // DestroyAsync marks the id before it removes the record: either it removed this one, or this sees the mark
            // (and a sweep opens the forgotten-id window before it drops a mark).
            if (known && (_destroyed.ContainsKey(metadata.Id) || now.UtcTicks < Interlocked.Read(ref _forgottenRetiredIdsUntil)))
            {
                cache.TryRemove(new KeyValuePair<string, Entry>(metadata.Id, stored));
                return ValueTask.FromResult(string.Empty);
            }
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
            else
            {
                // A new session's first write: a later commit of the request writes only what it changes, in place.
                metadata.LoadedContent = new Dictionary<string, object?>(session.Content, StringComparer.Ordinal);
                metadata.LoadedFlashes = new HashSet<string>(session.FlashedKeys, StringComparer.Ordinal);
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

            // Remember the id for an idle timeout (no request that loaded it can still be running after that), before the
            // record goes (see Promote).
            var now = _clock.GetUtcNow();
            _destroyed[metadata.Id] = now;
            Remove(metadata.Id);
            if (_destroyed.Count > _maxSessions)
            {
                SweepRetiredIds(now);
            }

            return ValueTask.FromResult(string.Empty);
        }

        /// <summary>
        /// Bounds the retired ids like the sessions themselves: expired ids go, then the oldest, down to three quarters,
        /// so that the sweep runs once per many sign-outs rather than on each; one request sweeps at a time, on a
        /// snapshot (the set changes under it). An id dropped before its idle timeout is recorded: until then, a session
        /// whose record is missing is not written back (see ToHeaderAsync).
        /// </summary>
        private void SweepRetiredIds(DateTimeOffset now)
        {
            if (Interlocked.CompareExchange(ref _sweeping, 1, 0) != 0)
            {
                return;
            }

            try
            {
                var retired = _destroyed.ToArray();
                Array.Sort(retired, static (a, b) => a.Value.CompareTo(b.Value));
                var keep = _maxSessions * 3 / 4;
                var remaining = retired.Length;
                foreach (var (id, at) in retired)
                {
                    var live = now - at < _idleTimeout;
                    if (live && remaining <= keep)
                    {
                        break;
                    }

                    if (live)
                    {
                        // Before the mark goes: a commit that no longer sees it must already see the window.
                        var until = (at + _idleTimeout).UtcTicks;
                        long seen;
                        while (until > (seen = Interlocked.Read(ref _forgottenRetiredIdsUntil))
                            && Interlocked.CompareExchange(ref _forgottenRetiredIdsUntil, until, seen) != seen)
                        {
                        }
                    }

                    if (_destroyed.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, at)))
                    {
                        remaining--;
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        }

        private bool IsExpired(Entry entry, DateTimeOffset now)
            => now - entry.LastAccess >= _idleTimeout || now - entry.CreatedAt >= _absoluteLifetime;

        private sealed class Entry(DateTimeOffset createdAt)
        {
            public DateTimeOffset CreatedAt { get; } = createdAt;

            public DateTimeOffset LastAccess { get; set; }

            public required Dictionary<string, object?> Content { get; set; }

            public required HashSet<string> FlashedKeys { get; set; }
        }
    }
}
