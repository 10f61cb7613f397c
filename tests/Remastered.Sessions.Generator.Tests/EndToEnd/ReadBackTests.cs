using System.Text.Json;
using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// Values whose JSON as read differs from what was stored (members written but not read back, as System.Text.Json
/// treats getter-only properties and private setters): reading them never rewrites them, and real changes still save.
/// The constructor used for reading is System.Text.Json's.
/// </summary>
public sealed class ReadBackTests
{
    private const string Secret = "read-back-tests-secret-0123456789abcdefghij";
    private readonly CookieSessionStorage _cookies = new(new CookieSessionOptions { Name = "session", Secrets = [Secret] });

    private static string Cookie(string setCookie) => setCookie.Split(';')[0];

    private async Task<string> Seed()
    {
        var session = await ReadBackSession.LoadAsync(_cookies, null);
        var tally = new Tally { Label = "views" };
        tally.Add(5);
        session.Draft = new Draft { Title = "first" };
        session.Tally = tally;
        session.Drafts = [new Draft { Title = "a" }, new Draft { Title = "b" }];
        return Cookie((await session.CommitAsync())!);
    }

    [Fact]
    public async Task Stored_values_their_types_refuse_read_as_absent_and_never_throw()
    {
        // Written by another writer: a null for a DateOnly, and a count the record's constructor refuses. System.Text.Json
        // refuses both (an exception); the schema reads them as absent, keeps them stored, and reads the rest.
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("day", JsonSessionValue.Parse("null"));
        store.Set("days", JsonSessionValue.Parse("[\"2026-11-29\", null]"));
        store.Set("amount", JsonSessionValue.Parse("{\"Count\":-1}"));
        store.Set("other", 5);
        var cookie = Cookie((await store.CommitAsync())!);
#pragma warning disable IL2026, IL3050 // System.Text.Json's own (reflection-based) answer, for comparison; test assemblies are never trimmed
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<DateOnly>("null"));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<List<DateOnly>>("[\"2026-11-29\", null]"));
        Assert.ThrowsAny<ArgumentException>(() => JsonSerializer.Deserialize<Quantity>("{\"Count\":-1}"));
