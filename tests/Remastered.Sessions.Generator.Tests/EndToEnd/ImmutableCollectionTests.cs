using System.Collections.Immutable;
using System.Text.Json;
using CsCheck;
using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// System.Collections.Immutable keys: stored as System.Text.Json writes them, read back into the same types, never
/// rewritten when only read, and a mutable element changed in place is saved like any other in-place change.
/// </summary>
public sealed class ImmutableCollectionTests
{
    private readonly CookieSessionStorage _cookies = new(new CookieSessionOptions { Name = "session", Secrets = ["immutable-tests-secret-0123456789abcdefghij"] });

    private static string Cookie(string setCookie) => setCookie.Split(';')[0];

    [Fact]
    public async Task Immutable_collections_are_stored_as_System_Text_Json_writes_them_and_read_back()
    {
        var session = await ImmutableSession.LoadAsync(_cookies, null);
        session.Numbers = [3, 1, 2];
        session.MaybeTags = [new Tag("a", 1)];
        session.Tags = [new Tag("b", 2), new Tag("c", 3)];
        session.Names = ImmutableList.Create("x", "y");
        session.Roles = ["admin", "reader"];
        session.Seen = ImmutableHashSet.Create(7, 8);
        session.Counters = ImmutableDictionary<string, Counter>.Empty.Add("views", new Counter { Value = 4 });
        session.Totals = ImmutableDictionary<string, int>.Empty.Add("t", 9);
        session.Triple = Tuple.Create(1, "one", new List<Tag> { new("t", 2) });
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal("[3,1,2]", stored.Get("numbers")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Tags, ImmutableJson.Default.ImmutableListTag), stored.Get("tags")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.MaybeTags, ImmutableJson.Default.NullableImmutableArrayTag), stored.Get("maybeTags")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Roles, ImmutableJson.Default.ImmutableHashSetString), stored.Get("roles")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Counters, ImmutableJson.Default.ImmutableDictionaryStringCounter), stored.Get("counters")!.ToString());
        Assert.Equal("{\"Item1\":1,\"Item2\":\"one\",\"Item3\":[{\"Name\":\"t\",\"Weight\":2}]}", stored.Get("triple")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Triple, ImmutableJson.Default.TupleInt32StringListTag), stored.Get("triple")!.ToString());

        var next = await ImmutableSession.LoadAsync(_cookies, cookie);
        Assert.Equal(new[] { 3, 1, 2 }, next.Numbers.ToArray());
        Assert.Equal(new[] { new Tag("a", 1) }, next.MaybeTags!.Value.ToArray());
        Assert.Equal([new Tag("b", 2), new Tag("c", 3)], next.Tags);
        Assert.IsType<ImmutableList<string>>(next.Names);
        Assert.Equal(["x", "y"], next.Names);
        Assert.True(next.Roles!.SetEquals(["admin", "reader"]));
        Assert.True(next.Seen!.SetEquals([7, 8]));
        Assert.Equal(4, next.Counters!["views"].Value);
        Assert.Equal(9, next.Totals!["t"]);
        Assert.Equal((1, "one"), (next.Triple!.Item1, next.Triple.Item2));
        Assert.Equal([new Tag("t", 2)], next.Triple.Item3);
        Assert.Same(next.Tags, next.Tags);
        Assert.False(next.IsDirty);
        Assert.Null(await next.CommitAsync());
    }

    [Fact]
    public async Task A_mutable_element_changed_in_place_is_saved_and_a_new_immutable_value_must_be_assigned()
    {
        var session = await ImmutableSession.LoadAsync(_cookies, null);
        session.CounterList = [new Counter { Value = 1 }];
        session.Tags = [new Tag("a", 1)];
        var cookie = Cookie((await session.CommitAsync())!);

        var request = await ImmutableSession.LoadAsync(_cookies, cookie);
        request.CounterList![0].Value = 5;
        Assert.True(request.IsDirty);
        request.Tags = request.Tags!.Add(new Tag("b", 2));
        cookie = Cookie((await request.CommitAsync())!);

        var next = await ImmutableSession.LoadAsync(_cookies, cookie);
        Assert.Equal(5, next.CounterList![0].Value);
        Assert.Equal([new Tag("a", 1), new Tag("b", 2)], next.Tags);
    }

    [Fact]
    public async Task An_absent_ImmutableArray_key_reads_default_and_a_default_one_is_stored_as_null()
    {
        var session = await ImmutableSession.LoadAsync(_cookies, null);
        Assert.False(session.HasNumbers);
        Assert.True(session.Numbers.IsDefault);
        session.Numbers = default;
        Assert.True(session.HasNumbers);
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal("null", stored.Get("numbers")!.ToString());
        var next = await ImmutableSession.LoadAsync(_cookies, cookie);
        Assert.True(next.HasNumbers);
        Assert.True(next.Numbers.IsDefault);
    }
}

