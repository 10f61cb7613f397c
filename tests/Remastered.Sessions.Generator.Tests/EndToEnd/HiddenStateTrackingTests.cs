using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// Types whose state is not all in settable members, as ordinary C# declares them: a method changing a captured
/// primary constructor parameter or a private field is an in-place change, saved on every storage; members the stored
/// JSON lacks that the type fills in with code that varies (<c>DateTime.UtcNow</c>, <c>Guid.NewGuid()</c>, a
/// constructor body) do not make a read-only request rewrite the value.
/// </summary>
public sealed class HiddenStateTrackingTests
{
    private const string Secret = "hidden-state-tests-secret-0123456789abcdef";

    public static TheoryData<string> Storages() => new("cookie", "json", "memory");

    public static TheoryData<string> JsonStorages() => new("cookie", "json");

    private sealed record Backend(Func<string?, Task<IHiddenStateSession>> Load, Func<string?, Task<SessionStore<JsonSessionValue>>>? LoadUntyped);

    private static Backend For(string storage)
    {
        var cookie = new CookieSessionOptions { Name = "session", Secrets = [Secret] };
        switch (storage)
        {
            case "cookie":
                var cookies = new CookieSessionStorage(cookie);
                return new(async header => await CookieHiddenStateSession.LoadAsync(cookies, header), async header => await SessionStore.LoadAsync(cookies, header));
            case "json":
                var json = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = cookie }));
                return new(async header => await JsonHiddenStateSession.LoadAsync(json, header), async header => await SessionStore.LoadAsync(json, header));
            default:
                var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = cookie });
                return new(async header => await MemoryHiddenStateSession.LoadAsync(memory, header), null);
        }
    }

    private static string? Cookie(string? setCookie) => setCookie?.Split(';')[0];

    private static async Task<string> Seed(Func<string?, Task<IHiddenStateSession>> load)
    {
        var session = await load(null);
        session.Counter = new StepCounter(1);
        session.Scoreboard = new Scoreboard(1);
        session.Thermostat = new Thermostat { Degrees = 20 };
        session.Counters = [new StepCounter(1), new StepCounter(5)];
        session.Labelled = new Labelled("x", new StepCounter(1));
        session.SplitCounter = new SplitCounter(1);
        return Cookie(await session.CommitAsync())!;
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Changes_made_by_methods_of_types_without_setters_are_saved(string storage)
    {
        var load = For(storage).Load;
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Counter!.Increment();
        session.Scoreboard!.Add();
        session.Thermostat!.Warm();
        session.Counters![1].Increment();
        session.Labelled!.Counter.Increment();
        session.SplitCounter!.Increment();
        Assert.True(session.IsDirty || storage == "memory");
        cookie = Cookie(await session.CommitAsync()) ?? cookie;

        var after = await load(cookie);
        Assert.Equal(2, after.Counter!.Value);
        Assert.Equal(2, after.Scoreboard!.Count);
        Assert.Equal(21, after.Thermostat!.Degrees);
        Assert.Equal([1, 6], after.Counters!.Select(c => c.Value));
        Assert.Equal(2, after.Labelled!.Counter.Value);
        Assert.Equal(2, after.SplitCounter!.Count);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task A_method_called_on_a_value_just_assigned_is_saved(string storage)
    {
        var load = For(storage).Load;
        var session = await load(null);
        session.Counter = new StepCounter(1);
        session.Counter.Increment();
        var cookie = Cookie(await session.CommitAsync());
        Assert.Equal(2, (await load(cookie)).Counter!.Value);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Reading_such_values_alone_sends_nothing(string storage)
    {
        var load = For(storage).Load;
        var cookie = await Seed(load);
        var session = await load(cookie);
        Assert.Equal(2, session.Counter!.Value + session.Scoreboard!.Count + session.Thermostat!.Degrees - 20 + session.Counters!.Count + session.Labelled!.Counter.Value - 3);
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());
    }

    /// <summary>Values stored before the members that vary were added to their types (or left out for being the default).</summary>
    private static async Task<string> SeedOlderShapes(Backend backend)
    {
        var earlier = await backend.LoadUntyped!(null);
        earlier.Set("memo", JsonSessionValue.Parse("{\"Lines\":[\"a\"]}"));
        earlier.Set("ticket", JsonSessionValue.Parse("{\"Notes\":[\"n\"]}"));
        earlier.Set("stamped", JsonSessionValue.Parse("{\"Values\":[1]}"));
        earlier.Set("settings", JsonSessionValue.Parse("{\"Size\":3}"));
        earlier.Set("envelope", JsonSessionValue.Parse("{\"Name\":\"old\"}"));
        earlier.Set("holder", JsonSessionValue.Parse("{\"Name\":\"old\"}"));
        earlier.Set("stamps", JsonSessionValue.Parse("[{\"Name\":\"old\"}]"));
        earlier.Set("lazyId", JsonSessionValue.Parse("{\"Name\":\"old\"}"));
        earlier.Set("shipment", JsonSessionValue.Parse("{\"Name\":\"x\",\"Lines\":[]}"));
        return Cookie(await earlier.CommitAsync())!;
    }

    [Theory]
    [MemberData(nameof(JsonStorages))]
    public async Task A_read_that_fills_in_members_with_varying_code_does_not_rewrite_the_value(string storage)
    {
        var backend = For(storage);
        var cookie = await SeedOlderShapes(backend);
        var session = await backend.Load(cookie);
        Assert.Equal(["a"], session.Memo!.Lines);
        Assert.NotEqual(Guid.Empty, session.Ticket!.Id);
        Assert.NotEqual(0, session.Stamped!.At);
        Assert.Equal(3, session.Settings!.Size);
        Assert.Equal("old", session.Envelope!.Name);
        Assert.NotEqual(default, session.Envelope.Meta.At);
        Assert.Equal("old", session.Holder!.Name);
        Assert.Equal("old", session.Stamps![0].Name);
        Assert.NotEqual(Guid.Empty, session.LazyId!.Id);
        Assert.Equal("x", session.Shipment!.Name);
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());

        // Stored exactly as before.
        var stored = await backend.LoadUntyped!(cookie);
        Assert.Equal("{\"Lines\":[\"a\"]}", stored.Get("memo")!.ToString());
        Assert.Equal("{\"Notes\":[\"n\"]}", stored.Get("ticket")!.ToString());
        Assert.Equal("{\"Values\":[1]}", stored.Get("stamped")!.ToString());
        Assert.Equal("{\"Size\":3}", stored.Get("settings")!.ToString());
        Assert.Equal("{\"Name\":\"old\"}", stored.Get("envelope")!.ToString());
        Assert.Equal("{\"Name\":\"old\"}", stored.Get("holder")!.ToString());
        Assert.Equal("[{\"Name\":\"old\"}]", stored.Get("stamps")!.ToString());
        Assert.Equal("{\"Name\":\"old\"}", stored.Get("lazyId")!.ToString());
        Assert.Equal("{\"Name\":\"x\",\"Lines\":[]}", stored.Get("shipment")!.ToString());
    }

    [Theory]
    [MemberData(nameof(JsonStorages))]
    public async Task A_change_to_such_a_value_is_saved_with_the_members_as_read(string storage)
    {
        var backend = For(storage);
        var cookie = await SeedOlderShapes(backend);
        var session = await backend.Load(cookie);
        var created = session.Memo!.Created;
        session.Memo.Lines.Add("b");
        session.Stamped!.Values.Add(2);
        Assert.True(session.IsDirty);
        cookie = Cookie(await session.CommitAsync()) ?? cookie;

        var after = await backend.Load(cookie);
        Assert.Equal(["a", "b"], after.Memo!.Lines);
        Assert.Equal(created, after.Memo.Created);
        Assert.Equal([1, 2], after.Stamped!.Values);
        Assert.Equal(["n"], after.Ticket!.Notes);

        // The next read-only request finds every member stored and sends nothing.
        _ = after.Ticket.Id;
        Assert.False(after.IsDirty);
        Assert.Null(await after.CommitAsync());
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task A_computed_property_on_the_clock_does_not_make_a_read_only_request_rewrite_the_value(string storage)
    {
        var load = For(storage).Load;
        var first = await load(null);
        first.Aging = new Aging { Name = "a", Created = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        var cookie = Cookie(await first.CommitAsync())!;

        for (var request = 0; request < 3; request++)
        {
            var session = await load(cookie);
            Assert.True(session.Aging!.Age > TimeSpan.FromDays(365));
            await Task.Delay(2);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        // A real change is saved, with the computed member as it is then.
        var changed = await load(cookie);
        changed.Aging!.Name = "b";
        Assert.True(changed.IsDirty || storage == "memory");
        cookie = Cookie(await changed.CommitAsync()) ?? cookie;
        Assert.Equal("b", (await load(cookie)).Aging!.Name);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task A_setter_that_changes_another_member_does_not_make_a_read_only_request_rewrite_the_value(string storage)
    {
        var load = For(storage).Load;
        var first = await load(null);
        first.Touched = new Touched { Items = ["a"], LastChanged = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        first.Counted = new Counted { Title = "t", Version = 1 };
        var cookie = Cookie(await first.CommitAsync())!;

        for (var request = 0; request < 2; request++)
        {
            var session = await load(cookie);
            Assert.Equal(["a"], session.Touched!.Items);
            Assert.Equal("t", session.Counted!.Title);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        var changed = await load(cookie);
        changed.Touched!.Items.Add("b");
        Assert.True(changed.IsDirty || storage == "memory");
        cookie = Cookie(await changed.CommitAsync()) ?? cookie;
        Assert.Equal(["a", "b"], (await load(cookie)).Touched!.Items);
    }

    /// <summary>Stored JSON another writer produced: members in another order, or repeated.</summary>
    public static TheoryData<string, string, string> ForeignJson() => new()
    {
        { "cookie", "counted", "{\"Version\":3,\"Title\":\"x\"}" },
        { "cookie", "counted", "{\"Title\":\"a\",\"Title\":\"b\"}" },
        { "cookie", "counted", "{\"Title\":\"a\",\"Version\":7,\"Title\":\"b\"}" },
        { "cookie", "bounds", "{\"Max\":5,\"Min\":6}" },
        { "cookie", "bounds", "{\"Min\":6,\"Max\":5}" },
        { "json", "counted", "{\"Version\":3,\"Title\":\"x\"}" },
        { "json", "bounds", "{\"Max\":5,\"Min\":6}" },
        { "cookie", "ledger", "{\"Changes\":10,\"Count\":1,\"Name\":\"a\",\"Count\":2}" },
        { "json", "ledger", "{\"Count\":1,\"Changes\":10,\"Name\":\"a\"}" },
        { "cookie", "audited", "{\"Name\":\"a\",\"Log\":[\"x\"],\"Id\":1}" },
        { "cookie", "audited", "{\"Log\":[\"x\"],\"Name\":\"a\",\"Name\":\"b\",\"Id\":1}" },
        { "json", "audited", "{\"Id\":1,\"Log\":[\"x\"],\"Name\":\"a\"}" },
    };

    [Theory]
    [MemberData(nameof(ForeignJson))]
    public async Task Stored_json_in_another_order_or_with_repeated_members_reads_as_System_Text_Json_reads_it(string storage, string key, string json)
    {
        var backend = For(storage);
        var earlier = await backend.LoadUntyped!(null);
        earlier.Set(key, JsonSessionValue.Parse(json));
        var cookie = Cookie(await earlier.CommitAsync())!;

        var session = await backend.Load(cookie);
        string? expected, actual;
        if (key == "ledger")
        {
            var reference = System.Text.Json.JsonSerializer.Deserialize(json, HiddenStateJson.Default.Ledger)!;
            expected = System.Text.Json.JsonSerializer.Serialize(reference, HiddenStateJson.Default.Ledger);
            actual = session.Ledger is { } l ? System.Text.Json.JsonSerializer.Serialize(l, HiddenStateJson.Default.Ledger) : null;
        }
        else if (key == "audited")
        {
            var reference = System.Text.Json.JsonSerializer.Deserialize(json, HiddenStateJson.Default.Audited)!;
            expected = System.Text.Json.JsonSerializer.Serialize(reference, HiddenStateJson.Default.Audited);
            actual = session.Audited is { } a ? System.Text.Json.JsonSerializer.Serialize(a, HiddenStateJson.Default.Audited) : null;
        }
        else if (key == "counted")
        {
            var reference = System.Text.Json.JsonSerializer.Deserialize(json, HiddenStateJson.Default.Counted)!;
            expected = reference.Title + "/" + reference.Version;
            actual = session.Counted is { } c ? c.Title + "/" + c.Version : null;
        }
        else
        {
            Bounds? reference;
            try
            {
                reference = System.Text.Json.JsonSerializer.Deserialize(json, HiddenStateJson.Default.Bounds);
            }
            catch (ArgumentException)
            {
                reference = null;
            }

            expected = reference is null ? null : reference.Min + "/" + reference.Max;
            actual = session.Bounds is { } b ? b.Min + "/" + b.Max : null;
        }

        Assert.Equal(expected, actual);
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Counted))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Bounds))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Ledger))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Audited))]
internal sealed partial class HiddenStateJson : System.Text.Json.Serialization.JsonSerializerContext;
