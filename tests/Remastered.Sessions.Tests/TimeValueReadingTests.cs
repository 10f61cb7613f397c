using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Remastered.Sessions.Schemas.Support;

// The comparison is with System.Text.Json's reflection-based default on purpose.
#pragma warning disable IL2026, IL3050

namespace Remastered.Sessions.Tests;

/// <summary>
/// <see cref="TimeOnly"/> and <see cref="TimeSpan"/> strings read as System.Text.Json's default converters read them:
/// the same value, or a refusal, for any string, escaped or not.
/// </summary>
public sealed class TimeValueReadingTests
{
    private delegate T Read<T>(ref Utf8JsonReader reader);

    /// <summary>Strings made of what times are made of, and of what they must not contain.</summary>
    private static readonly Gen<string> Candidates = Gen.OneOf(
        Gen.Char["0123456789:"].Array[0, 20].Select(c => new string(c)),
        Gen.Char["0123456789:.- +,eE\t"].Array[0, 28].Select(c => new string(c)),
        Gen.Select(Gen.Int[0, 30], Gen.Int[0, 70], Gen.Int[0, 70], Gen.Int[0, 99999999], Gen.Int[0, 3])
            .Select((h, m, s, f, shape) => shape switch
            {
                0 => $"{h}:{m}",
                1 => $"{h}:{m:00}:{s:00}",
                2 => $"{h:00}:{m:00}:{s:00}.{f}",
                _ => $"{f % 40}.{h}:{m}:{s}",
            }));

    /// <summary>The string as JSON, each character escaped as <c>\uXXXX</c> when <paramref name="escape"/> is set.</summary>
    private static byte[] Json(string value, bool escape)
        => escape
            ? Encoding.UTF8.GetBytes("\"" + string.Concat(value.Select(c => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture))) + "\"")
            : JsonSerializer.SerializeToUtf8Bytes(value);

    private static (bool Ok, T Value) Ours<T>(byte[] json, Read<T> read)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        try
        {
            return (true, read(ref reader));
        }
        catch (JsonException)
        {
            return (false, default!);
        }
    }

    private static (bool Ok, T Value) SystemTextJson<T>(byte[] json)
    {
        try
        {
            return (true, JsonSerializer.Deserialize<T>(json)!);
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            return (false, default!);
        }
    }

    [Fact]
    public void Time_of_day_strings_read_as_System_Text_Json_reads_them()
        => Gen.Select(Candidates, Gen.Bool).Sample((text, escape) =>
        {
            var json = Json(text, escape);
            Assert.Equal(SystemTextJson<TimeOnly>(json), Ours(json, SchemaValues.ReadTimeOnly));
        }, iter: 20_000);

    [Fact]
    public void Time_span_strings_read_as_System_Text_Json_reads_them()
        => Gen.Select(Candidates, Gen.Bool).Sample((text, escape) =>
        {
            var json = Json(text, escape);
            Assert.Equal(SystemTextJson<TimeSpan>(json), Ours(json, SchemaValues.ReadTimeSpan));
        }, iter: 20_000);

    [Theory]
    [InlineData("10:00", 10, 0, 0)]
    [InlineData("1:02:03", 1, 2, 3)]
    [InlineData("23:59:59.9999999", 23, 59, 59)]
    public void The_shorter_forms_System_Text_Json_accepts_are_read(string text, int hours, int minutes, int seconds)
    {
        var (ok, value) = Ours(Json(text, escape: false), SchemaValues.ReadTimeOnly);
        Assert.True(ok);
        Assert.Equal((hours, minutes, seconds), (value.Hour, value.Minute, value.Second));
    }

    [Theory]
    [InlineData(" 10:00:00")]
    [InlineData("10:00:00 ")]
    [InlineData("0.10:00:00")]
    [InlineData("24:00:00")]
    [InlineData("12:30:45.")]
    [InlineData("-1:00:00")]
    public void What_System_Text_Json_refuses_is_refused(string text)
    {
        Assert.False(SystemTextJson<TimeOnly>(Json(text, escape: false)).Ok);
        Assert.False(Ours(Json(text, escape: false), SchemaValues.ReadTimeOnly).Ok);
    }

    [Fact]
    public void Non_string_tokens_are_refused()
    {
        Assert.False(Ours("12"u8.ToArray(), SchemaValues.ReadTimeOnly).Ok);
        Assert.False(Ours("null"u8.ToArray(), SchemaValues.ReadTimeSpan).Ok);
    }
}
