using System.Buffers;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Remastered.Sessions.Schemas.Support;

namespace Remastered.Sessions;

/// <summary>Writes a value as JSON; generated session schemas emit one per value type.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="writer">The writer.</param>
/// <param name="value">The value.</param>
public delegate void JsonWriteAction<in T>(Utf8JsonWriter writer, T value);

/// <summary>Reads a value from JSON positioned on its first token; generated session schemas emit one per value type.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="reader">The reader, on the value's first token.</param>
public delegate T JsonReadFunc<out T>(ref Utf8JsonReader reader);

/// <summary>
/// One JSON value in a session, kept as its exact UTF-8 text: what JSON storages such as
/// <see cref="CookieSessionStorage"/> hold. Loading a session does not parse values and committing copies them as they
/// are; a value is only read when the application asks for it.
/// </summary>
/// <remarks>
/// Implicit conversions exist from the common primitives, so <c>store.Set("count", 42)</c> works; explicit conversions
/// read them back (<c>(int)store.Get("count")!</c>) and throw <see cref="InvalidOperationException"/> on a kind mismatch.
/// Use <see cref="TryRead{T}(JsonReadFunc{T}, out T)"/>, <see cref="TryDeserialize{T}"/> or the typed store helpers to read without exceptions.
/// </remarks>
public sealed class JsonSessionValue : IEquatable<JsonSessionValue>
{
    private readonly ReadOnlyMemory<byte> _utf8;

    private JsonSessionValue(ReadOnlyMemory<byte> utf8) => _utf8 = utf8;

    /// <summary>The JSON <c>null</c> value.</summary>
    public static JsonSessionValue Null { get; } = new("null"u8.ToArray());

    /// <summary>The value's JSON text as UTF-8.</summary>
    public ReadOnlyMemory<byte> Utf8Json => _utf8;

    /// <summary>The kind of JSON value.</summary>
    public JsonValueKind ValueKind => _utf8.Span[0] switch
    {
        (byte)'{' => JsonValueKind.Object,
        (byte)'[' => JsonValueKind.Array,
        (byte)'"' => JsonValueKind.String,
        (byte)'t' => JsonValueKind.True,
        (byte)'f' => JsonValueKind.False,
        (byte)'n' => JsonValueKind.Null,
        _ => JsonValueKind.Number,
    };

    /// <summary>Wraps UTF-8 JSON text that was already validated (a slice of a decrypted session payload).</summary>
    internal static JsonSessionValue FromTrustedUtf8(ReadOnlyMemory<byte> utf8) => new(utf8);

    /// <summary>Parses one JSON value from UTF-8 text.</summary>
    /// <param name="utf8Json">The text.</param>
    /// <exception cref="JsonException">The text is not exactly one JSON value.</exception>
    public static JsonSessionValue Parse(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (!reader.Read())
        {
            throw new JsonException("Empty JSON text.");
        }

        reader.Skip();
        if (reader.Read())
        {
            throw new JsonException("More than one JSON value.");
        }

        var start = 0;
        var end = utf8Json.Length;
        while (start < end && IsWhitespace(utf8Json[start]))
        {
            start++;
        }

        while (end > start && IsWhitespace(utf8Json[end - 1]))
        {
            end--;
        }

        return new(utf8Json[start..end].ToArray());
    }

    /// <summary>Parses one JSON value from text.</summary>
    /// <param name="json">The text.</param>
    /// <exception cref="JsonException">The text is not exactly one JSON value.</exception>
    public static JsonSessionValue Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <summary>Writes <paramref name="value"/> with a writer function (what generated schemas do).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="write">Writes exactly one JSON value.</param>
    public static JsonSessionValue Create<T>(T value, JsonWriteAction<T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var cache = Internal.JsonWriterCache.Rent();
        write(cache.Writer, value);
        return new(cache.WrittenSpan.ToArray());
    }

    /// <summary>Serializes <paramref name="value"/> with System.Text.Json metadata (trim and AOT safe).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">How to write <typeparamref name="T"/>, from a <c>JsonSerializerContext</c>.</param>
    public static JsonSessionValue Create<T>(T value, JsonTypeInfo<T> typeInfo)
        => new(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>Reads the value with a reader function; a value of another shape yields <see langword="false"/>, never an exception.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="read">Reads one value from a reader positioned on its first token.</param>
    /// <param name="value">The value, or <see langword="default"/>.</param>
    public bool TryRead<T>(JsonReadFunc<T> read, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            var reader = new Utf8JsonReader(_utf8.Span);
            reader.Read();
            value = read(ref reader)!;
            return true;
        }
        catch (Exception exception) when (IsShapeMismatch(exception))
        {
            value = default;
            return false;
        }
    }