#pragma warning restore IL2026, IL3050

        var session = await ForeignValueSession.LoadAsync(_cookies, cookie);
        Assert.Equal(default, session.Day);
        Assert.Null(session.Days);
        Assert.Null(session.Amount);
        Assert.Equal(5, session.Other);
        Assert.Null(await session.CommitAsync());
        Assert.Equal("{\"Count\":-1}", (await SessionStore.LoadAsync(_cookies, cookie)).Get("amount")!.ToString());
    }

    [Fact]
    public async Task A_member_that_is_written_but_never_read_back_is_skipped_whatever_it_holds()
    {
        // Draft.Id is getter-only (System.Text.Json writes it and skips it when reading, whatever its JSON holds).
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("draft", JsonSessionValue.Parse("{\"Id\":[1,{\"a\":null}],\"Title\":\"kept\"}"));
        var cookie = Cookie((await store.CommitAsync())!);

        var session = await ReadBackSession.LoadAsync(_cookies, cookie);
        Assert.Equal("kept", session.Draft!.Title);
    }

    [Fact]
    public async Task Reading_values_that_do_not_read_back_exactly_sends_nothing_and_keeps_the_stored_json()
    {
        var cookie = await Seed();
        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        var draftJson = stored.Get("draft")!.ToString();
        var tallyJson = stored.Get("tally")!.ToString();

        for (var request = 0; request < 3; request++)
        {
            var session = await ReadBackSession.LoadAsync(_cookies, cookie);
            Assert.Equal("first", session.Draft!.Title);
            Assert.Equal("views", session.Tally!.Label);
            Assert.Equal(0, session.Tally.Total); // as System.Text.Json reads it: a private setter is not set
            Assert.Equal(2, session.Drafts!.Count);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        var after = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal(draftJson, after.Get("draft")!.ToString());
        Assert.Equal(tallyJson, after.Get("tally")!.ToString());
    }

    [Fact]
    public async Task A_real_change_to_such_a_value_is_saved()
    {
        var cookie = await Seed();
        var session = await ReadBackSession.LoadAsync(_cookies, cookie);
        session.Draft!.Title = "second";
        session.Drafts![1].Title = "changed";
        Assert.True(session.IsDirty);
        cookie = Cookie((await session.CommitAsync())!);

        var next = await ReadBackSession.LoadAsync(_cookies, cookie);
        Assert.Equal("second", next.Draft!.Title);
        Assert.Equal("changed", next.Drafts![1].Title);

        // Changed, then changed back within the request after IsDirty saw the change: the commit writes the state now.
        next.Draft!.Title = "third";
        Assert.True(next.IsDirty);
        next.Draft.Title = "second";
        var final = await ReadBackSession.LoadAsync(_cookies, Cookie((await next.CommitAsync())!));
        Assert.Equal("second", final.Draft!.Title);
    }

    [Fact]
    public async Task The_json_storage_reads_without_rewriting_too()
    {
        var json = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } }));
        var seed = await JsonReadBackSession.LoadAsync(json, null);
        seed.Draft = new Draft { Title = "first" };
        seed.Tally = new Tally { Label = "x" };
        var cookie = Cookie((await seed.CommitAsync())!);

        var session = await JsonReadBackSession.LoadAsync(json, cookie);
        Assert.Equal("first", session.Draft!.Title);
        Assert.Equal("x", session.Tally!.Label);
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());

        var changed = await JsonReadBackSession.LoadAsync(json, cookie);
        changed.Tally!.Label = "y";
        Assert.True(changed.IsDirty);
        await changed.CommitAsync();
        Assert.Equal("y", (await JsonReadBackSession.LoadAsync(json, cookie)).Tally!.Label);
    }

    /// <summary>The filters of the earlier version stored, and the deployed version's loader, over either storage.</summary>
    private async Task<(Func<string, Task<IFilterSession>> Load, string Cookie)> SeedFilters(string storage)
    {
        if (storage == "cookie")
        {
            var old = await FilterV1Session.LoadAsync(_cookies, null);
            (old.Filter, old.Stamped, old.Range) = (new FilterV1 { Min = 2 }, new FilterV1 { Min = 1 }, new PriceRangeV1(1));
            return (async c => new CookieFilters(await FilterV2Session.LoadAsync(_cookies, c)), Cookie((await old.CommitAsync())!));
        }

        var json = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } }));
        var seed = await JsonFilterV1Session.LoadAsync(json, null);
        (seed.Filter, seed.Stamped, seed.Range) = (new FilterV1 { Min = 2 }, new FilterV1 { Min = 1 }, new PriceRangeV1(1));
        return (async c => new JsonFilters(await JsonFilterV2Session.LoadAsync(json, c)), Cookie((await seed.CommitAsync())!));
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("json")]
    public async Task A_value_whose_default_is_an_infinity_is_not_rewritten_by_reading_it_and_does_not_fail_the_commit(string storage)
    {
        var (load, cookie) = await SeedFilters(storage);

        // The stored JSON leaves the bound out: it reads as the default, an infinity JSON cannot hold.
        for (var request = 0; request < 2; request++)
        {
            var session = await load(cookie);
            Assert.Equal(double.PositiveInfinity, session.Filter!.Max);
            Assert.Equal(float.NegativeInfinity, session.Stamped!.Max);
            Assert.Equal(double.PositiveInfinity, session.Range!.To);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        // A change in place is a change: the value must then be written, and an infinity cannot be.
        var changed = await load(cookie);
        changed.Filter!.Tags.Add("sale");
        var error = await Assert.ThrowsAsync<SessionValueNotStorableException>(() => changed.CommitAsync());
        Assert.Contains("'filter'", error.Message, StringComparison.Ordinal);
        var stampedChange = await load(cookie);
        stampedChange.Stamped!.Min = 5;
        Assert.Contains("'stamped'", (await Assert.ThrowsAsync<SessionValueNotStorableException>(() => stampedChange.CommitAsync())).Message, StringComparison.Ordinal);
        var rangeChange = await load(cookie);
        rangeChange.Range!.Labels.Add("x");
        Assert.Contains("'range'", (await Assert.ThrowsAsync<SessionValueNotStorableException>(() => rangeChange.CommitAsync())).Message, StringComparison.Ordinal);

        // Given a finite bound, the changed value is saved; the one only read stays as stored.
        var bounded = await load(cookie);
        bounded.Filter!.Max = 10;
        bounded.Filter.Tags.Add("sale");
        _ = bounded.Range!.To;
        var next = await bounded.CommitAsync() is { } setCookie ? Cookie(setCookie) : cookie;
        var after = await load(next);
        Assert.Equal((2.0, 10.0), (after.Filter!.Min, after.Filter.Max));
        Assert.Equal(["sale"], after.Filter.Tags);
        Assert.Equal(double.PositiveInfinity, after.Range!.To);
        Assert.Null(await after.CommitAsync());
    }

    [Fact]
    public async Task A_value_whose_JSON_does_not_determine_it_and_that_cannot_be_written_is_left_as_stored_by_reading_it()
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("filter", JsonSessionValue.Parse("{\"Tags\":[\"a\"]}"u8));
        var cookie = Cookie((await store.CommitAsync())!);
        for (var request = 0; request < 2; request++)
        {
            var session = await RandomFilterSession.LoadAsync(_cookies, cookie);
            Assert.Equal(["a"], session.Filter!.Tags);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal("{\"Tags\":[\"a\"]}", stored.Get("filter")!.ToString());
    }

    [Fact]
    public async Task A_value_stored_by_an_earlier_version_of_its_type_is_not_rewritten_by_reading_it()
    {
        var old = await ProfileV1Session.LoadAsync(_cookies, null);
        old.Profile = new ProfileV1 { Name = "Ada", Old = 3, Tags = ["a"] };
        old.Profiles = [new ProfileV1 { Name = "x", Old = 1 }, new ProfileV1 { Name = "y", Tags = ["b", "c"] }];
        var cookie = Cookie((await old.CommitAsync())!);

        // A member removed, the rest reordered, one added: the JSON written now differs from the stored JSON.
        for (var request = 0; request < 2; request++)
        {
            var session = await ProfileV2Session.LoadAsync(_cookies, cookie);
            Assert.Equal("Ada", session.Profile!.Name);
            Assert.Equal(["a"], session.Profile.Tags);
            Assert.Equal(["b", "c"], session.Profiles![1].Tags);
            Assert.False(session.IsDirty);
            Assert.Null(await session.CommitAsync());
        }

        // A real change is saved, in the new shape.
        var changed = await ProfileV2Session.LoadAsync(_cookies, cookie);
        changed.Profile!.Tags.Add("new");
        Assert.True(changed.IsDirty);
        cookie = Cookie((await changed.CommitAsync())!);
        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal("{\"Tags\":[\"a\",\"new\"],\"Name\":\"Ada\",\"Added\":null}", stored.Get("profile")!.ToString());
        Assert.Contains("\"Old\":1", stored.Get("profiles")!.ToString(), StringComparison.Ordinal); // not read-changed: kept as stored

        // Changed, then IsDirty, then changed back: the commit writes what the value is by then.
        var twice = await ProfileV2Session.LoadAsync(_cookies, cookie);
        _ = twice.Profiles![0].Name;
        twice.Profiles[0].Name = "z";
        Assert.True(twice.IsDirty);
        twice.Profiles[0].Name = "x";
        cookie = Cookie((await twice.CommitAsync())!);
        Assert.Equal("x", (await ProfileV2Session.LoadAsync(_cookies, cookie)).Profiles![0].Name);
    }

    [Fact]
    public async Task Members_with_JsonPropertyOrder_are_stored_in_System_Text_Json_s_order_and_read_back()
    {
        var value = new Ordered { A = 1, B = 2, C = "c", D = 4 };
        var session = await OrderedSession.LoadAsync(_cookies, null);
        session.Ordered = value;
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal(JsonSerializer.Serialize(value, ReadBackJson.Default.Ordered), stored.Get("ordered")!.ToString());
        var next = await OrderedSession.LoadAsync(_cookies, cookie);
        Assert.Equal((1, 2, "c", 4), (next.Ordered!.A, next.Ordered.B, next.Ordered.C, next.Ordered.D));
        Assert.False(next.IsDirty);
    }

    [Fact]
    public async Task A_struct_that_does_not_read_back_keeps_the_value_set_for_the_rest_of_the_request()
    {
        var session = await ReadBackSession.LoadAsync(_cookies, null);
        session.Point = new ReadOnlyPoint(4);
        Assert.Equal(4, session.Point.X); // as a C# property: what was set, for the whole request
        var cookie = Cookie((await session.CommitAsync())!);
        Assert.Equal(4, session.Point.X);

        // The next request reads it as System.Text.Json does (RMS015 warns at the key): the constructor is not called.
        var next = await ReadBackSession.LoadAsync(_cookies, cookie);
        Assert.Equal(0, next.Point.X);
        Assert.True(next.HasPoint);
        Assert.False(next.IsDirty);
    }

    [Fact]
    public async Task A_class_with_a_parameterless_constructor_is_read_with_it_as_System_Text_Json_does()
    {
        var session = await ReadBackSession.LoadAsync(_cookies, null);
        session.Named = new TwoConstructors { Name = "ada" };
        var next = await ReadBackSession.LoadAsync(_cookies, Cookie((await session.CommitAsync())!));

        var viaSystemTextJson = JsonSerializer.Deserialize(JsonSerializer.Serialize(new TwoConstructors { Name = "ada" }, ReadBackJson.Default.TwoConstructors), ReadBackJson.Default.TwoConstructors)!;
        Assert.Equal(viaSystemTextJson.Name, next.Named!.Name);
        Assert.Equal("ada", next.Named.Name);
        Assert.False(next.IsDirty);
    }

    public static TheoryData<int> ConditionalCases() => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(ConditionalCases))]
    public async Task Members_with_a_JsonIgnore_condition_are_written_and_read_as_System_Text_Json_does(int shape)
    {
        var value = shape switch
        {
            0 => new Conditional(),
            1 => new Conditional { Note = "kept", Zero = 5, Id = Guid.NewGuid(), Numbers = [1, 2], Always = "a", NeverWritten = 3, Ignored = 4, X = 6 },
            2 => new Conditional { Note = null, Zero = 0, Numbers = [], X = 1 },
            _ => new Conditional { Note = "", Zero = -1 },
        };
        var record = shape switch
        {
            0 => new ConditionalRecord(null, 1) { Level = null },
            1 => new ConditionalRecord("opt", 2) { Level = 3 },
            2 => new ConditionalRecord("", 0) { Level = 0 },
            _ => new ConditionalRecord(null, -1) { Level = -1 },
        };
        var session = await ConditionalSession.LoadAsync(_cookies, null);
        session.Conditional = value;
        session.Record = record;
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        var expected = JsonSerializer.Serialize(value, ReadBackJson.Default.Conditional);
        Assert.Equal(expected, stored.Get("conditional")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(record, ReadBackJson.Default.ConditionalRecord), stored.Get("record")!.ToString());

        var next = await ConditionalSession.LoadAsync(_cookies, cookie);
        var viaSystemTextJson = JsonSerializer.Deserialize(expected, ReadBackJson.Default.Conditional)!;
        var read = next.Conditional!;
        Assert.Equal(
            (viaSystemTextJson.Note, viaSystemTextJson.Zero, viaSystemTextJson.Id, viaSystemTextJson.Always, viaSystemTextJson.NeverWritten, viaSystemTextJson.Ignored, viaSystemTextJson.X),
            (read.Note, read.Zero, read.Id, read.Always, read.NeverWritten, read.Ignored, read.X));
        Assert.Equal(viaSystemTextJson.Numbers, read.Numbers);
        Assert.Equal(value.Note, read.Note);
        Assert.Equal(value.Zero, read.Zero);
        Assert.Equal(value.X, read.X);
        // A required member left out for being null reads back as null (System.Text.Json would refuse the JSON it wrote).
        Assert.Equal(record, next.Record);
        Assert.False(next.IsDirty);
    }

    [Fact]
    public async Task A_constructor_parameter_bound_to_an_ignored_member_gets_its_default_as_with_System_Text_Json()
    {
        var value = new IgnoredParameters(1, 2, "x");
        var session = await ConditionalSession.LoadAsync(_cookies, null);
        session.Ignoring = value;
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        var json = JsonSerializer.Serialize(value, ReadBackJson.Default.IgnoredParameters);
        Assert.Equal("{\"A\":1}", json);
        Assert.Equal(json, stored.Get("ignoring")!.ToString());
        var next = await ConditionalSession.LoadAsync(_cookies, cookie);
        Assert.Equal(JsonSerializer.Deserialize(json, ReadBackJson.Default.IgnoredParameters), next.Ignoring);
        Assert.Equal(new IgnoredParameters(1, 0, "c"), next.Ignoring);
    }

    [Fact]
    public async Task Constructor_parameters_missing_from_stored_JSON_get_their_defaults_as_with_System_Text_Json()
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("grown", JsonSessionValue.Parse("{\"A\":1}"u8));
        var cookie = Cookie((await store.CommitAsync())!);

        var session = await GrownSession.LoadAsync(_cookies, cookie);
        Assert.True(session.HasGrown);
        Assert.Equal(JsonSerializer.Deserialize("{\"A\":1}", ReadBackJson.Default.Grown), session.Grown);
        Assert.Equal(new Grown(1, null, 0, "none"), session.Grown);
        Assert.False(session.IsDirty);
    }

    [Fact]
    public async Task Times_in_the_shorter_forms_System_Text_Json_accepts_are_read_and_those_it_refuses_read_as_absent()
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("timeOnly", JsonSessionValue.Parse("\"9:30\""u8));
        store.Set("timeSpan", JsonSessionValue.Parse("\" 1:00:00\""u8));
        var session = await AllTypesSession.LoadAsync(_cookies, Cookie((await store.CommitAsync())!));
        Assert.Equal(new TimeOnly(9, 30), session.TimeOnly);
        Assert.False(session.HasTimeSpan); // leading whitespace: System.Text.Json refuses it too
        Assert.Null(session.TimeSpan);
    }

    [Fact]
    public async Task Init_members_missing_from_stored_JSON_keep_their_initializers_as_with_System_Text_Json()
    {
        var stored = new Dictionary<string, string>
        {
            ["prefs"] = "{\"Size\":14}",
            ["labelled"] = "{\"Item\":3}",
            ["margins"] = "{\"Left\":5}",
            ["derived"] = "{\"N\":1}",
            ["box"] = "{\"Tag\":7}",
            ["constrained"] = "{\"Value\":5}",
            ["named"] = "{}",
            ["notNull"] = "{\"Item\":\"x\"}",
        };
        var store = await SessionStore.LoadAsync(_cookies, null);
        foreach (var (key, json) in stored)
        {
            store.Set(key, JsonSessionValue.Parse(System.Text.Encoding.UTF8.GetBytes(json)));
        }

        var session = await InitDefaultsSession.LoadAsync(_cookies, Cookie((await store.CommitAsync())!));

        // What System.Text.Json's default (reflection) serializer reads from the same JSON, member for member.
        Assert.Equal(Reflected<Preferences>(stored["prefs"]), Reflected(session.Prefs));
        Assert.Equal(Reflected<Labelled<int>>(stored["labelled"]), Reflected(session.Labelled));
        Assert.Equal(Reflected<Margins>(stored["margins"]), Reflected(session.Margins));
        Assert.Equal(Reflected<InitDerived>(stored["derived"]), Reflected(session.Derived));
        Assert.Equal(Reflected<Shelf<int>.Box<string>>(stored["box"]), Reflected(session.Box));
        Assert.Equal(Reflected<Constrained<int, Address>>(stored["constrained"]), Reflected(session.Constrained));
        Assert.Equal(Reflected<Named<string>>(stored["named"]), Reflected(session.Named));
        Assert.Equal(Reflected<NotNullBox<string>>(stored["notNull"]), Reflected(session.NotNull));
        Assert.Equal(5, session.Constrained!.Value);
        Assert.Single(session.Constrained.Items);
        Assert.Empty(session.Named!.Values);
        Assert.NotNull(session.NotNull!.Map);
        Assert.Equal(("light", 14), (session.Prefs!.Theme, session.Prefs.Size));
        Assert.Equal(["home"], session.Prefs.Pinned);
        Assert.Equal((3, "none"), (session.Labelled!.Item, session.Labelled.Label));
        Assert.Empty(session.Labelled.Extra);
        Assert.Equal((4, 5), (session.Margins.Top, session.Margins.Left));
        Assert.Equal("base", session.Derived!.Origin);
        Assert.Equal(7, session.Box!.Tag);
        Assert.Empty(session.Box.Values);
        Assert.False(session.IsDirty);

        // Present members are set, on the compact path (the JSON as this library writes it) and off it.
        session.Prefs = new Preferences { Theme = "dark", Pinned = [] };
        session.Labelled = new Labelled<int>(1) { Extra = [2], Label = "two" };
        session.Box = new Shelf<int>.Box<string> { Values = ["v"], Tag = 9 };
        session.Margins = new Margins { Top = 8 };
        var next = await InitDefaultsSession.LoadAsync(_cookies, Cookie((await session.CommitAsync())!));
        Assert.Equal(("dark", 12), (next.Prefs!.Theme, next.Prefs.Size));
        Assert.Empty(next.Prefs.Pinned);
        Assert.Equal([2], next.Labelled!.Extra);
        Assert.Equal("two", next.Labelled.Label);
        Assert.Equal(["v"], next.Box!.Values);
        Assert.Equal(9, next.Box.Tag);
        Assert.Equal(8, next.Margins.Top);
    }

