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
/// are kept, evicting the least recently used. Sessions do not survive a restart and are not shared between servers:
/// use a Redis storage for that.
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

    /// <summary>The number of live sessions held (expired ones may linger until touched or evicted).</summary>
    public int Count => _records.Count;

    /// <summary>The id-keyed record store; its "header" is the plain session id.</summary>
    private sealed class Records(TimeSpan idleTimeout, TimeSpan absoluteLifetime, int maxSessions, ILogger logger, TimeProvider clock)
        : ISessionStorage<object?, ServerSessionMetadata>
    {
        public static Records Create(MemorySessionOptions options, ILogger logger, TimeProvider clock)
            => new(options.IdleTimeout, options.AbsoluteLifetime, options.MaxSessions, logger, clock);

        private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
        // Most recently used first, so idle-expired and eviction candidates sit at the tail.
        private readonly LinkedList<Entry> _recency = new();
        private readonly object _gate = new();

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _entries.Count;
                }
            }
        }

        public ValueTask<SessionReadResult<object?, ServerSessionMetadata>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            if (header is not null)
            {
                lock (_gate)
                {
                    if (_entries.TryGetValue(header, out var node))
                    {
                        var entry = node.Value;
                        if (!IsExpired(entry, now))
                        {
                            entry.LastAccess = now;
                            _recency.Remove(node);
                            _recency.AddFirst(node);
                            var session = new StoredSession<object?>(
                                new Dictionary<string, object?>(entry.Content, StringComparer.Ordinal),
                                new HashSet<string>(entry.FlashedKeys, StringComparer.Ordinal));
                            return ValueTask.FromResult(new SessionReadResult<object?, ServerSessionMetadata>(
                                session, new ServerSessionMetadata(header, entry.CreatedAt, false)));
                        }

                        RemoveNode(node);
                    }
                }

                Log.MemorySessionNotFound(logger);
            }

            return ValueTask.FromResult(new SessionReadResult<object?, ServerSessionMetadata>(
                new StoredSession<object?>(), ServerSessionMetadata.CreateNew(now)));
        }

        public ValueTask<string> ToHeaderAsync(StoredSession<object?> session, ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            var content = new Dictionary<string, object?>(session.Content, StringComparer.Ordinal);
            var flashed = new HashSet<string>(session.FlashedKeys, StringComparer.Ordinal);
            lock (_gate)
            {
                if (!metadata.IsNew && _destroyed.ContainsKey(metadata.Id))
                {
                    // A request that loaded the session before it was destroyed (a sign-out, a new id at sign-in) and
                    // commits after: the session stays gone, and no cookie is sent.
                    return ValueTask.FromResult(string.Empty);
                }

                if (_entries.TryGetValue(metadata.Id, out var node))
                {
                    node.Value.Content = content;
                    node.Value.FlashedKeys = flashed;
                    node.Value.LastAccess = now;
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                }
                else
                {
                    var entry = new Entry(metadata.Id, metadata.CreatedAt) { Content = content, FlashedKeys = flashed, LastAccess = now };
                    _entries[metadata.Id] = _recency.AddFirst(entry);
                }

                while (_recency.Last is { } last && last.Value.Id != metadata.Id && IsExpired(last.Value, now))
                {
                    RemoveNode(last);
                }

                while (_entries.Count > maxSessions && _recency.Last is { } victim)
                {
                    RemoveNode(victim);
                    Log.MemorySessionEvicted(logger, maxSessions);
                }
            }

            return ValueTask.FromResult(metadata.Id);
        }

        public ValueTask<string> DestroyAsync(ServerSessionMetadata metadata, CancellationToken cancellationToken = default)
        {
            var now = clock.GetUtcNow();
            lock (_gate)
            {
                if (_entries.TryGetValue(metadata.Id, out var node))
                {
                    RemoveNode(node);
                }

                // Remember the id for an idle timeout (longer, no request that loaded it can still be running), so that
                // no late commit brings it back; bounded like the sessions themselves.
                _destroyed[metadata.Id] = now;
                if (_destroyed.Count > maxSessions)
                {
                    foreach (var (id, at) in _destroyed.ToList())
                    {
                        if (now - at >= idleTimeout || _destroyed.Count > maxSessions)
                        {
                            _destroyed.Remove(id);
                        }
                    }
                }
            }

            return ValueTask.FromResult(string.Empty);
        }

        private readonly Dictionary<string, DateTimeOffset> _destroyed = new(StringComparer.Ordinal);

        private bool IsExpired(Entry entry, DateTimeOffset now)
            => now - entry.LastAccess >= idleTimeout || now - entry.CreatedAt >= absoluteLifetime;

        private void RemoveNode(LinkedListNode<Entry> node)
        {
            _recency.Remove(node);
            _entries.Remove(node.Value.Id);
        }

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
