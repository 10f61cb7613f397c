using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Remastered.Sessions.Tests;

public sealed class JsonSessionValueTests
{
    [Fact]
    public void Primitives_convert_in_and_out()
    {
        Assert.Equal(42, (int)(JsonSessionValue)42);
        Assert.Equal(long.MaxValue, (long)(JsonSessionValue)long.MaxValue);
        Assert.Equal("ü \"x\"", (string?)(JsonSessionValue)"ü \"x\"");
        Assert.True((bool)(JsonSessionValue)true);
        Assert.Equal(1.5m, (decimal)(JsonSessionValue)1.5m);
        var guid = Guid.NewGuid();
        Assert.Equal(guid, (Guid)(JsonSessionValue)guid);
        var when = DateTimeOffset.Parse("2026-11-27T10:00:00+01:00");
        Assert.Equal(when, (DateTimeOffset)(JsonSessionValue)when);
        Assert.Equal(JsonValueKind.Null, ((JsonSessionValue)(string?)null).ValueKind);
    }

    [Fact]
    public void Reading_a_value_of_another_kind_throws_a_clear_error_or_returns_false()
    {
        JsonSessionValue text = "abc";
        var error = Assert.Throws<InvalidOperationException>(() => (int)text);
        Assert.Contains("Int32", error.Message);
        Assert.False(text.TryRead(static (ref Utf8JsonReader r) => r.GetInt32(), out _));
    }

    [Fact]
    public void Parse_accepts_exactly_one_json_value_and_trims_whitespace()
    {
        Assert.Equal("""{"a":[1,2]}""", JsonSessionValue.Parse("""  {"a":[1,2]}  """).ToString());
        Assert.ThrowsAny<JsonException>(() => JsonSessionValue.Parse("1 2"));
        Assert.ThrowsAny<JsonException>(() => JsonSessionValue.Parse("{"));
        Assert.ThrowsAny<JsonException>(() => JsonSessionValue.Parse(""));
    }

    [Fact]
    public void Json_nodes_convert_both_ways_and_equality_is_by_json_text()
    {
        JsonSessionValue value = new JsonObject { ["n"] = 1 };
        Assert.Equal(JsonSessionValue.Parse("""{"n":1}"""), value);
        Assert.Equal(value.GetHashCode(), JsonSessionValue.Parse("""{"n":1}""").GetHashCode());
        Assert.Equal(1, (int)value.ToJsonNode()!["n"]!);
    }

    [Fact]
    public void Any_string_round_trips_through_the_cookie_storage()
    {
        var storage = new CookieSessionStorage(Support.TestSecrets.Cookie());
        Gen.String[0, 300].Sample(text =>
        {
            var store = SessionStore.LoadAsync(storage, null).AsTask().GetAwaiter().GetResult();
            store.Set("text", text);
            var header = store.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
            var loaded = SessionStore.LoadAsync(storage, header).AsTask().GetAwaiter().GetResult();
            Assert.Equal(text, (string?)loaded.Get("text"));
        }, iter: 500);
    }
}

/// <summary>The writer-free fast paths of generated setters produce exactly what Utf8JsonWriter writes.</summary>
public sealed class SchemaValuesFastPathTests
{
    private static string Written<T>(T value, Action<System.Text.Json.Utf8JsonWriter, T> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            write(writer, value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Numbers_and_strings_serialize_as_Utf8JsonWriter_writes_them()
    {
        CsCheck.Gen.Int.Sample(v =>
        {
            Assert.Equal(Written(v, (w, x) => w.WriteNumberValue(x)), Schemas.Support.SchemaValues.Serialize<int>("k", v, (w, x) => w.WriteNumberValue(x)).ToString());
            Assert.Equal(Written(v, (w, x) => w.WriteNumberValue(x)), Schemas.Support.SchemaValues.Serialize<int?>("k", v, (w, x) => w.WriteNumberValue(x!.Value)).ToString());
        }, iter: 2000);
        CsCheck.Gen.Long.Sample(v =>
        {
            Assert.Equal(Written(v, (w, x) => w.WriteNumberValue(x)), Schemas.Support.SchemaValues.Serialize<long>("k", v, (w, x) => w.WriteNumberValue(x)).ToString());
            Assert.Equal(Written(v, (w, x) => w.WriteNumberValue(x)), Schemas.Support.SchemaValues.Serialize<long?>("k", v, (w, x) => w.WriteNumberValue(x!.Value)).ToString());
        }, iter: 2000);
        Assert.Equal("null", Schemas.Support.SchemaValues.Serialize<int?>("k", null, (w, x) => w.WriteNullValue()).ToString());
        CsCheck.Gen.OneOf(CsCheck.Gen.String, CsCheck.Gen.Char[(char)0, (char)127].Array[0, 40].Select(c => new string(c)), CsCheck.Gen.Char[(char)0x20, (char)0x7E].Array[0, 300].Select(c => new string(c))).Sample(v =>
            Assert.Equal(Written(v, (w, x) => w.WriteStringValue(x)), Schemas.Support.SchemaValues.Serialize<string>("k", v, (w, x) => w.WriteStringValue(x)).ToString()), iter: 5000);
    }
}
