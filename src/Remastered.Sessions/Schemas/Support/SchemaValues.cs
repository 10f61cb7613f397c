using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>What generated schemas call to store, read and track typed values; applications do not use this type.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SchemaValues
{
    /// <summary>
    /// Declares the keys the schema marks <c>[Flash]</c>: a value stored under one of them without the flash mark (by a
    /// release that declared it a normal key) is consumed by this request's commit like any flash value.
    /// </summary>
    /// <typeparam name="TValue">The store's value type.</typeparam>
    /// <param name="store">The loaded store.</param>
    /// <param name="keys">The flash keys' stored names.</param>
    public static void DeclareFlashKeys<TValue>(SessionStore<TValue> store, string[] keys)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.DeclareFlashKeys(keys);
    }

    /// <summary>Writes <paramref name="value"/> as the JSON of <paramref name="key"/>; a value JSON cannot hold throws naming the key.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The session key.</param>
    /// <param name="value">The value.</param>
    /// <param name="write">The generated writer.</param>
    /// <exception cref="SessionValueNotStorableException">The value cannot be written (a non-finite number).</exception>
    public static JsonSessionValue Serialize<T>(string key, T value, JsonWriteAction<T> write)
    {
        // The commonest keys without the writer: numbers and plain strings have one JSON form, which generated writers
        // (no converters, no number handling) always produce. The JIT removes the tests that do not apply to T.
        if (typeof(T) == typeof(int))
        {
            return FromInt64(Unsafe.As<T, int>(ref value));
        }

        if (typeof(T) == typeof(int?) && Unsafe.As<T, int?>(ref value) is { } nullableInt)
        {
            return FromInt64(nullableInt);
        }

        if (typeof(T) == typeof(long))
        {
            return FromInt64(Unsafe.As<T, long>(ref value));
        }

        if (typeof(T) == typeof(long?) && Unsafe.As<T, long?>(ref value) is { } nullableLong)
        {
            return FromInt64(nullableLong);
        }

        if (typeof(T) == typeof(string) && value is string text && TryFromPlainString(text) is { } plain)
        {
            return plain;
        }

        try
        {
            return JsonSessionValue.Create(value, write);
        }
        catch (SessionValueNotStorableException exception)
        {
            throw NotStorable(key, exception);
        }
    }

    private static JsonSessionValue FromInt64(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        return JsonSessionValue.FromTrustedUtf8(digits[..written].ToArray());
    }

    /// <summary>
    /// A short string of printable ASCII that System.Text.Json's default encoder leaves as it is (it escapes the quote,
    /// backslash, <c>&amp;</c>, <c>'</c>, <c>+</c>, <c>&lt;</c>, <c>&gt;</c> and the backtick), quoted; <see langword="null"/> otherwise.
    /// </summary>
    internal static JsonSessionValue? TryFromPlainString(string text)
    {
        if (text.Length > 256 || text.AsSpan().ContainsAnyExcept(PlainStringCharacters))
        {
            return null;
        }

        var json = new byte[text.Length + 2];
        json[0] = json[^1] = (byte)'"';
        Encoding.ASCII.GetBytes(text, json.AsSpan(1));
        return JsonSessionValue.FromTrustedUtf8(json);
    }

    private static readonly SearchValues<char> PlainStringCharacters = SearchValues.Create(
        " !#$%()*,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>
    /// Writes a double or float that JSON cannot represent (NaN or an infinity), which means throwing
    /// <see cref="SessionValueNotStorableException"/>: such a value cannot be stored. Only while a value read from the
    /// store is compared with itself as read (a constructor default or initializer can put an infinity into a value the
    /// stored JSON leaves it out of) is it written as its name, so that a value that was only read is never rewritten and
    /// never fails the commit.
    /// </summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    public static void WriteNonFinite(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!t_comparingAsRead)
        {
            throw NonFinite(value);
        }

        writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    /// <summary>
    /// <paramref name="value"/> written for comparison only (non-finite numbers by name, see <see cref="WriteNonFinite"/>),
    /// or <see langword="null"/> when it cannot be written even so.
    /// </summary>
    internal static byte[]? WriteForComparison<T>(JsonWriteAction<T> write, T value)
    {
        using var cache = JsonWriterCache.Rent();
        var outer = t_comparingAsRead;
        t_comparingAsRead = true;
        try
        {
            write(cache.Writer, value);
            return cache.WrittenSpan.ToArray();
        }
        catch (Exception)
        {
            // Best effort: written past a NaN, a getter the real write never reached may throw. No comparison then, and
            // the real write reports the value as it would have.
            return null;
        }
        finally
        {
            t_comparingAsRead = outer;
        }
    }

    [ThreadStatic]
    private static bool t_comparingAsRead;

    [ThreadStatic]
    private static bool t_readBackOnly;

    /// <summary>
    /// Whether the value being written is being compared with itself as it was read: generated writers then leave out
    /// the members that reading does not restore (a computed property, a private setter), which alone cannot make a
    /// change the next request sees; a clock in a computed property (<c>Age =&gt; DateTime.UtcNow - Created</c>) would
    /// otherwise rewrite the value on every request.
    /// </summary>
    public static bool WritesReadBackOnly => t_readBackOnly;

    /// <summary>
    /// <paramref name="value"/> as it reads back (see <see cref="WritesReadBackOnly"/>), written for comparison only (see
    /// <see cref="WriteForComparison{T}"/>), or <see langword="null"/> when it cannot be written even so.
    /// </summary>
    internal static byte[]? WriteReadBackForComparison<T>(JsonWriteAction<T> write, T value)
    {
        var outer = t_readBackOnly;
        t_readBackOnly = true;
        try
        {
            return WriteForComparison(write, value);
        }
        finally
        {
            t_readBackOnly = outer;
        }
    }

    /// <summary>
    /// Reads a <see cref="TimeOnly"/> as System.Text.Json's default converter does: a string in <see cref="TimeSpan"/>'s
    /// constant format within one day, starting with a digit and without a day count (<c>"10:00"</c>, <c>"1:02:03"</c>,
    /// <c>"23:59:59.9999999"</c>).
    /// </summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The time.</returns>
    /// <exception cref="JsonException">The value is not such a string.</exception>
    public static TimeOnly ReadTimeOnly(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedTimeOnlyLength];
        if (!TryGetString(in reader, buffer, out var source) || source.IsEmpty || !char.IsAsciiDigit((char)source[0]))
        {
            throw new JsonException("Expected a time of day (hh:mm[:ss[.fffffff]]).");
        }

        // The constant format's parser also takes a day count ("1.02:03"): the first separator must be a colon.
        var separator = source.IndexOfAny((byte)'.', (byte)':');
        if (separator < 0 || source[separator] == (byte)'.'
            || !Utf8Parser.TryParse(source, out TimeSpan time, out var consumed, 'c') || consumed != source.Length
            || time < TimeSpan.Zero || time.Ticks >= TimeSpan.TicksPerDay)
        {
            throw new JsonException("Expected a time of day (hh:mm[:ss[.fffffff]]).");
        }

        return TimeOnly.FromTimeSpan(time);
    }

    /// <summary>
    /// Reads a <see cref="TimeSpan"/> as System.Text.Json's default converter does: a string in the constant format
    /// (<c>[-][d.]hh:mm[:ss[.fffffff]]</c>) with no leading or trailing whitespace.
    /// </summary>
    /// <param name="reader">The reader, on the value.</param>
    /// <returns>The time span.</returns>
    /// <exception cref="JsonException">The value is not such a string.</exception>
    public static TimeSpan ReadTimeSpan(ref Utf8JsonReader reader)
    {
        Span<byte> buffer = stackalloc byte[MaxEscapedTimeSpanLength];
        if (!TryGetString(in reader, buffer, out var source) || source.IsEmpty
            || !(char.IsAsciiDigit((char)source[0]) || source[0] == (byte)'-') || !char.IsAsciiDigit((char)source[^1])
            || !Utf8Parser.TryParse(source, out TimeSpan value, out var consumed, 'c') || consumed != source.Length)
        {
            throw new JsonException("Expected a time span ([-][d.]hh:mm[:ss[.fffffff]]).");
        }

        return value;
    }

    // System.Text.Json's limits on the string as it stands in the JSON: six bytes per character of the longest form
    // ("hh:mm:ss.fffffff", "-dddddddd.hh:mm:ss.fffffff") when escaped.
    private const int MaxEscapedTimeOnlyLength = 6 * 16;
    private const int MaxEscapedTimeSpanLength = 6 * 26;

    /// <summary>The string value unescaped, if it is a string no longer in the JSON than <paramref name="buffer"/>.</summary>
    private static bool TryGetString(in Utf8JsonReader reader, Span<byte> buffer, out ReadOnlySpan<byte> source)
    {
        source = default;
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (reader.TokenType != JsonTokenType.String || length > buffer.Length)
        {
            return false;
        }

        source = !reader.HasValueSequence && !reader.ValueIsEscaped ? reader.ValueSpan : buffer[..reader.CopyString(buffer)];
        return true;
    }

    /// <summary>The exception generated writers throw for a double or float JSON cannot represent.</summary>
    /// <param name="value">The value.</param>
    public static SessionValueNotStorableException NonFinite(double value)
        => new(string.Create(CultureInfo.InvariantCulture, $"{value} cannot be stored: JSON has no NaN or infinity."));

    /// <summary>The exception generated writers throw for a value nested deeper than JSON sessions allow (an object cycle, most likely).</summary>
    public static SessionValueNotStorableException TooDeep()
        => new("it is nested 64 or more levels deep (a value inside 64 objects or arrays), as an object that refers back to itself is; System.Text.Json refuses the same.");

    /// <summary>
    /// The typed value of <paramref name="key"/> handed out earlier in this request, so that every read returns the same
    /// instance; <see langword="false"/> when there is none or it was replaced.
    /// </summary>
    /// <typeparam name="T">The key's type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The instance.</param>
    public static bool TryGetTracked<T>(SessionStore<JsonSessionValue> store, string key, [MaybeNullWhen(false)] out T value)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.FindTracker(key) is JsonValueTracker<T> tracker)
        {
            value = tracker.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Remembers <paramref name="value"/> as the instance of <paramref name="key"/> for the rest of the request.</summary>
    /// <typeparam name="T">The key's type.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The instance handed to the application.</param>
    /// <param name="write">The writer for values that can change in place; <see langword="null"/> for those that cannot.</param>
    /// <param name="version">
    /// For lists of immutable items: reads the list's modification counter, so that an unchanged collection
    /// is not serialized at commit (<see langword="null"/> answers mean "unknown, compare").
    /// </param>
    /// <returns><paramref name="value"/>.</returns>
    public static T Track<T>(SessionStore<JsonSessionValue> store, string key, T value, JsonWriteAction<T>? write, Func<T, long?>? version = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Track(new JsonValueTracker<T>(key, value, write, version));
        return value;
    }

    /// <summary>
    /// Keeps a value just read from its stored JSON for the rest of the request, with the readers that made it (see
    /// <see cref="JsonValueTracker{T}.WithStoredReader"/>): a value stored by an earlier version of its type is not
    /// rewritten by a request that only read it.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="store">The request's store.</param>
    /// <param name="key">The session key.</param>
    /// <param name="value">The value just read.</param>
    /// <param name="write">Writes the value's JSON.</param>
    /// <param name="version">For lists of immutable items, the list's modification counter (see <see cref="Track{T}"/>).</param>
    /// <param name="read">Reads the stored JSON again.</param>
    /// <param name="compactRead">The compact fast path of <paramref name="read"/>, if there is one.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static T TrackStored<T>(SessionStore<JsonSessionValue> store, string key, T value, JsonWriteAction<T> write, Func<T, long?>? version, JsonReadFunc<T> read, CompactJsonReadFunc<T>? compactRead = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (t_defaultsUsed)
        {
            // Reading the stored JSON again could give yet another value (DateTime.UtcNow in an initializer): what this
            // read gave is what "unchanged" means.
            t_defaultsUsed = false;
            store.Track(JsonValueTracker<T>.WithReadState(key, value, write));
            return value;
        }

        store.Track(JsonValueTracker<T>.WithStoredReader(key, value, write, version, read, compactRead));
        return value;
    }

    [ThreadStatic]
    private static bool t_defaultsUsed;

    /// <summary>
    /// Starts reading a stored value that <see cref="TrackStored{T}"/> will keep: forgets an earlier
    /// <see cref="NoteDefaultsUsed"/>.
    /// </summary>
    public static void BeginStoredRead() => t_defaultsUsed = false;

    /// <summary>
    /// Called by generated readers when the JSON lacked a member that the type fills in with code of its own which may
    /// give another value on each read (an initializer such as <c>DateTime.UtcNow</c>, a constructor body): the value
    /// being read is then kept with its JSON as read by <see cref="TrackStored{T}"/>, so that reading it alone never
    /// rewrites it.
    /// </summary>
    public static void NoteDefaultsUsed() => t_defaultsUsed = true;

    /// <summary>
    /// Keeps a value just read for the rest of the request, with its JSON as read (see
    /// <see cref="JsonValueTracker{T}.WithReadState"/>): for types that do not read back every member they write.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="store">The request's store.</param>
    /// <param name="key">The session key.</param>
    /// <param name="value">The value just read.</param>
    /// <param name="write">Writes the value's JSON.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static T TrackRead<T>(SessionStore<JsonSessionValue> store, string key, T value, JsonWriteAction<T> write)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Track(JsonValueTracker<T>.WithReadState(key, value, write));
        return value;
    }

    /// <summary>The modification counter of a <see cref="List{T}"/>; <see langword="null"/> for any other collection.</summary>
    /// <typeparam name="TElement">The element type.</typeparam>
    /// <param name="value">The collection.</param>
    public static long? ListVersion<TElement>(IEnumerable<TElement>? value)
        => value is List<TElement> list ? CollectionVersions.Of(list) : null;

    internal static SessionValueNotStorableException NotStorable(string key, SessionValueNotStorableException inner)
        => new($"The value of session key '{key}' cannot be stored: {inner.Message}", inner);
}
