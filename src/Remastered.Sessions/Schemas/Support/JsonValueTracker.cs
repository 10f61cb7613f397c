using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// Tracks one typed value of a JSON storage: at commit, a value that can change in place is written again and compared
/// byte for byte with what was read or set, so an unchanged value is never rewritten. Generated schemas create these.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class JsonValueTracker<T> : SessionValueTracker<JsonSessionValue>
{
    private readonly JsonWriteAction<T>? _write;
    private readonly Func<T, long?>? _version;
    private long? _unchangedAt;
    private byte[]? _readState;
    // For values kept with their JSON as read (WithReadState): that JSON as it reads back, for comparison only.
    private byte[]? _readBackState;
    private JsonReadFunc<T>? _read;
    private CompactJsonReadFunc<T>? _compactRead;
    private bool _mayRereadOnce;
    private byte[]? _unwritableReadState;
    private bool? _readsAlike;

    /// <summary>Creates the tracker.</summary>
    /// <param name="key">The session key.</param>
    /// <param name="value">The instance handed to the application.</param>
    /// <param name="write">
    /// Writes the value, for values that can change in place (collections, objects with setters);
    /// <see langword="null"/> for values that cannot, which are then never compared.
    /// </param>
    /// <param name="version">
    /// Reads the modification counter of a collection of immutable items (<see langword="null"/> when not applicable):
    /// while it stays put the value is unchanged and is not serialized at commit.
    /// </param>
    public JsonValueTracker(string key, T value, JsonWriteAction<T>? write, Func<T, long?>? version = null)
        : base(key)
    {
        Value = value;
        _write = write;
        _version = version;
        _unchangedAt = version?.Invoke(value);
    }

    /// <summary>
    /// Keeps <paramref name="value"/>, just read, with its JSON as read: the commit compares with that rather than with
    /// the stored JSON, for types whose JSON as read can differ from what was stored (a member written but not read
    /// back), so that reading alone never rewrites the value.
    /// </summary>
    /// <param name="key">The session key.</param>
    /// <param name="value">The value just read.</param>
    /// <param name="write">Writes the value's JSON.</param>
    /// <returns>The tracker.</returns>
    public static JsonValueTracker<T> WithReadState(string key, T value, JsonWriteAction<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        // Kept as it reads back, for comparison only: members that reading does not restore are left out (a computed
        // property on the clock changes by itself), and a NaN or infinity that a default put into a member the stored
        // JSON leaves out is written by name, so that reading alone never rewrites the value nor fails the commit. A
        // value that cannot be written even so is compared with the stored JSON, and reported by the commit's own write.
        return new JsonValueTracker<T>(key, value, write) { _readBackState = SchemaValues.WriteReadBackForComparison(write, value) };
    }

    /// <summary>
    /// Keeps <paramref name="value"/>, just read from its stored JSON, with the readers that made it: at commit, when its
    /// JSON differs from the stored JSON, the stored JSON is read again and written, and only a difference from that
    /// counts as a change. So a value stored by an earlier version of its type (a member added, removed or reordered
    /// since) is not rewritten by a request that only read it, which on a server-side storage would undo another
    /// request's change. This costs nothing while the JSON is the same as stored.
    /// </summary>
    /// <param name="key">The session key.</param>
    /// <param name="value">The value just read.</param>
    /// <param name="write">Writes the value's JSON.</param>
    /// <param name="version">As for the constructor: a collection's modification counter, or <see langword="null"/>.</param>
    /// <param name="read">Reads the stored JSON again.</param>
    /// <param name="compactRead">The compact fast path of <paramref name="read"/>, if there is one.</param>
    /// <returns>The tracker.</returns>
    public static JsonValueTracker<T> WithStoredReader(string key, T value, JsonWriteAction<T> write, Func<T, long?>? version, JsonReadFunc<T> read, CompactJsonReadFunc<T>? compactRead)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        return new JsonValueTracker<T>(key, value, write, version) { _read = read, _compactRead = compactRead, _mayRereadOnce = true };
    }

    /// <summary>The instance handed to the application.</summary>
    public T Value { get; }

    /// <inheritdoc />
    public override bool TryCaptureChange(JsonSessionValue stored, [NotNullWhen(true)] out JsonSessionValue? replacement)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_write is null)
        {
            replacement = null;
            return false;
        }

        var version = _version?.Invoke(Value);
        if (version is not null && version == _unchangedAt)
        {
            replacement = null;
            return false;
        }

        if (_readBackState is not null && SchemaValues.WriteReadBackForComparison(_write, Value) is { } readBack && readBack.AsSpan().SequenceEqual(_readBackState))
        {
            // As it was read, in everything the next request would see.
            replacement = null;
            return false;
        }

        using var cache = JsonWriterCache.Rent();
        try
        {
            _write(cache.Writer, Value);
        }
        catch (SessionValueNotStorableException exception)
        {
            if (IsAsReadThoughUnwritable(stored))
            {
                // Read, not changed: the stored JSON stays as it is.
                replacement = null;
                return false;
            }

            throw SchemaValues.NotStorable(Key, exception);
        }

        var written = cache.WrittenSpan;
        _unchangedAt = version;
        if (written.SequenceEqual(_readState ?? stored.Utf8Json.Span) || WritesAsRead(stored, written))
        {
            replacement = null;
            return false;
        }

        // From now on the stored JSON is this writer's own: compare with it.
        _readState = null;
        _readBackState = null;
        _mayRereadOnce = false;
        _unwritableReadState = null;
        _readsAlike = null;
        replacement = JsonSessionValue.FromTrustedUtf8(written.ToArray());
        return true;
    }

    /// <summary>
    /// Whether the value, which cannot be written as JSON now, is as it was read: a member the stored JSON leaves out can
    /// take a NaN or an infinity from a constructor default or an initializer, and a request that only reads such a value
    /// must neither rewrite it nor fail. Both sides are written for comparison only (non-finite numbers by name); a value
    /// set in this request has no read state and is reported.
    /// </summary>
    private bool IsAsReadThoughUnwritable(JsonSessionValue stored)
    {
        var asRead = _unwritableReadState;
        if (asRead is null && _read is not null)
        {
            if (!TryReadStored(stored, out var again))
            {
                return false;
            }

            asRead = _unwritableReadState = SchemaValues.WriteForComparison(_write!, again);
        }

        if (asRead is null || SchemaValues.WriteForComparison(_write!, Value) is not { } now)
        {
            return false;
        }

        if (now.AsSpan().SequenceEqual(asRead))
        {
            return true;
        }

        // The stored JSON may not determine the value: an initializer that differs each time (Guid.NewGuid()) for a
        // member it leaves out. Read once more: if that differs from the first re-read, nothing can tell a change from a
        // read, and since the value cannot be written as it is anyway, the stored JSON is left as it is.
        if (_read is not null && _readsAlike is null)
        {
            _readsAlike = !TryReadStored(stored, out var third) || SchemaValues.WriteForComparison(_write!, third) is not { } thirdState || thirdState.AsSpan().SequenceEqual(asRead);
        }

        return _readsAlike == false;
    }

    /// <summary>Reads the stored JSON again with the readers that made the value (the compact path first).</summary>
    private bool TryReadStored(JsonSessionValue stored, [MaybeNullWhen(false)] out T value)
        => _compactRead is { } compact ? stored.TryRead(compact, _read!, out value) : stored.TryRead(_read!, out value);

    /// <summary>
    /// Whether <paramref name="written"/> is what the stored JSON gives when read again and written now: the value is
    /// as it was read, and only its type changed since the JSON was stored. Remembered as the JSON as read.
    /// </summary>
    private bool WritesAsRead(JsonSessionValue stored, ReadOnlySpan<byte> written)
    {
        if (!_mayRereadOnce)
        {
            return false;
        }

        // Once per tracker: the first commit either finds the value as read (and keeps that JSON) or rewrites it.
        _mayRereadOnce = false;
        if (!TryReadStored(stored, out var asRead))
        {
            return false;
        }

        using var cache = JsonWriterCache.Rent();
        try
        {
            _write!(cache.Writer, asRead);
        }
        catch (SessionValueNotStorableException)
        {
            return false;
        }

        if (!written.SequenceEqual(cache.WrittenSpan))
        {
            return false;
        }

        _readState = cache.WrittenSpan.ToArray();
        return true;
    }
}
