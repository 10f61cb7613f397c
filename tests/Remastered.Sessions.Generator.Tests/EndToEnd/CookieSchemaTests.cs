using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

public sealed class CookieSchemaTests
{
    private const string Secret = "generator-tests-secret-0123456789abcdefgh";
    private readonly CookieSessionStorage _storage = new(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
    private string? _cookie;

    private async Task<AppSession> Request() => await AppSession.LoadAsync(_storage, _cookie);

    private async Task Commit(AppSession session)
    {
        var header = await session.CommitAsync();
        if (header is not null)
        {
            _cookie = header.Split(';')[0];
        }
    }

    [Fact]
    public async Task The_Value_union_serializes_with_System_Text_Json_as_the_JSON_the_session_stores()
    {
        var session = await Request();
        session.Cart = [new CartItem("a", 1) { UnitPrice = 2m }];
        session.UserId = 7;
        AppSession.Value? cart = session.Store.Get("cart");
        AppSession.Value? user = session.Store.Get("user_id");
#pragma warning disable IL2026, IL3050 // reflection-based System.Text.Json, as an application would call it; test assemblies are never trimmed
        Assert.Equal("""[{"Sku":"a","Quantity":1,"unit_price":2}]""", System.Text.Json.JsonSerializer.Serialize(cart));
        Assert.Equal("7", System.Text.Json.JsonSerializer.Serialize(user));
        Assert.Equal("""{"cart":[{"Sku":"a","Quantity":1,"unit_price":2}],"user":7}""", System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, AppSession.Value?> { ["cart"] = cart, ["user"] = user }));
        var refused = Assert.Throws<NotSupportedException>(() => System.Text.Json.JsonSerializer.Deserialize<AppSession.Value>("7"));
#pragma warning restore IL2026, IL3050
        Assert.Contains("through the schema", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_stored_as_a_normal_key_by_an_earlier_release_under_a_key_now_declared_Flash_is_shown_once()
    {
        // The earlier release: "notice" was a normal key (stored here through the untyped store, as it stored it).
        var earlier = await Request();
        earlier.Store.Set("notice", "Saved by the earlier release");
        earlier.UserId = 7;
        await Commit(earlier);

        var first = await Request();
        Assert.Equal("Saved by the earlier release", first.Notice);
        Assert.True(first.IsDirty); // consumed by this request's commit, like any flash value
        await Commit(first);

        var second = await Request();
        Assert.Null(second.Notice);
        Assert.False(second.Store.Has("notice"));
        Assert.Equal(7, second.UserId);

        // Kept like a flash value: one more request.
        var earlier2 = await Request();
        earlier2.Store.Set("notice", "again");
        await Commit(earlier2);
        var keeping = await Request();
        keeping.Store.Keep("notice");
        await Commit(keeping);
        Assert.Equal("again", (await Request()).Notice);
    }

    [Theory]
    [InlineData("flashed, then wrapped")]
    [InlineData("kept, then wrapped again")]
    [InlineData("flashed and committed, then wrapped again")]
    [InlineData("set, then wrapped")]
    [InlineData("set and committed, then wrapped again")]
    public async Task Declared_flash_keys_apply_to_values_as_stored_only_never_to_what_the_request_did(string shape)
    {
        if (shape == "kept, then wrapped again")
        {
            var earlier = await Request();
            earlier.Notice = "pending";
            await Commit(earlier);
        }

        // An integration wraps the loaded store (FromStore), possibly more than once in a request.
        var raw = await SessionStore.LoadAsync(_storage, _cookie);
        var session = AppSession.FromStore(raw);
        switch (shape)
        {
            case "flashed, then wrapped":
                session.Notice = "flashed in this request";
                break;
            case "kept, then wrapped again":
                session.Store.Keep("notice");
                break;
            case "flashed and committed, then wrapped again":
                session.Notice = "flashed in this request";
                await Commit(session);
                break;
            case "set, then wrapped":
                raw.Set("notice", "set as a normal value in this request");
                break;
            case "set and committed, then wrapped again":
                raw.Set("notice", "set as a normal value in this request");
                await Commit(session);
                break;
        }

        session = AppSession.FromStore(raw);
        await Commit(session);
        Assert.NotNull((await Request()).Notice); // what this request flashed, kept or set reaches the next request
    }

    [Fact]
    public async Task After_a_failed_commit_the_reload_still_consumes_a_value_an_earlier_release_stored_under_a_Flash_key()
    {
        var earlier = await Request();
        earlier.Store.Set("notice", "Saved by the earlier release");
        await Commit(earlier);

        // The request changes something, its commit fails (as an integration's would), and the session is read again.
        var session = await Request();
        session.UserId = 1;
        await ((ITypedSession)session).DiscardChangesAsync();
        Assert.Equal("Saved by the earlier release", session.Notice);
        Assert.True(session.IsDirty);
        await Commit(session);
        Assert.Null((await Request()).Notice);
    }

    [Fact]
    public async Task Typed_properties_round_trip_through_the_cookie()
    {
        var first = await Request();
        Assert.Null(first.UserId);
        Assert.False(first.HasUserId);
        first.UserId = 42;
        first.Cart = [new CartItem("sku-1", 2) { UnitPrice = 9.5m }];
        await Commit(first);

        var second = await Request();
        Assert.True(second.HasUserId);
        Assert.Equal(42, second.UserId);
        var item = Assert.Single(second.Cart!);
        Assert.Equal(new CartItem("sku-1", 2) { UnitPrice = 9.5m }, item);
    }

    [Fact]
    public async Task The_json_honours_JsonPropertyName_and_JsonIgnore()
    {
        var session = await Request();
        session.Cart = [new CartItem("a", 1) { UnitPrice = 2m }];
        Assert.Equal("""[{"Sku":"a","Quantity":1,"unit_price":2}]""", ((AppSession.Value.ListOfCartItem)session.Store.Get("cart")!).ToJson().ToString());
    }

    [Fact]
    public async Task A_flash_property_lives_for_exactly_one_more_request()
    {
        var first = await Request();
        first.Notice = "Saved!";
        Assert.Equal("Saved!", first.Notice);
        await Commit(first);

        var second = await Request();
        Assert.Equal("Saved!", second.Notice);
        await Commit(second);

        var third = await Request();
        Assert.Null(third.Notice);
        Assert.False(third.HasNotice);
    }

    [Fact]
    public async Task Keep_and_reflash_extend_a_flash_by_one_request()
    {
        var first = await Request();
        first.Notice = "one";
        await Commit(first);

        var second = await Request();
        second.KeepNotice();
        await Commit(second);

        var third = await Request();
        Assert.Equal("one", third.Notice);
        third.Notice = "two";
        await Commit(third);

        var fourth = await Request();
        Assert.Equal("two", fourth.Notice);
        await Commit(fourth);
        Assert.False((await Request()).HasNotice);
    }

    [Fact]
    public async Task FlashX_flashes_a_persistent_key_and_UnsetX_removes_it()
    {
        var first = await Request();
        first.FlashUserId(7);
        first.Cart = [];
        await Commit(first);

        var second = await Request();
        Assert.Equal(7, second.UserId);
        second.UnsetCart();
        await Commit(second);

        var third = await Request();
        Assert.False(third.HasUserId);
        Assert.False(third.HasCart);
    }

    [Fact]
    public async Task Setting_null_removes_the_key()
    {
        var first = await Request();
        first.UserId = 1;
        first.UserId = null;
        Assert.False(first.HasUserId);
    }

    [Fact]
    public async Task The_untyped_store_and_the_typed_properties_see_the_same_data()
    {
        var session = await Request();
        session.Store.Set("user_id", 42);
        Assert.Equal(42, session.UserId);

        session.Cart = [new CartItem("x", 1)];
        var value = session.Store.Get("cart");
        Assert.IsType<AppSession.Value.ListOfCartItem>(value);
        Assert.True(value is AppSession.Value.ListOfCartItem { Item: [{ Sku: "x" }] });

        session.Store.Flash("notice", "from the store");
        Assert.Equal("from the store", session.Notice);
        Assert.True(session.Store.Has("notice"));
        session.Store.Unset("notice");
        Assert.False(session.HasNotice);
        Assert.Null(session.Store.Get("undeclared"));
        Assert.False(session.Store.TryGet("undeclared", out var undeclared));
        Assert.Null(undeclared);
        Assert.False(session.Store.TryGet("notice", out _));
        Assert.True(session.Store.TryGet("cart", out var cart));
        Assert.Same(session.Cart, ((AppSession.Value.ListOfCartItem)cart).Item);
    }

    [Fact]
    public async Task The_value_union_matches_out_by_case()
    {
        AppSession.Value[] values = [42, "text", new List<CartItem>()];
        var described = values.Select(v => v switch
        {
            AppSession.Value.NullableInt32 { Item: var n } => $"int {n}",
            AppSession.Value.String { Item: var s } => $"string {s}",
            AppSession.Value.ListOfCartItem { Item: var cart } => $"cart {cart!.Count}",
            _ => "other",
        });
        Assert.Equal(["int 42", "string text", "cart 0"], described);
    }

    [Fact]
    public async Task Keys_the_schema_does_not_declare_are_preserved()
    {
        var raw = await SessionStore.LoadAsync(_storage, null);
        raw.Set("legacy", JsonSessionValue.Parse("""{"kept":true}"""));
        _cookie = (await raw.CommitAsync())!.Split(';')[0];

        var typed = await Request();
        typed.UserId = 5;
        await Commit(typed);

        var after = await SessionStore.LoadAsync(_storage, _cookie);
        Assert.Equal("""{"kept":true}""", after.Get("legacy")!.ToString());
        Assert.Equal(5, (int)after.Get("user_id")!);
    }

    [Fact]
    public async Task A_stored_value_of_another_type_reads_as_absent_and_is_kept_until_overwritten()
    {
        var raw = await SessionStore.LoadAsync(_storage, null);
        raw.Set("user_id", "not a number");
        raw.Set("cart", 12);
        raw.Set("notice", "still fine");
        _cookie = (await raw.CommitAsync())!.Split(';')[0];

        var typed = await Request();
        Assert.Null(typed.UserId);
        Assert.Null(typed.Cart);
        Assert.False(typed.HasUserId); // reads as absent, and Has agrees
        Assert.True(typed.Store.Has("user_id")); // the untyped store still sees the stored value, which is kept
        Assert.Equal("still fine", typed.Notice);
        typed.Store.Set("other", "touch");
        await Commit(typed);

        var after = await SessionStore.LoadAsync(_storage, _cookie);
        Assert.Equal("not a number", (string?)after.Get("user_id"));

        var fixedUp = await Request();
        fixedUp.UserId = 9;
        await Commit(fixedUp);
        Assert.Equal(9, (await Request()).UserId);
    }

    [Fact]
    public async Task Destroy_and_RegenerateId_reach_the_storage()
    {
        var first = await Request();
        first.UserId = 1;
        await Commit(first);

        var second = await Request();
        second.RegenerateId();
        Assert.True(second.IsDirty);
        await Commit(second);
        Assert.Equal(1, (await Request()).UserId);

        var third = await Request();
        var expired = await third.DestroyAsync();
        Assert.Contains("Max-Age=0", expired);
    }
}

public sealed class UnreadableValueLoggingTests
{
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger<CookieSessionStorage>
    {
        public List<(int Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((eventId.Id, formatter(state, exception)));
    }

    [Fact]
    public async Task A_value_that_no_longer_reads_as_its_declared_type_is_logged_once()
    {
        var logger = new ListLogger();
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = ["generator-tests-secret-0123456789abcdefgh"] }, logger);
        var raw = await SessionStore.LoadAsync(storage, null);
        raw.Set("user_id", "forty-two");
        var cookie = (await raw.CommitAsync())!.Split(';')[0];

        var session = await AppSession.LoadAsync(storage, cookie);
        Assert.Null(session.UserId);
        Assert.Null(session.UserId);
        var entry = Assert.Single(logger.Entries, e => e.Id == 1005);
        Assert.Contains("user_id", entry.Message);
        Assert.Contains("System.Int32", entry.Message);
        Assert.Contains("is left as stored until overwritten", entry.Message);
    }

    [Fact]
    public async Task An_unreadable_pending_flash_value_is_logged_and_consumed_by_the_commit()
    {
        var logger = new ListLogger();
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = ["generator-tests-secret-0123456789abcdefgh"] }, logger);
        var raw = await SessionStore.LoadAsync(storage, null);
        raw.Flash("notice", 5);
        raw.Set("user_id", 7);
        var cookie = (await raw.CommitAsync())!.Split(';')[0];

        var session = await AppSession.LoadAsync(storage, cookie);
        Assert.Null(session.Notice);
        var entry = Assert.Single(logger.Entries, e => e.Id == 1005);
        Assert.Contains("a pending flash value is still consumed by the commit", entry.Message);
        cookie = (await session.CommitAsync())!.Split(';')[0];
        var next = await SessionStore.LoadAsync(storage, cookie);
        Assert.False(next.Has("notice"));
        Assert.True(next.Has("user_id"));
    }
}