#pragma warning disable IL2026, IL3050 // The comparison is with System.Text.Json's reflection-based default on purpose.
    private static string Reflected<T>(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(json));

    private static string Reflected<T>(T value) => JsonSerializer.Serialize(value);
#pragma warning restore IL2026, IL3050

    [Theory]
    [InlineData("{\"age2\":1,\"Age\":3}")]          // both names: the last one wins
    [InlineData("{\"Age\":3,\"age2\":1}")]
    [InlineData("{\"Age\":2}")]                     // stored before the override was renamed
    [InlineData("{\"age2\":1,\"Age\":\"x\"}")]      // System.Text.Json refuses it: absent
    public async Task A_renamed_override_reads_from_either_of_its_names_as_System_Text_Json_does(string json)
    {
        var store = await SessionStore.LoadAsync(_cookies, null);
        store.Set("renamed", JsonSessionValue.Parse(json));
        var cookie = Cookie((await store.CommitAsync())!);
        RenamedOverrides? expected;
        try
        {
            expected = JsonSerializer.Deserialize(json, ReadBackJson.Default.RenamedOverrides);
        }
        catch (JsonException)
        {
            expected = null;
        }

        var session = await InheritanceSession.LoadAsync(_cookies, cookie);
        Assert.Equal(expected?.Age, session.Renamed?.Age);
    }

    [Fact]
    public async Task Members_of_class_hierarchies_are_stored_and_read_as_System_Text_Json_does()
    {
        var hidesIgnored = new HidesIgnored { X = 1, Z = 3 };
        ((PlainBase)hidesIgnored).Y = 7;
        hidesIgnored.Y = 2;
        var hidesWithString = new HidesWithString { X = 1, Y = "s" };
        ((PlainBase)hidesWithString).Y = 9;
        var session = await InheritanceSession.LoadAsync(_cookies, null);
        session.Account = new GuardedAccount { Password = "hunter2", User = "ada" };
        session.Renamed = new RenamedOverrides { Age = 2, Ren = "r", Z = 1 };
        session.HidesIgnored = hidesIgnored;
        session.HidesWithString = hidesWithString;
        session.SetterOnly = new SetterOnlyOverride { V = 5 };
        var hidesWithStatic = new HidesWithStatic { Y = 2 };
        ((PlainBase)hidesWithStatic).X = 4;
        HidesWithStatic.X = 99;
        session.HidesWithStatic = hidesWithStatic;
        var hidesRenamed = new HidesRenamed { X = 1, Y = 2 };
        ((PlainBase)hidesRenamed).Y = 3;
        session.HidesRenamed = hidesRenamed;
        session.Twin = new TwinOfAnotherType(3) { a = "s" };
        var getterOnly = new GetterOnlyOverride();
        ((RenamedVirtualRoot)getterOnly).N = "n";
        session.GetterOnly = getterOnly;
        var hidesImplementation = new HidesImplementation { Name = "derived" };
        ((NamedThing)hidesImplementation).Name = "base";
        session.HidesImplementation = hidesImplementation;
        var staticWithConstructor = new StaticHiderWithConstructor(0) { Y = 6 };
        ((PlainBase)staticWithConstructor).X = 5;
        session.StaticWithConstructor = staticWithConstructor;
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal("{\"User\":\"ada\"}", stored.Get("account")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Account, ReadBackJson.Default.GuardedAccount), stored.Get("account")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Renamed, ReadBackJson.Default.RenamedOverrides), stored.Get("renamed")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(hidesIgnored, ReadBackJson.Default.HidesIgnored), stored.Get("hidesIgnored")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(hidesWithString, ReadBackJson.Default.HidesWithString), stored.Get("hidesWithString")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.SetterOnly, ReadBackJson.Default.SetterOnlyOverride), stored.Get("setterOnly")!.ToString());
        Assert.Equal("{\"X\":4,\"Y\":2}", stored.Get("hidesWithStatic")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(hidesWithStatic, ReadBackJson.Default.HidesWithStatic), stored.Get("hidesWithStatic")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(hidesRenamed, ReadBackJson.Default.HidesRenamed), stored.Get("hidesRenamed")!.ToString());
        Assert.Equal("{\"A\":3,\"a\":\"s\"}", stored.Get("twin")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(getterOnly, ReadBackJson.Default.GetterOnlyOverride), stored.Get("getterOnly")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(hidesImplementation, ReadBackJson.Default.HidesImplementation), stored.Get("hidesImplementation")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(session.Twin, ReadBackJson.Default.TwinOfAnotherType), stored.Get("twin")!.ToString());
        Assert.Equal(JsonSerializer.Serialize(staticWithConstructor, ReadBackJson.Default.StaticHiderWithConstructor), stored.Get("staticWithConstructor")!.ToString());

        var next = await InheritanceSession.LoadAsync(_cookies, cookie);
        Assert.Equal("ada", next.Account!.User);
        Assert.Null(next.Account.Password);
        Assert.Equal((2, "r", 1), (next.Renamed!.Age, next.Renamed.Ren, next.Renamed.Z));
        Assert.Equal((1, 7, 0, 3), (next.HidesIgnored!.X, ((PlainBase)next.HidesIgnored).Y, next.HidesIgnored.Y, next.HidesIgnored.Z));
        Assert.Equal((1, "s", 0), (next.HidesWithString!.X, next.HidesWithString.Y, ((PlainBase)next.HidesWithString).Y));
        Assert.Equal((4, 2), (((PlainBase)next.HidesWithStatic!).X, next.HidesWithStatic.Y));
        var twinViaSystemTextJson = JsonSerializer.Deserialize(stored.Get("twin")!.ToString(), ReadBackJson.Default.TwinOfAnotherType)!;
        Assert.Equal((twinViaSystemTextJson.A, twinViaSystemTextJson.a), (next.Twin!.A, next.Twin.a));
        Assert.Equal((3, "s"), (next.Twin.A, next.Twin.a));
        var getterOnlyViaSystemTextJson = JsonSerializer.Deserialize(stored.Get("getterOnly")!.ToString(), ReadBackJson.Default.GetterOnlyOverride)!;
        Assert.Equal(getterOnlyViaSystemTextJson.N, next.GetterOnly!.N);
        var implementationViaSystemTextJson = JsonSerializer.Deserialize(stored.Get("hidesImplementation")!.ToString(), ReadBackJson.Default.HidesImplementation)!;
        Assert.Equal((implementationViaSystemTextJson.Name, ((NamedThing)implementationViaSystemTextJson).Name), (next.HidesImplementation!.Name, ((NamedThing)next.HidesImplementation).Name));
        var staticViaSystemTextJson = JsonSerializer.Deserialize(stored.Get("staticWithConstructor")!.ToString(), ReadBackJson.Default.StaticHiderWithConstructor)!;
        Assert.Equal((((PlainBase)staticViaSystemTextJson).X, staticViaSystemTextJson.Y), (((PlainBase)next.StaticWithConstructor!).X, next.StaticWithConstructor.Y));
        Assert.Equal((5, 6), (((PlainBase)next.StaticWithConstructor).X, next.StaticWithConstructor.Y));
        var renamedViaSystemTextJson = JsonSerializer.Deserialize(JsonSerializer.Serialize(hidesRenamed, ReadBackJson.Default.HidesRenamed), ReadBackJson.Default.HidesRenamed)!;
        Assert.Equal((1, 2, 3), (next.HidesRenamed!.X, next.HidesRenamed.Y, ((PlainBase)next.HidesRenamed).Y));
        Assert.Equal((renamedViaSystemTextJson.X, renamedViaSystemTextJson.Y, ((PlainBase)renamedViaSystemTextJson).Y), (next.HidesRenamed.X, next.HidesRenamed.Y, ((PlainBase)next.HidesRenamed).Y));
        Assert.False(next.IsDirty);
    }

    [Fact]
    public async Task A_member_never_written_keeps_its_name_and_a_private_JsonInclude_setter_filled_by_the_constructor_is_stored()
    {
        var view = new UserView { Name = "n", Password = "shown" };
        ((UserBase)view).Password = "hunter2";
        var session = await HiddenPasswordSession.LoadAsync(_cookies, null);
        session.View = view;
        session.Named = new Named("x");
        var cookie = Cookie((await session.CommitAsync())!);

        var stored = await SessionStore.LoadAsync(_cookies, cookie);
        Assert.Equal(JsonSerializer.Serialize(view, ReadBackJson.Default.UserView), stored.Get("view")!.ToString());
        Assert.DoesNotContain("hunter2", stored.Get("view")!.ToString(), StringComparison.Ordinal);
        Assert.Equal("{\"Name\":\"x\"}", stored.Get("named")!.ToString()); // what reflection-based System.Text.Json writes
        Assert.Equal("x", (await HiddenPasswordSession.LoadAsync(_cookies, cookie)).Named!.Name);
    }

    [Fact]
    public void An_unsealed_schema_keeps_a_protected_parameterless_constructor_that_throws()
    {
        var constructor = typeof(UnsealedSession).GetConstructor(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic, Type.EmptyTypes);
        Assert.NotNull(constructor);
        Assert.True(constructor.IsFamily);
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => Activator.CreateInstance(typeof(DerivedFromSchema)));
        Assert.IsType<InvalidOperationException>(thrown.InnerException);
        Assert.Contains("UnsealedSession is a session schema", thrown.InnerException!.Message, StringComparison.Ordinal);
        Assert.Null(typeof(ConditionalSession).GetConstructor(Type.EmptyTypes));
    }
    [Fact]
    public void System_Text_Json_refuses_the_constructors_RMS001_reports()
    {
        // The facts behind two RMS001 reasons: an `in` constructor parameter, and two members bound to one parameter.
#pragma warning disable IL2026, IL3050 // reflection-based System.Text.Json, on purpose: it is what users compare with
        var options = new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        var byIn = Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<TakesIn>("{\"A\":1}", options));
        var twins = Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<CaseTwins>("{\"A\":1}", options));
        Assert.ThrowsAny<InvalidOperationException>(() => JsonSerializer.Deserialize<IgnoredCaseTwins>("{\"A\":1}", options));
        Assert.ThrowsAny<InvalidOperationException>(() => JsonSerializer.Deserialize<RenamedOverride>("{\"y\":1}", options));
