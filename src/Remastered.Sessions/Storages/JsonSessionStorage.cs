using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Remastered.Sessions;

/// <summary>
/// A JSON storage chosen at start-up rather than at compile time: declare a schema as
/// <c>[Session&lt;JsonSessionStorage&gt;]</c> and pick cookies, memory or Redis in configuration. The schema is checked
/// as JSON-only (analyzer RMS001), so it may use any of them.
/// </summary>
/// <example>
/// <code>
/// JsonSessionStorage storage = useMemory
///     ? JsonSessionStorage.OverObjects(new MemorySessionStorage(memoryOptions))
///     : JsonSessionStorage.Over(new CookieSessionStorage(cookieOptions));
/// </code>
/// </example>
public sealed class JsonSessionStorage : ISessionStorage<JsonSessionValue, object?>, ISessionStorageWithLogger
{
    private readonly Adapter _adapter;

    private JsonSessionStorage(Adapter adapter, object inner)
    {
        _adapter = adapter;
        Inner = inner;
        Logger = (inner as ISessionStorageWithLogger)?.Logger ?? NullLogger.Instance;
    }

    /// <summary>The storage sessions really live in.</summary>
    public object Inner { get; }

    /// <inheritdoc />
    public ILogger Logger { get; }

    /// <summary>Uses a JSON storage (cookies, Redis, your own).</summary>
    /// <typeparam name="TMetadata">The storage's metadata.</typeparam>
    /// <param name="storage">The storage.</param>
    public static JsonSessionStorage Over<TMetadata>(ISessionStorage<JsonSessionValue, TMetadata> storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new(new JsonAdapter<TMetadata>(storage), storage);
    }

    /// <summary>
    /// Uses a storage of objects (the memory storage) to hold JSON values. Values of other types that share the same
    /// sessions are kept untouched.
    /// </summary>
    /// <typeparam name="TMetadata">The storage's metadata.</typeparam>
    /// <param name="storage">The storage.</param>
    public static JsonSessionStorage OverObjects<TMetadata>(ISessionStorage<object?, TMetadata> storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return new(new ObjectAdapter<TMetadata>(storage), storage);
    }

    /// <inheritdoc />
    public ValueTask<SessionReadResult<JsonSessionValue, object?>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => _adapter.FromHeaderAsync(header, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, object? metadata, CancellationToken cancellationToken = default)
        => _adapter.ToHeaderAsync(session, metadata, cancellationToken);

    /// <inheritdoc />
    public ValueTask<string> DestroyAsync(object? metadata, CancellationToken cancellationToken = default)
        => _adapter.DestroyAsync(metadata, cancellationToken);

    private abstract class Adapter
    {
        public abstract ValueTask<SessionReadResult<JsonSessionValue, object?>> FromHeaderAsync(string? header, CancellationToken cancellationToken);

        public abstract ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, object? metadata, CancellationToken cancellationToken);

        public abstract ValueTask<string> DestroyAsync(object? metadata, CancellationToken cancellationToken);
    }

    private sealed class JsonAdapter<TMetadata>(ISessionStorage<JsonSessionValue, TMetadata> inner) : Adapter
    {
        public override async ValueTask<SessionReadResult<JsonSessionValue, object?>> FromHeaderAsync(string? header, CancellationToken cancellationToken)
        {
            var (session, metadata) = await inner.FromHeaderAsync(header, cancellationToken).ConfigureAwait(false);
            return new(session, metadata);
        }

        public override ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, object? metadata, CancellationToken cancellationToken)
            => inner.ToHeaderAsync(session, (TMetadata)metadata!, cancellationToken);

        public override ValueTask<string> DestroyAsync(object? metadata, CancellationToken cancellationToken)
            => inner.DestroyAsync((TMetadata)metadata!, cancellationToken);
    }

    private sealed class ObjectAdapter<TMetadata>(ISessionStorage<object?, TMetadata> inner) : Adapter
    {
        public override async ValueTask<SessionReadResult<JsonSessionValue, object?>> FromHeaderAsync(string? header, CancellationToken cancellationToken)
        {
            var (stored, metadata) = await inner.FromHeaderAsync(header, cancellationToken).ConfigureAwait(false);
            // What the cookie layer remembers of the request's cookie travels with the converted session.
            var json = new StoredSession<JsonSessionValue>
            {
                RequiresCommit = stored.RequiresCommit,
                CookieCreatedAt = stored.CookieCreatedAt,
                CookieIdleExpiresAt = stored.CookieIdleExpiresAt,
                CurrentCookiePlaintext = stored.CurrentCookiePlaintext,
            };
            Dictionary<string, object?>? others = null;
            foreach (var (key, value) in stored.Content)
            {
                if (value is JsonSessionValue jsonValue)
                {
                    json.Content[key] = jsonValue;
                    if (stored.FlashedKeys.Contains(key))
                    {
                        json.FlashedKeys.Add(key);
                    }
                }
                else
                {
                    (others ??= new(StringComparer.Ordinal))[key] = value;
                }
            }

            return new(json, new State(metadata, others, stored.FlashedKeys));
        }

        public override ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, object? metadata, CancellationToken cancellationToken)
        {
            var state = (State)metadata!;
            var stored = new StoredSession<object?> { CookieCreatedAt = session.CookieCreatedAt, CurrentCookiePlaintext = session.CurrentCookiePlaintext };
            if (state.Others is not null)
            {
                foreach (var (key, value) in state.Others)
                {
                    stored.Content[key] = value;
                    if (state.LoadedFlashes.Contains(key))
                    {
                        stored.FlashedKeys.Add(key);
                    }
                }
            }

            foreach (var (key, value) in session.Content)
            {
                stored.Content[key] = value;
            }

            stored.FlashedKeys.UnionWith(session.FlashedKeys);
            var writing = inner.ToHeaderAsync(stored, state.Metadata, cancellationToken);
            if (writing.IsCompletedSuccessfully)
            {
                session.IssuedCookie = stored.IssuedCookie;
                return writing;
            }

            return Awaited(writing, session, stored);

            static async ValueTask<string> Awaited(ValueTask<string> writing, StoredSession<JsonSessionValue> session, StoredSession<object?> stored)
            {
                var header = await writing.ConfigureAwait(false);
                // The cookie as data travels back with the converted session, as the cookie layer's state came in.
                session.IssuedCookie = stored.IssuedCookie;
                return header;
            }
        }

        public override ValueTask<string> DestroyAsync(object? metadata, CancellationToken cancellationToken)
            => inner.DestroyAsync(((State)metadata!).Metadata, cancellationToken);

        private sealed record State(TMetadata Metadata, Dictionary<string, object?>? Others, HashSet<string> LoadedFlashes) : IWrappedMetadata
        {
            object? IWrappedMetadata.Inner => Metadata;
        }
    }
}