/// <summary>Dictionaries keyed by integers and Guids: keys written and read as System.Text.Json does.</summary>
public sealed class DictionaryKeyTests
{
    private readonly CookieSessionStorage _cookies = new(new CookieSessionOptions { Name = "session", Secrets = ["keyed-tests-secret-0123456789abcdefghijkl"], MaxCookieSize = 64 * 1024 });

    [Fact]
    public void Integer_and_Guid_keys_are_stored_as_System_Text_Json_writes_them_and_read_back()
    {
        var gen = Gen.Select(
            Gen.Dictionary(Gen.Int, Gen.String[0, 6])[0, 5],
            Gen.Dictionary(Gen.Long, Gen.Int.List[0, 3])[0, 4],
            Gen.Dictionary(Gen.ULong, Gen.Bool)[0, 4],
            Gen.Dictionary(Gen.SByte, Gen.Int)[0, 4],
            Gen.Dictionary(Gen.Guid, Gen.Select(Gen.String[0, 5], Gen.Int, (n, w) => new Tag(n, w)))[0, 3],
            Gen.Dictionary(Gen.Short, Gen.String[0, 4])[0, 4]);
        gen.Sample((byInt, byLong, byULong, bySByte, byGuid, byShort) =>
        {
            var session = KeyedSession.LoadAsync(_cookies, null).AsTask().GetAwaiter().GetResult();
            session.ByInt = byInt;
            session.ByLong = byLong;
            session.ByULong = byULong;
            session.BySByte = bySByte;
            session.ByGuid = byGuid;
            session.ImmutableByShort = byShort.ToImmutableDictionary();
            var cookie = session.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];

            var stored = SessionStore.LoadAsync(_cookies, cookie).AsTask().GetAwaiter().GetResult();
            Assert.Equal(JsonSerializer.Serialize(byInt, ImmutableJson.Default.DictionaryInt32String), stored.Get("byInt")!.ToString());
            Assert.Equal(JsonSerializer.Serialize(byLong, ImmutableJson.Default.DictionaryInt64ListInt32), stored.Get("byLong")!.ToString());
            Assert.Equal(JsonSerializer.Serialize(byULong, ImmutableJson.Default.DictionaryUInt64Boolean), stored.Get("byULong")!.ToString());
            Assert.Equal(JsonSerializer.Serialize(bySByte, ImmutableJson.Default.DictionarySByteInt32), stored.Get("bySByte")!.ToString());
            Assert.Equal(JsonSerializer.Serialize<IReadOnlyDictionary<Guid, Tag>>(byGuid, ImmutableJson.Default.IReadOnlyDictionaryGuidTag), stored.Get("byGuid")!.ToString());
            Assert.Equal(JsonSerializer.Serialize(session.ImmutableByShort, ImmutableJson.Default.ImmutableDictionaryInt16String), stored.Get("immutableByShort")!.ToString());

            var next = KeyedSession.LoadAsync(_cookies, cookie).AsTask().GetAwaiter().GetResult();
            Assert.Equal(byInt, next.ByInt);
            Assert.Equal(byLong.Keys, next.ByLong!.Keys);
            Assert.All(byLong, pair => Assert.Equal(pair.Value, next.ByLong[pair.Key]));
            Assert.Equal(byULong, next.ByULong);
            Assert.Equal(bySByte, next.BySByte);
            Assert.Equal(byGuid, next.ByGuid);
            Assert.Equal(byShort.OrderBy(p => p.Key), next.ImmutableByShort!.OrderBy(p => p.Key));
            Assert.False(next.IsDirty);
        }, iter: 100, threads: 1);
    }

    public static TheoryData<string, string> KeyTexts() => new()
    {
        { "byInt", "{\"5\":\"a\",\"-7\":\"b\",\"+3\":\"c\",\"007\":\"d\"}" },
        { "byInt", "{\"5\\u0000\":\"a\"}" },
        { "byInt", "{\" 5\":\"a\"}" },
        { "byInt", "{\"5 \":\"a\"}" },
        { "byInt", "{\"0x10\":\"a\"}" },
        { "byInt", "{\"2147483648\":\"a\"}" },
        { "byInt", "{\"\\u0035\":\"escaped five\"}" },
        { "byULong", "{\"+5\":true}" },
        { "byULong", "{\"-0\":true}" },
        { "byULong", "{\"18446744073709551615\":true}" },
        { "bySByte", "{\"-128\":1,\"+127\":2}" },
        { "byGuid", "{\"d85b1407-351d-4694-9392-03acc5870eb1\":{\"Name\":\"a\",\"Weight\":1}}" },
        { "byGuid", "{\"D85B1407-351D-4694-9392-03ACC5870EB1\":{\"Name\":\"a\",\"Weight\":1}}" },
        { "byGuid", "{\" d85b1407-351d-4694-9392-03acc5870eb1 \":{\"Name\":\"a\",\"Weight\":1}}" },
        { "byGuid", "{\"d85b1407-+51d-4694-9392-03acc5870eb1\":{\"Name\":\"a\",\"Weight\":1}}" },
        { "byGuid", "{\"d85b1407351d4694939203acc5870eb1\":{\"Name\":\"a\",\"Weight\":1}}" },
        { "byGuid", "{\"{d85b1407-351d-4694-9392-03acc5870eb1}\":{\"Name\":\"a\",\"Weight\":1}}" },
    };

    [Theory]
    [MemberData(nameof(KeyTexts))]
    public async Task Stored_keys_are_accepted_exactly_when_System_Text_Json_accepts_them(string key, string json)
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set(key, JsonSessionValue.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
        var cookie = (await store.CommitAsync())!.Split(';')[0];
        var session = await KeyedSession.LoadAsync(_cookies, cookie);

        string? viaSystemTextJson;
        try
        {
            viaSystemTextJson = key switch
            {
                "byInt" => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ImmutableJson.Default.DictionaryInt32String), ImmutableJson.Default.DictionaryInt32String),
                "byULong" => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ImmutableJson.Default.DictionaryUInt64Boolean), ImmutableJson.Default.DictionaryUInt64Boolean),
                "bySByte" => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ImmutableJson.Default.DictionarySByteInt32), ImmutableJson.Default.DictionarySByteInt32),
                _ => JsonSerializer.Serialize(JsonSerializer.Deserialize(json, ImmutableJson.Default.IReadOnlyDictionaryGuidTag), ImmutableJson.Default.IReadOnlyDictionaryGuidTag),
            };
        }
        catch (JsonException)
        {
            viaSystemTextJson = null;
        }

        var ours = key switch
        {
            "byInt" => session.ByInt is { } i ? JsonSerializer.Serialize(i, ImmutableJson.Default.DictionaryInt32String) : null,
            "byULong" => session.ByULong is { } u ? JsonSerializer.Serialize(u, ImmutableJson.Default.DictionaryUInt64Boolean) : null,
            "bySByte" => session.BySByte is { } b ? JsonSerializer.Serialize(b, ImmutableJson.Default.DictionarySByteInt32) : null,
            _ => session.ByGuid is { } g ? JsonSerializer.Serialize(g, ImmutableJson.Default.IReadOnlyDictionaryGuidTag) : null,
        };
        Assert.Equal(viaSystemTextJson, ours);
    }

    [Fact]
    public async Task A_key_that_is_not_a_number_makes_the_value_unreadable_not_an_exception()
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("byInt", JsonSessionValue.Parse("{\"1\":\"a\",\"x\":\"b\"}"u8));
        var cookie = (await store.CommitAsync())!.Split(';')[0];

        var session = await KeyedSession.LoadAsync(_cookies, cookie);
        Assert.Null(session.ByInt);
        Assert.False(session.HasByInt);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ImmutableList<Tag>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Tuple<int, string, List<Tag>>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<int, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<long, List<int>>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<ulong, bool>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<sbyte, int>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyDictionary<Guid, Tag>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ImmutableDictionary<short, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ImmutableArray<Tag>?))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ImmutableHashSet<string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ImmutableDictionary<string, Counter>))]
internal sealed partial class ImmutableJson : System.Text.Json.Serialization.JsonSerializerContext;
