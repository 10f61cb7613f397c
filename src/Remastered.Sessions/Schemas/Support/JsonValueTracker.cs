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

    /// <summary>Creates the tracker.</summary>
    /// <param name="key">The session key.</param>
    /// <param name="value">The instance handed to the application.</param>
    /// <param name="write">
    /// Writes the value, for values that can change in place (collections, objects with setters);
    /// <see langword="null"/> for values that cannot, which are then never compared.
    /// </param>
    public JsonValueTracker(string key, T value, JsonWriteAction<T>? write)
        : base(key)
    {
        Value = value;
        _write = write;
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
        if (written.SequenceEqual(stored.Utf8Json.Span))
        {
            replacement = null;
            return false;
        }

        replacement = JsonSessionValue.FromTrustedUtf8(written.ToArray());
        return true;
    }
}
