using Remastered.Sessions.Schemas.Support;
using System.Buffers;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Remastered.Sessions.Tests;

/// <summary>
/// The compact fast path must never disagree with System.Text.Json: on what <see cref="Utf8JsonWriter"/> writes it reads
/// the same value, and on anything else it declines (returns false) or still agrees, without throwing.
/// </summary>
public sealed class CompactJsonReaderTests
{
    private delegate bool FastRead<T>(ref CompactJsonReader reader, out T value);

    private static byte[] Written(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static T ReadCompact<T>(byte[] json, FastRead<T> read)
    {
        var reader = new CompactJsonReader(json);
        Assert.True(read(ref reader, out var value), "the fast path declined " + Encoding.UTF8.GetString(json));
        Assert.True(reader.IsAtEnd);
        return value;
    }

    [Fact]
    public void Numbers_written_by_Utf8JsonWriter_read_back_exactly()
    {
        Gen.Int.Sample(v => Assert.Equal(v, ReadCompact(Written(w => w.WriteNumberValue(v)), (ref CompactJsonReader r, out int x) => r.TryReadInt32(out x))), iter: 2000);
        Gen.Long.Sample(v => Assert.Equal(v, ReadCompact(Written(w => w.WriteNumberValue(v)), (ref CompactJsonReader r, out long x) => r.TryReadInt64(out x))), iter: 2000);
        Gen.Decimal.Sample(v =>
        {
            var json = Written(w => w.WriteNumberValue(v));
            var fast = ReadCompact(json, (ref CompactJsonReader r, out decimal x) => r.TryReadDecimal(out x));
            Assert.Equal(v, fast);
            var reader = new Utf8JsonReader(json);
            reader.Read();
            AssertSame(reader.GetDecimal(), fast); // down to scale and sign bits (the writer drops the sign of -0)
        }, iter: 2000);
        Gen.Double.Where(double.IsFinite).Sample(v => Assert.Equal(v, ReadCompact(Written(w => w.WriteNumberValue(v)), (ref CompactJsonReader r, out double x) => r.TryReadDouble(out x))), iter: 2000);
    }

    [Fact]
    public void Strings_written_by_Utf8JsonWriter_read_back_exactly_escaped_or_not()
        => Gen.String.Sample(v =>
        {
            var json = Written(w => w.WriteStringValue(v));
            Assert.Equal(v, ReadCompact(json, (ref CompactJsonReader r, out string? x) => r.TryReadString(out x)));
        }, iter: 2000);

    [Fact]
    public void Booleans_and_null_are_literals()
    {
        Assert.True(ReadCompact("true"u8.ToArray(), (ref CompactJsonReader r, out bool x) => r.TryReadBoolean(out x)));
        Assert.False(ReadCompact("false"u8.ToArray(), (ref CompactJsonReader r, out bool x) => r.TryReadBoolean(out x)));
        var reader = new CompactJsonReader("null"u8);
        Assert.True(reader.TryReadNull());
        Assert.True(reader.IsAtEnd);
    }

    private static readonly Gen<string> NumberLike = Gen.OneOf(
        Gen.Const("0"), Gen.Const("-0"), Gen.Const("1.0"), Gen.Const("1e3"), Gen.Const("1E+2"), Gen.Const("-1.5e-3"),
        Gen.Const("2147483648"), Gen.Const("-2147483649"), Gen.Const("9223372036854775808"), Gen.Const("79228162514264337593543950336"),
        Gen.Const("1e400"), Gen.Const("0.1"), Gen.Const("123456789012345678901234567890.5"), Gen.Const("9.990"),
        Gen.Const("-0.000"), Gen.Const("9223372036854775807"), Gen.Const("-9223372036854775808"), Gen.Const("18446744073709551615"),
        Gen.Const("9999999999999999999"), Gen.Const("99999999999999999999"), Gen.Const("-2147483648"), Gen.Const("0.0000000000000000001"),
        Gen.Char["0123456789-.eE+"].Array[1, 12].Select(chars => new string(chars)),
        Gen.Select(Gen.Bool, Gen.Char["0123456789"].Array[1, 22], Gen.Char["0123456789"].Array[0, 12],
            (negative, whole, fraction) => (negative ? "-" : "") + new string(whole) + (fraction.Length > 0 ? "." + new string(fraction) : "")));

    [Fact]
    public void On_any_number_text_the_fast_path_declines_or_agrees_with_Utf8JsonReader()
        => NumberLike.Sample(text =>
        {
            var json = Encoding.UTF8.GetBytes(text);
            Agrees(json, (ref CompactJsonReader r, out int x) => r.TryReadInt32(out x), (ref Utf8JsonReader r) => r.GetInt32());
            Agrees(json, (ref CompactJsonReader r, out long x) => r.TryReadInt64(out x), (ref Utf8JsonReader r) => r.GetInt64());
            Agrees(json, (ref CompactJsonReader r, out decimal x) => r.TryReadDecimal(out x), (ref Utf8JsonReader r) => r.GetDecimal());
            Agrees(json, (ref CompactJsonReader r, out double x) => r.TryReadDouble(out x), (ref Utf8JsonReader r) => r.GetDouble());
        }, iter: 3000);

    [Fact]
    public void A_number_reads_the_same_whatever_follows_it()
        => Gen.Select(NumberLike, Gen.Byte.Array[0, 6], Gen.OneOfConst((byte)',', (byte)'}', (byte)']', (byte)' ', (byte)'\t', (byte)'\r', (byte)'\n')).Sample((text, trailer, end) =>
        {
            var alone = Encoding.UTF8.GetBytes(text);
            byte[][] followed = [[.. alone, end, .. trailer], [.. alone, .. trailer]];
            SameWhateverFollows(alone, followed, (ref CompactJsonReader r, out int x) => r.TryReadInt32(out x));
            SameWhateverFollows(alone, followed, (ref CompactJsonReader r, out long x) => r.TryReadInt64(out x));
            SameWhateverFollows(alone, followed, (ref CompactJsonReader r, out decimal x) => r.TryReadDecimal(out x));
            SameWhateverFollows(alone, followed, (ref CompactJsonReader r, out double x) => r.TryReadDouble(out x));
        }, iter: 3000);

    /// <summary>
    /// Followed by a delimiter, a number reads exactly as it does alone (accepted with the same value and length, or
    /// declined); followed by anything, whatever is accepted is a whole number token that reads as it does alone.
    /// </summary>
    private static void SameWhateverFollows<T>(byte[] alone, byte[][] followed, FastRead<T> fast)
    {
        var reader = new CompactJsonReader(alone);
        var acceptedAlone = fast(ref reader, out var valueAlone) && reader.IsAtEnd;
        for (var i = 0; i < followed.Length; i++)
        {
            var json = followed[i];
            reader = new CompactJsonReader(json);
            var accepted = fast(ref reader, out var value);
            var consumed = json.Length - Remaining(reader, json);
            if (i == 0)
            {
                Assert.Equal(acceptedAlone, accepted);
                if (accepted)
                {
                    Assert.Equal(alone.Length, consumed);
                    AssertSame(valueAlone, value);
                }
            }
            else if (accepted)
            {
                // The token taken is a number by itself, ended where a number may end.
                Assert.True(consumed == json.Length || ",}] \t\r\n"u8.Contains(json[consumed]));
                var token = json[..consumed];
                var tokenReader = new CompactJsonReader(token);
                Assert.True(fast(ref tokenReader, out var tokenValue) && tokenReader.IsAtEnd);
                AssertSame(tokenValue, value);
            }
        }
    }

    /// <summary>How many bytes the reader has not consumed (found by consuming them one at a time from a copy).</summary>
    private static int Remaining(CompactJsonReader reader, byte[] json)
    {
        var remaining = 0;
        while (!reader.IsAtEnd)
        {
            var consumedOne = false;
            foreach (var b in json)
            {
                if (reader.TryConsume(b))
                {
                    consumedOne = true;
                    break;
                }
            }

            Assert.True(consumedOne);
            remaining++;
        }

        return remaining;
    }

    [Fact]
    public void On_arbitrary_bytes_the_fast_path_never_throws()
        => Gen.Byte.Array[0, 24].Sample(bytes =>
        {
            var reader = new CompactJsonReader(bytes);
            _ = reader.TryReadString(out _);
            reader = new CompactJsonReader(bytes);
            _ = reader.TryReadInt32(out _);
            reader = new CompactJsonReader(bytes);
            _ = reader.TryReadDecimal(out _);
            reader = new CompactJsonReader(bytes);
            _ = reader.TryReadDouble(out _);
            reader = new CompactJsonReader(bytes);
            _ = reader.TryReadBoolean(out _);
            reader = new CompactJsonReader(bytes);
            Assert.Equal(bytes.AsSpan().StartsWith("{\"a\":"u8), reader.TryConsume("{\"a\":"u8));
        }, iter: 3000);

    [Fact]
    public void On_any_quoted_bytes_the_fast_path_declines_or_agrees_with_Utf8JsonReader()
        => Gen.OneOf(Gen.Byte.Array[0, 24], Gen.Byte[0, 127].Array[0, 24], Gen.Byte[0x20, 0x7E].Array[0, 24]).Sample(bytes =>
        {
            var json = new byte[bytes.Length + 2];
            json[0] = json[^1] = (byte)'"';
            bytes.CopyTo(json, 1);
            Agrees(json, (ref CompactJsonReader r, out string? x) => r.TryReadString(out x), (ref Utf8JsonReader r) => r.GetString());
        }, iter: 5000);

    [Fact]
    public void A_string_reads_the_same_whatever_follows_it_in_the_input()
        => Gen.Select(
            Gen.OneOf(Gen.Byte.Array[0, 70], Gen.Byte[0x1F, 0x80].Array[0, 70], Gen.Byte[0x20, 0x7E].Array[0, 70]),
            Gen.Byte.Array[0, 40]).Sample((content, trailer) =>
        {
            // The scan reads 16 bytes at a time where the input allows and byte by byte near its end: the value read
            // (or the decline) must not depend on which, nor on the bytes after the closing quote.
            var alone = Quoted(content, []);
            var followed = Quoted(content, trailer);
            var first = new CompactJsonReader(alone);
            var firstRead = first.TryReadString(out var firstValue);
            var second = new CompactJsonReader(followed);
            var secondRead = second.TryReadString(out var secondValue);
            // A content ending in a backslash escapes its closing quote: what follows can then complete the string.
            var trailerCanComplete = !firstRead && content.Contains((byte)'\\');
            if (!trailerCanComplete)
            {
                Assert.Equal(firstRead, secondRead);
                Assert.Equal(firstValue, secondValue);
            }
            if (firstRead && !content.Contains((byte)'"') && !content.Contains((byte)'\\'))
            {
                Assert.True(first.IsAtEnd);
                Assert.Equal(trailer.Length == 0, second.IsAtEnd);
            }
        }, iter: 5000);

    private static byte[] Quoted(byte[] content, byte[] trailer)
    {
        var json = new byte[content.Length + 2 + trailer.Length];
        json[0] = (byte)'"';
        content.CopyTo(json, 1);
        json[content.Length + 1] = (byte)'"';
        trailer.CopyTo(json, content.Length + 2);
        return json;
    }

    [Fact]
    public void Strings_with_unexpected_form_are_declined()
    {
        foreach (var text in new[] { "\"unterminated", "\"ends with escape\\", "'single'", " \"leading space\"", "\"bad \\x escape\"", "\"raw\ttab\"", "\"raw\nnewline\"" })
        {
            var reader = new CompactJsonReader(Encoding.UTF8.GetBytes(text));
            Assert.False(reader.TryReadString(out _), text);
        }
    }

    private static void Agrees<T>(byte[] json, FastRead<T> fast, JsonReadFunc<T> slow)
    {
        var compact = new CompactJsonReader(json);
        if (!fast(ref compact, out var fastValue) || !compact.IsAtEnd)
        {
            return;
        }

        var reader = new Utf8JsonReader(json);
        T slowValue;
        try
        {
            reader.Read();
            slowValue = slow(ref reader);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            Assert.Fail($"the fast path read {Encoding.UTF8.GetString(json)} as {fastValue}, System.Text.Json refuses it: {exception.Message}");
            return;
        }

        AssertSame(slowValue, fastValue);
    }

    /// <summary>Equal values; decimals also with the same scale and sign bits (9.990 is not 9.99, -0 is not 0).</summary>
    private static void AssertSame<T>(T expected, T actual)
    {
        Assert.Equal(expected, actual);
        if (expected is decimal expectedDecimal && actual is decimal actualDecimal)
        {
            Assert.Equal(decimal.GetBits(expectedDecimal), decimal.GetBits(actualDecimal));
        }
    }
}