#pragma warning restore IL2026, IL3050
        Assert.IsNotType<JsonException>(byIn);
        Assert.Contains("'a'", twins.Message, StringComparison.Ordinal);
    }

    public sealed class TakesIn
    {
        public TakesIn(in int a) => A = a;

        public int A { get; }
    }

    public sealed class IgnoredCaseTwins
    {
        public IgnoredCaseTwins(int a) => A = a;

        public int A { get; }

#pragma warning disable IDE1006, SA1300 // the lower-case twin is the point
        [System.Text.Json.Serialization.JsonIgnore] public int a { get; set; }
#pragma warning restore IDE1006, SA1300
    }

    public class VirtualRoot
    {
        public virtual int X { get; set; }
    }

    public sealed class RenamedOverride : VirtualRoot
    {
        public RenamedOverride(int x) => X = x;

        [System.Text.Json.Serialization.JsonPropertyName("y")] public override int X { get; set; }
    }

    public sealed class CaseTwins
    {
        public CaseTwins(int a) => A = a;

        public int A { get; }

#pragma warning disable IDE1006, SA1300 // the lower-case twin is the point
        public int a => A;
#pragma warning restore IDE1006, SA1300
    }

}

/// <summary>System.Text.Json's own reading of the test types, to compare with.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(TwoConstructors))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Ordered))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Conditional))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ConditionalRecord))]
[System.Text.Json.Serialization.JsonSerializable(typeof(IgnoredParameters))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Grown))]
[System.Text.Json.Serialization.JsonSerializable(typeof(UserView))]
[System.Text.Json.Serialization.JsonSerializable(typeof(GuardedAccount))]
[System.Text.Json.Serialization.JsonSerializable(typeof(RenamedOverrides))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HidesIgnored))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HidesWithString))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HidesWithStatic))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HidesRenamed))]
[System.Text.Json.Serialization.JsonSerializable(typeof(TwinOfAnotherType))]
[System.Text.Json.Serialization.JsonSerializable(typeof(GetterOnlyOverride))]
[System.Text.Json.Serialization.JsonSerializable(typeof(HidesImplementation))]
[System.Text.Json.Serialization.JsonSerializable(typeof(StaticHiderWithConstructor))]
[System.Text.Json.Serialization.JsonSerializable(typeof(SetterOnlyOverride))]
internal sealed partial class ReadBackJson : System.Text.Json.Serialization.JsonSerializerContext;