    /// <summary>
    /// Reads the value with a compact fast path first and, when the text is not in the exact form it expects (written by
    /// another writer, with whitespace, properties reordered), with <paramref name="read"/>, which decides. Generated
    /// schemas use this; a value of another shape yields <see langword="false"/>, never an exception.
    /// </summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="compactRead">The fast path: reads the compact JSON of <typeparamref name="T"/> or returns <see langword="false"/>.</param>
    /// <param name="read">The full reader, used when the fast path declines.</param>
    /// <param name="value">The value, or <see langword="default"/>.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool TryRead<T>(CompactJsonReadFunc<T> compactRead, JsonReadFunc<T> read, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(compactRead);
        try
        {
            var compact = new CompactJsonReader(_utf8.Span);
            if (compactRead(ref compact, out value) && compact.IsAtEnd)
            {
                return true;
            }
        }
        catch (Exception exception) when (IsShapeMismatch(exception) || exception is ArgumentException)
        {
            // A constructor that rejected the values: the full reader below gives the same answer the slow way (it turns
            // a constructor's or setter's ArgumentException into a JsonException; nothing else's).
        }

        return TryRead(read, out value);
    }

    /// <summary>Deserializes with System.Text.Json metadata; a value of another shape yields <see langword="false"/>.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="typeInfo">How to read <typeparamref name="T"/>.</param>
    /// <param name="value">The value, or <see langword="default"/>.</param>
    public bool TryDeserialize<T>(JsonTypeInfo<T> typeInfo, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            value = JsonSerializer.Deserialize(_utf8.Span, typeInfo)!;
            return true;
        }
        catch (Exception exception) when (IsShapeMismatch(exception))
        {
            value = default;
            return false;
        }
    }

    /// <summary>The value as a mutable <see cref="JsonNode"/> (<see langword="null"/> for JSON null).</summary>
    public JsonNode? ToJsonNode() => JsonNode.Parse(_utf8.Span);

    /// <summary>The JSON text.</summary>
    public override string ToString() => Encoding.UTF8.GetString(_utf8.Span);

    /// <inheritdoc />
    public bool Equals(JsonSessionValue? other) => other is not null && _utf8.Span.SequenceEqual(other._utf8.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as JsonSessionValue);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_utf8.Span);
        return hash.ToHashCode();
    }

    /// <summary>A JSON string, or JSON null for <see langword="null"/>.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(string? value) => value is null ? Null : Create(value, static (w, v) => w.WriteStringValue(v));

    /// <summary>A JSON boolean.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(bool value) => new(value ? "true"u8.ToArray() : "false"u8.ToArray());

    /// <summary>A JSON number.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(int value) => new(Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A JSON number.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(long value) => new(Encoding.UTF8.GetBytes(value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>A JSON number.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(double value) => Create(value, static (w, v) => w.WriteNumberValue(v));

    /// <summary>A JSON number.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(decimal value) => Create(value, static (w, v) => w.WriteNumberValue(v));

    /// <summary>A JSON string holding the GUID.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(Guid value) => Create(value, static (w, v) => w.WriteStringValue(v));

    /// <summary>A JSON string holding the ISO 8601 date and time.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator JsonSessionValue(DateTimeOffset value) => Create(value, static (w, v) => w.WriteStringValue(v));

    /// <summary>The JSON of a <see cref="JsonNode"/> (JSON null for <see langword="null"/>).</summary>
    /// <param name="node">The node.</param>
    public static implicit operator JsonSessionValue(JsonNode? node) => node is null ? Null : Create(node, static (w, n) => n.WriteTo(w));

    /// <summary>Reads a JSON string (<see langword="null"/> for JSON null or an absent value).</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public static explicit operator string?(JsonSessionValue? value) => value is null ? null : value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetString());

    /// <summary>Reads a JSON boolean.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a boolean.</exception>
    public static explicit operator bool(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetBoolean());

    /// <summary>Reads a JSON number as an <see cref="int"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not an <see cref="int"/>.</exception>
    public static explicit operator int(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetInt32());

    /// <summary>Reads a JSON number as a <see cref="long"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a <see cref="long"/>.</exception>
    public static explicit operator long(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetInt64());

    /// <summary>Reads a JSON number as a <see cref="double"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public static explicit operator double(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetDouble());

    /// <summary>Reads a JSON number as a <see cref="decimal"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public static explicit operator decimal(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetDecimal());

    /// <summary>Reads a JSON string as a <see cref="Guid"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not a GUID string.</exception>
    public static explicit operator Guid(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetGuid());

    /// <summary>Reads a JSON string as a <see cref="DateTimeOffset"/>.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidOperationException">The value is not an ISO 8601 string.</exception>
    public static explicit operator DateTimeOffset(JsonSessionValue value) => value.ReadOrThrow(static (ref Utf8JsonReader r) => r.GetDateTimeOffset());

    private T ReadOrThrow<T>(JsonReadFunc<T> read)
        => TryRead(read, out var result)
            ? result
            : throw new InvalidOperationException($"The session value {Truncate(ToString())} cannot be read as {typeof(T).Name}.");

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private static bool IsShapeMismatch(Exception exception)
        => exception is JsonException or InvalidOperationException or FormatException or OverflowException or NotSupportedException;

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
