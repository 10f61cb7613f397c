using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;

namespace Remastered.Sessions;

/// <summary>
/// A forward-only reader for the exact JSON text that <see cref="System.Text.Json.Utf8JsonWriter"/> writes for session
/// values (no whitespace, properties in declaration order). Generated session schemas use it as a fast path: every
/// member returns <see langword="false"/>, never throws, on anything it does not expect, and the caller then reads the
/// value again with <see cref="System.Text.Json.Utf8JsonReader"/>, which decides.
/// </summary>
/// <remarks>
/// Measured on the benchmark's 10-item cart (770 bytes): the generated fast path reads it in about a third of the
/// time of the generated <see cref="System.Text.Json.Utf8JsonReader"/> code, mostly by comparing each object's expected
/// <c>{"Name":</c> prefixes as whole byte sequences instead of tokenizing them.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct CompactJsonReader
{
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> NumberEnd = SearchValues.Create(",}] \t\r\n"u8);
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _json;
    private int _position;

    /// <summary>Starts reading at the first byte of <paramref name="utf8Json"/>.</summary>
    /// <param name="utf8Json">One JSON value as UTF-8.</param>
    public CompactJsonReader(ReadOnlySpan<byte> utf8Json)
    {
        _json = utf8Json;
        _position = 0;
    }

    /// <summary>Whether every byte was consumed.</summary>
    public readonly bool IsAtEnd => _position == _json.Length;

    /// <summary>Consumes <paramref name="expected"/> if the input continues with exactly these bytes.</summary>
    /// <param name="expected">Punctuation and property names, such as <c>,"Title":</c>.</param>
    public bool TryConsume(ReadOnlySpan<byte> expected)
    {
        if (_json[_position..].StartsWith(expected))
        {
            _position += expected.Length;
            return true;
        }

        return false;
    }

    /// <summary>Consumes <paramref name="expected"/> if it is the next byte.</summary>
    /// <param name="expected">A punctuation byte such as <c>[</c>, <c>,</c> or <c>}</c>.</param>
    public bool TryConsume(byte expected)
    {
        if (_position < _json.Length && _json[_position] == expected)
        {
            _position++;
            return true;
        }

        return false;
    }

    /// <summary>Consumes a <c>null</c> literal if it comes next.</summary>
    public bool TryReadNull() => TryConsume("null"u8);

    /// <summary>Reads <c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value read.</param>
    public bool TryReadBoolean(out bool value)
    {
        if (TryConsume("true"u8))
        {
            value = true;
            return true;
        }

        value = false;
        return TryConsume("false"u8);
    }

    /// <summary>Reads a string without escapes directly, and one with escapes through the full reader.</summary>
    /// <param name="value">The string read.</param>
    public bool TryReadString([NotNullWhen(true)] out string? value)
    {
        value = null;
        if (_position >= _json.Length || _json[_position] != (byte)'"')
        {
            return false;
        }

        var start = _position + 1;
        var end = start;
        var escaped = false;
        while (true)
        {
            var next = _json[end..].IndexOfAny(StringEnd);
            if (next < 0)
            {
                return false;
            }

            end += next;
            if (_json[end] == (byte)'"')
            {
                break;
            }

            escaped = true;
            end += 2;
            if (end >= _json.Length)
            {
                return false;
            }
        }

        try
        {
            value = escaped ? Unescape(_json[(start - 1)..(end + 1)]) : StrictUtf8.GetString(_json[start..end]);
        }
        catch (Exception exception) when (exception is DecoderFallbackException or JsonException or InvalidOperationException)
        {
            return false;
        }

        _position = end + 1;
        return true;
    }

    /// <summary>Reads a number that fits an <see cref="int"/>.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadInt32(out int value)
        => TryReadNumber(static (ReadOnlySpan<byte> token, out int number, out int consumed, char _) => Utf8Parser.TryParse(token, out number, out consumed), out value);

    /// <summary>Reads a number that fits a <see cref="long"/>.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadInt64(out long value)
        => TryReadNumber(static (ReadOnlySpan<byte> token, out long number, out int consumed, char _) => Utf8Parser.TryParse(token, out number, out consumed), out value);

    /// <summary>Reads a number as a <see cref="decimal"/>, parsed exactly as <see cref="System.Text.Json.Utf8JsonReader"/> parses it.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadDecimal(out decimal value)
        => TryReadNumber(static (ReadOnlySpan<byte> token, out decimal number, out int consumed, char format) => Utf8Parser.TryParse(token, out number, out consumed, format), out value);

    /// <summary>Reads a finite number as a <see cref="double"/>, parsed exactly as <see cref="System.Text.Json.Utf8JsonReader"/> parses it.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadDouble(out double value)
        => TryReadNumber(static (ReadOnlySpan<byte> token, out double number, out int consumed, char format) => Utf8Parser.TryParse(token, out number, out consumed, format) && double.IsFinite(number), out value);

    private delegate bool NumberParser<T>(ReadOnlySpan<byte> token, out T number, out int consumed, char format);

    /// <summary>Parses the number token at the position whole, or consumes nothing.</summary>
    private bool TryReadNumber<T>(NumberParser<T> parse, out T value)
        where T : struct
    {
        var token = NumberToken();
        if (!token.IsEmpty && parse(token, out value, out var consumed, NumberFormat(token)) && consumed == token.Length)
        {
            _position += consumed;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The number at the position if it follows JSON's grammar (no leading zeros, no '+', digits around '.'), else empty.</summary>
    private readonly ReadOnlySpan<byte> NumberToken()
    {
        var rest = _json[_position..];
        var end = rest.IndexOfAny(NumberEnd);
        var token = end < 0 ? rest : rest[..end];
        return IsJsonNumber(token) ? token : default;
    }

    private static bool IsJsonNumber(ReadOnlySpan<byte> token)
    {
        var i = 0;
        if (i < token.Length && token[i] == (byte)'-')
        {
            i++;
        }

        if (i >= token.Length)
        {
            return false;
        }

        if (token[i] == (byte)'0')
        {
            i++;
        }
        else if (!SkipDigits(token, ref i))
        {
            return false;
        }

        if (i < token.Length && token[i] == (byte)'.')
        {
            i++;
            if (!SkipDigits(token, ref i))
            {
                return false;
            }
        }

        if (i < token.Length && token[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < token.Length && token[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            if (!SkipDigits(token, ref i))
            {
                return false;
            }
        }

        return i == token.Length;
    }

    private static bool SkipDigits(ReadOnlySpan<byte> token, ref int i)
    {
        var start = i;
        while (i < token.Length && token[i] - (uint)'0' <= 9)
        {
            i++;
        }

        return i > start;
    }

    // System.Text.Json parses numbers with an exponent in scientific format and all others in the default one.
    private static char NumberFormat(ReadOnlySpan<byte> token) => token.IndexOfAny((byte)'e', (byte)'E') >= 0 ? 'e' : default;

    private static string Unescape(ReadOnlySpan<byte> quoted)
    {
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }
}
