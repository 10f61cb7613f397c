using System.Buffers;
using System.Buffers.Text;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Json;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// A forward-only reader for the exact JSON text that <see cref="System.Text.Json.Utf8JsonWriter"/> writes for session
/// values (no whitespace, properties in declaration order). Generated session schemas use it as a fast path: every
/// member returns <see langword="false"/>, never throws, on anything it does not expect, and the caller then reads the
/// value again with <see cref="System.Text.Json.Utf8JsonReader"/>, which decides.
/// </summary>
/// <remarks>
/// It is faster than tokenizing because it compares each object's expected <c>{"Name":</c> prefix as one byte
/// sequence; docs/benchmarks.md has the numbers.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct CompactJsonReader
{
    // A string ends at a quote; a backslash starts an escape; control characters are invalid in JSON strings.
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);
    // What a string holds without escapes in printable ASCII: everything from the space to DEL but the quote and backslash.
    private static readonly SearchValues<byte> PlainAscii = SearchValues.Create(
        " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007F"u8);
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
    public bool TryReadNull() => _position < _json.Length && _json[_position] == (byte)'n' && TryConsume("null"u8);

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

        // The common case in one pass: printable ASCII up to the closing quote, decoded by plain widening (ASCII is
        // the first half of Latin-1, whose decoder is the fastest exact one).
        var start = _position + 1;
        var plain = IndexOfNotPlain(_json[start..]);
        if (plain >= 0 && _json[start + plain] == (byte)'"')
        {
            value = Encoding.Latin1.GetString(_json.Slice(start, plain));
            _position = start + plain + 1;
            return true;
        }

        return TryReadOtherString(start, out value);
    }

    /// <summary>
    /// The index of the first byte that is not printable ASCII, a quote or a backslash: 16 bytes per step with one
    /// signed comparison and two equalities (session strings are short, so the generic <see cref="SearchValues{T}"/>
    /// dispatch cost more than the scan), <see cref="PlainAscii"/> for the last few bytes of the input.
    /// </summary>
    private static int IndexOfNotPlain(ReadOnlySpan<byte> span)
    {
        if (!Vector128.IsHardwareAccelerated || span.Length < Vector128<byte>.Count)
        {
            return span.IndexOfAnyExcept(PlainAscii);
        }

        ref var first = ref MemoryMarshal.GetReference(span);
        var last = (nuint)(span.Length - Vector128<byte>.Count);
        nuint offset = 0;
        while (true)
        {
            // As signed bytes, everything below the space and everything from 0x80 up is less than 0x20.
            var bytes = Vector128.LoadUnsafe(ref first, offset).AsSByte();
            var special = Vector128.LessThan(bytes, Vector128.Create((sbyte)0x20))
                | Vector128.Equals(bytes, Vector128.Create((sbyte)'"'))
                | Vector128.Equals(bytes, Vector128.Create((sbyte)'\\'));
            var mask = special.ExtractMostSignificantBits();
            if (mask != 0)
            {
                return (int)offset + BitOperations.TrailingZeroCount(mask);
            }

            if (offset == last)
            {
                return -1;
            }

            // The last step overlaps the one before; the bytes read twice were plain, so the first special byte found is still the first.
            offset = Math.Min(offset + (nuint)Vector128<byte>.Count, last);
        }
    }

    /// <summary>A string with escapes, non-ASCII characters or invalid bytes.</summary>
    private bool TryReadOtherString(int start, [NotNullWhen(true)] out string? value)
    {
        value = null;
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

            if (_json[end] != (byte)'\\')
            {
                return false;
            }

            escaped = true;
            end += 2;
            if (end >= _json.Length)
            {
                return false;
            }
        }

        if (escaped)
        {
            if (!TryUnescape(_json[(start - 1)..(end + 1)], out value))
            {
                return false;
            }
        }
        else
        {
            // System.Text.Json refuses invalid UTF-8: so does the strict encoding, by throwing.
            try
            {
                value = StrictUtf8.GetString(_json[start..end]);
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }

        _position = end + 1;
        return true;
    }

    /// <summary>Reads a number that fits an <see cref="int"/>.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadInt32(out int value)
    {
        // The common case in one tight pass: a non-negative number of up to nine digits (so no overflow), ended by a
        // delimiter or the end of the input. Anything else, including a tenth digit, takes the full scan below.
        var json = _json;
        var start = _position;
        if ((uint)start < (uint)json.Length)
        {
            var digit = (uint)(json[start] - '0');
            if (digit <= 9)
            {
                var result = (int)digit;
                var end = start + 1;
                if (digit != 0)
                {
                    var limit = Math.Min(json.Length, start + 9);
                    while (end < limit && (digit = (uint)(json[end] - '0')) <= 9)
                    {
                        result = (result * 10) + (int)digit;
                        end++;
                    }
                }

                if (end == json.Length || IsNumberEnd(json[end]))
                {
                    value = result;
                    _position = end;
                    return true;
                }
            }
        }

        var number = ScanNumber();
        if (number.IsInteger && number.Digits <= 18)
        {
            var signed = number.Negative ? -(long)number.Mantissa : (long)number.Mantissa;
            if (signed is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)signed;
                _position += number.Length;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Reads a number that fits a <see cref="long"/>.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadInt64(out long value)
    {
        // As for int: a non-negative number of up to 18 digits in one tight pass, anything else through the full scan.
        var json = _json;
        var start = _position;
        if ((uint)start < (uint)json.Length)
        {
            var digit = (uint)(json[start] - '0');
            if (digit <= 9)
            {
                long result = digit;
                var end = start + 1;
                if (digit != 0)
                {
                    var limit = Math.Min(json.Length, start + 18);
                    while (end < limit && (digit = (uint)(json[end] - '0')) <= 9)
                    {
                        result = (result * 10) + digit;
                        end++;
                    }
                }

                if (end == json.Length || IsNumberEnd(json[end]))
                {
                    value = result;
                    _position = end;
                    return true;
                }
            }
        }

        var number = ScanNumber();
        if (number.IsInteger && number.Digits <= 19
            && number.Mantissa <= (number.Negative ? 1UL + long.MaxValue : long.MaxValue))
        {
            value = number.Negative ? unchecked((long)(0UL - number.Mantissa)) : (long)number.Mantissa;
            _position += number.Length;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>Reads a number as a <see cref="decimal"/>, parsed exactly as <see cref="System.Text.Json.Utf8JsonReader"/> parses it.</summary>
    /// <param name="value">The number read.</param>
    /// <remarks>
    /// Up to 19 digits without an exponent are assembled directly: the digits are the mantissa, the count after the
    /// point the scale, and the sign is kept even on zero, which is what <see cref="Utf8Parser"/> (and so
    /// System.Text.Json) produces, down to the bits. Anything longer goes through <see cref="Utf8Parser"/>.
    /// </remarks>
    public bool TryReadDecimal(out decimal value)
    {
        // The common case in one tight pass: a non-negative number with up to 19 digits and an optional fraction, no
        // exponent, ended by a delimiter or the end of the input. Anything else takes the full scan below.
        var json = _json;
        var start = _position;
        if ((uint)start < (uint)json.Length && json[start] - (uint)'0' <= 9)
        {
            ulong mantissa = 0;
            var digits = 0;
            var end = start;
            uint digit;
            if (json[start] == (byte)'0')
            {
                digits = 1;
                end++;
            }
            else
            {
                while (end < json.Length && digits < 19 && (digit = json[end] - (uint)'0') <= 9)
                {
                    mantissa = (mantissa * 10) + digit;
                    digits++;
                    end++;
                }
            }

            var fractionDigits = 0;
            var wellFormed = true;
            if (end < json.Length && json[end] == (byte)'.')
            {
                var fractionStart = ++end;
                while (end < json.Length && digits < 19 && (digit = json[end] - (uint)'0') <= 9)
                {
                    mantissa = (mantissa * 10) + digit;
                    digits++;
                    end++;
                }

                fractionDigits = end - fractionStart;
                wellFormed = fractionDigits > 0;
            }

            if (wellFormed && (end == json.Length || IsNumberEnd(json[end])))
            {
                value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, false, (byte)fractionDigits);
                _position = end;
                return true;
            }
        }

        var number = ScanNumber();
        if (number.Length > 0 && !number.HasExponent && number.Digits <= 19)
        {
            value = new decimal((int)number.Mantissa, (int)(number.Mantissa >> 32), 0, number.Negative, (byte)number.FractionDigits);
            _position += number.Length;
            return true;
        }

        return TryParseWhole(number, out value);
    }

    /// <summary>Reads a finite number as a <see cref="double"/>, parsed exactly as <see cref="System.Text.Json.Utf8JsonReader"/> parses it.</summary>
    /// <param name="value">The number read.</param>
    public bool TryReadDouble(out double value)
    {
        var number = ScanNumber();
        var token = _json.Slice(_position, number.Length);

        // System.Text.Json parses numbers with an exponent in scientific format and all others in the default one.
        if (number.Length > 0 && Utf8Parser.TryParse(token, out value, out var consumed, number.HasExponent ? 'e' : default)
            && consumed == token.Length && double.IsFinite(value))
        {
            _position += consumed;
            return true;
        }

        value = 0;
        return false;
    }

    private bool TryParseWhole(NumberScan number, out decimal value)
    {
        var token = _json.Slice(_position, number.Length);
        if (number.Length > 0 && Utf8Parser.TryParse(token, out value, out var consumed, number.HasExponent ? 'e' : default)
            && consumed == token.Length)
        {
            _position += consumed;
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// Scans the number at the position in one pass: its length when it follows JSON's grammar (no leading zeros, no
    /// '+', digits around '.') and ends at a delimiter or the end of the input, else a length of 0; and its digits as
    /// an integer mantissa, meaningful while <see cref="NumberScan.Digits"/> is at most 19.
    /// </summary>
    private readonly NumberScan ScanNumber()
    {
        var json = _json;
        var i = _position;
        var scan = default(NumberScan);
        if (i < json.Length && json[i] == (byte)'-')
        {
            scan.Negative = true;
            i++;
        }

        if (i >= json.Length)
        {
            return default;
        }

        if (json[i] == (byte)'0')
        {
            scan.Digits = 1;
            i++;
        }
        else if (!ScanDigits(json, ref i, ref scan))
        {
            return default;
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            var fractionStart = i;
            if (!ScanDigits(json, ref i, ref scan))
            {
                return default;
            }

            scan.FractionDigits = i - fractionStart;
        }

        if (i < json.Length && json[i] is (byte)'e' or (byte)'E')
        {
            scan.HasExponent = true;
            i++;
            if (i < json.Length && json[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            var exponentStart = i;
            while (i < json.Length && json[i] - (uint)'0' <= 9)
            {
                i++;
            }

            if (i == exponentStart)
            {
                return default;
            }
        }

        if (i < json.Length && !IsNumberEnd(json[i]))
        {
            return default;
        }

        scan.Length = i - _position;
        return scan;
    }

    /// <summary>Whether <paramref name="next"/> may follow a number: a delimiter or whitespace, as for <see cref="Utf8JsonReader"/>.</summary>
    private static bool IsNumberEnd(byte next) => next is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool ScanDigits(ReadOnlySpan<byte> json, ref int i, ref NumberScan scan)
    {
        var start = i;
        uint digit;
        while (i < json.Length && (digit = json[i] - (uint)'0') <= 9)
        {
            scan.Mantissa = unchecked((scan.Mantissa * 10) + digit);
            i++;
        }

        scan.Digits += i - start;
        return i > start;
    }

    /// <summary>One number token as <see cref="ScanNumber"/> found it.</summary>
    private struct NumberScan
    {
        /// <summary>Bytes in the token; 0 when the position holds no JSON number.</summary>
        public int Length;

        /// <summary>All digits before the exponent, as one integer (wrapped when there are more than 19).</summary>
        public ulong Mantissa;

        /// <summary>How many digits <see cref="Mantissa"/> holds.</summary>
        public int Digits;

        /// <summary>Digits after the decimal point.</summary>
        public int FractionDigits;

        /// <summary>Whether the token starts with '-'.</summary>
        public bool Negative;

        /// <summary>Whether the token has an exponent.</summary>
        public bool HasExponent;

        /// <summary>A number without fraction or exponent.</summary>
        public readonly bool IsInteger => Length > 0 && FractionDigits == 0 && !HasExponent;
    }

    private static bool TryUnescape(ReadOnlySpan<byte> quoted, [NotNullWhen(true)] out string? value)
    {
        try
        {
            var reader = new Utf8JsonReader(quoted);
            reader.Read();
            value = reader.GetString()!;
            return true;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            value = null;
            return false;
        }
    }
}
