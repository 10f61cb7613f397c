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

        using var cache = JsonWriterCache.Rent();
        try
        {
            _write(cache.Writer, Value);
        }
        catch (SessionValueNotStorableException exception)
        {
            throw SchemaValues.NotStorable(Key, exception);
        }

        var written = cache.WrittenSpan;
        _unchangedAt = version;
        if (written.SequenceEqual(stored.Utf8Json.Span))
        {
            replacement = null;
            return false;
        }

        replacement = JsonSessionValue.FromTrustedUtf8(written.ToArray());
        return true;
    }
}
