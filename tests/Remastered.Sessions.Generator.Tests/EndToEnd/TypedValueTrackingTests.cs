using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// Typed values are objects for the whole request: every read returns the same instance, in-place changes are saved
/// by the next commit on every storage, and values that were only read are not written again.
/// </summary>
public sealed class TypedValueTrackingTests
{
    private const string Secret = "tracking-tests-secret-0123456789abcdefghij";

    public static TheoryData<string> Storages() => new("cookie", "json", "memory");

    /// <summary>One storage per test, and how to load a request's session from it.</summary>
    private static Func<string?, Task<ITrackedSession>> Loader(string storage)
    {
        var cookie = new CookieSessionOptions { Name = "session", Secrets = [Secret] };
        switch (storage)
        {
            case "cookie":
                var cookies = new CookieSessionStorage(cookie);
                return async header => await CookieTrackedSession.LoadAsync(cookies, header);
            case "json":
                var json = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = cookie }));
                return async header => await JsonTrackedSession.LoadAsync(json, header);
            default:
                var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = cookie });
                return async header => await MemoryTrackedSession.LoadAsync(memory, header);
        }
    }

    private static string? Cookie(string? setCookie) => setCookie?.Split(';')[0];

    /// <summary>Commits and returns the cookie the next request sends (the same one when nothing was sent).</summary>
    private static async Task<string> Next(ITrackedSession session, string current) => Cookie(await session.CommitAsync()) ?? current;

    private static async Task<string> Seed(Func<string?, Task<ITrackedSession>> load)
    {
        var session = await load(null);
        session.Cart = [new CartItem("a", 1)];
        session.Profile = new Member { Name = "Ada", Roles = ["reader"], Home = new Address { City = "London", Codes = [1] } };
        session.Counts = new Dictionary<string, int> { ["views"] = 1 };
        session.Scores = [1, 2, 3];
        session.Name = "ada";
        session.Visits = 1;
        session.Addresses = [new Address { City = "Paris" }];
        return Cookie(await session.CommitAsync())!;
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("json")]
    public async Task Discarding_changes_forgets_the_typed_values_handed_out_and_reads_them_again(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        var cart = session.Cart!;
        cart.Add(new CartItem("b", 2));
        session.Name = "mallory";
        Assert.True(session.IsDirty);

        await ((ITypedSession)session).DiscardChangesAsync();

        // A new instance, read from the stored JSON; the old one is no longer tracked, so its change is not saved.
        Assert.NotSame(cart, session.Cart);
        Assert.Equal([new CartItem("a", 1)], session.Cart);
        Assert.Equal("ada", session.Name);
        cart.Add(new CartItem("c", 3));
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());
    }

    [Fact]
    public async Task Concurrent_requests_share_instances_on_the_memory_storage_and_get_their_own_copies_over_JSON()
    {
        // The documented contract (docs/storages.md): the memory storage holds objects by reference, so a request that
        // loaded the session sees another request's in-place change before that request commits, and discarding does
        // not undo it. JsonSessionStorage.OverObjects keeps JSON, so each request reads its own objects.
        var memory = Loader("memory");
        var cookie = await Seed(memory);
        var first = await memory(cookie);
        var second = await memory(cookie);
        first.Cart!.Add(new CartItem("b", 2));
        Assert.Same(first.Cart, second.Cart);
        await ((ITypedSession)first).DiscardChangesAsync();
        Assert.Equal(2, (await memory(cookie)).Cart!.Count);

        var json = Loader("json");
        cookie = await Seed(json);
        first = await json(cookie);
        second = await json(cookie);
        first.Cart!.Add(new CartItem("b", 2));
        Assert.NotSame(first.Cart, second.Cart);
        Assert.Equal([new CartItem("a", 1)], second.Cart);
        await ((ITypedSession)first).DiscardChangesAsync();
        Assert.Equal([new CartItem("a", 1)], (await json(cookie)).Cart);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Adding_to_a_loaded_list_is_saved(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Cart!.Add(new CartItem("b", 2));
        Assert.True(session.IsDirty || storage == "memory");
        cookie = await Next(session, cookie);

        var after = await load(cookie);
        Assert.Equal([new CartItem("a", 1), new CartItem("b", 2)], after.Cart);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Changing_a_property_of_a_loaded_object_is_saved_at_any_depth(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Profile!.Name = "Grace";
        session.Profile.Roles.Add("admin");
        session.Profile.Home!.City = "Arlington";
        session.Profile.Home.Codes.Add(2);
        cookie = await Next(session, cookie);

        var after = (await load(cookie)).Profile!;
        Assert.Equal("Grace", after.Name);
        Assert.Equal(["reader", "admin"], after.Roles);
        Assert.Equal("Arlington", after.Home!.City);
        Assert.Equal([1, 2], after.Home.Codes);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Changing_a_dictionary_entry_or_an_array_element_is_saved(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Counts!["views"] = 5;
        session.Counts["likes"] = 1;
        session.Scores![0] = 9;
        cookie = await Next(session, cookie);

        var after = await load(cookie);
        Assert.Equal(new Dictionary<string, int> { ["views"] = 5, ["likes"] = 1 }, after.Counts);
        Assert.Equal([9, 2, 3], after.Scores!);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Changing_an_item_of_a_loaded_list_of_objects_is_saved(string storage)
    {
        // The list itself does not change (its modification counter stays put): the item does.
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Addresses![0].City = "Lyon";
        cookie = await Next(session, cookie);
        Assert.Equal("Lyon", (await load(cookie)).Addresses![0].City);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Every_kind_of_list_change_is_saved(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        foreach (var change in new Action<List<CartItem>>[]
        {
            cart => cart[0] = new CartItem("replaced", 1),
            cart => cart.Insert(0, new CartItem("first", 1)),
            cart => cart.Reverse(),
            cart => cart.Sort((a, b) => string.CompareOrdinal(a.Sku, b.Sku)),
            cart => cart.AddRange([new CartItem("x", 1), new CartItem("y", 2)]),
            cart => cart.RemoveAll(i => i.Sku == "first"),
            cart => cart.Remove(cart[0]),
            cart => cart.RemoveAt(cart.Count - 1),
            cart => cart.Clear(),
        })
        {
            var session = await load(cookie);
            var expected = session.Cart!.ToList();
            change(session.Cart!);
            change(expected);
            cookie = await Next(session, cookie);
            Assert.Equal(expected, (await load(cookie)).Cart);
        }
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Overwriting_or_removing_a_dictionary_entry_is_saved(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        session.Counts!["views"] = 7; // an overwrite leaves Dictionary's own change counter alone
        cookie = await Next(session, cookie);
        Assert.Equal(7, (await load(cookie)).Counts!["views"]);

        session = await load(cookie);
        session.Counts!.Remove("views");
        cookie = await Next(session, cookie);
        Assert.Empty((await load(cookie)).Counts!);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Mutating_a_value_just_assigned_is_saved(string storage)
    {
        var load = Loader(storage);
        var session = await load(null);
        session.Cart = [];
        session.Cart.Add(new CartItem("x", 3));
        session.Profile = new Member();
        session.Profile.Roles.Add("writer");
        var cookie = Cookie(await session.CommitAsync())!;

        var after = await load(cookie);
        Assert.Equal([new CartItem("x", 3)], after.Cart);
        Assert.Equal(["writer"], after.Profile!.Roles);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task A_request_that_only_reads_sends_nothing(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        _ = session.Cart!.Count + session.Profile!.Roles.Count + session.Counts!["views"] + session.Scores![0] + session.Name!.Length + session.Visits;
        Assert.False(session.IsDirty);
        Assert.Null(await session.CommitAsync());
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Every_read_returns_the_same_instance(string storage)
    {
        var load = Loader(storage);
        var cookie = await Seed(load);
        var session = await load(cookie);
        Assert.Same(session.Cart, session.Cart);
        Assert.Same(session.Profile, session.Profile);
        Assert.Same(session.Counts, session.Counts);
        Assert.Same(session.Scores, session.Scores);
        Assert.Same(session.Name, session.Name);
    }

    [Fact]
    public async Task The_untyped_store_hands_out_the_same_instances_and_saves_their_changes()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var session = await CookieTrackedSession.LoadAsync(storage, null);
        session.Store.Set("cart", new List<CartItem> { new("a", 1) });
        var fromStore = ((CookieTrackedSession.Value.ListOfCartItem)session.Store.Get("cart")!).Item;
        Assert.Same(fromStore, session.Cart);
        fromStore.Add(new CartItem("b", 1));
        var cookie = Cookie(await session.CommitAsync())!;

        var after = await CookieTrackedSession.LoadAsync(storage, cookie);
        var items = ((CookieTrackedSession.Value.ListOfCartItem)after.Store.Get("cart")!).Item;
        Assert.Same(items, after.Cart);
        items.RemoveAt(0);
        cookie = Cookie(await after.CommitAsync())!;
        Assert.Equal([new CartItem("b", 1)], (await CookieTrackedSession.LoadAsync(storage, cookie)).Cart);
    }

    [Fact]
    public async Task A_value_replaced_through_the_untyped_store_is_read_anew()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var session = await CookieTrackedSession.LoadAsync(storage, null);
        var first = session.Cart = [new CartItem("a", 1)];
        session.Store.Unset("cart");
        Assert.Null(session.Cart);
        session.Store.Set("cart", new List<CartItem> { new("c", 1) });
        Assert.NotSame(first, session.Cart);
        first.Add(new CartItem("lost", 1)); // no longer the session's value
        var cookie = Cookie(await session.CommitAsync())!;
        Assert.Equal([new CartItem("c", 1)], (await CookieTrackedSession.LoadAsync(storage, cookie)).Cart);
    }

    [Fact]
    public async Task A_change_in_place_after_the_response_started_fails_at_commit_instead_of_being_lost()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var cookie = Cookie(await ((Func<Task<string?>>)(async () =>
        {
            var s = await CookieTrackedSession.LoadAsync(storage, null);
            s.Cart = [new CartItem("a", 1)];
            return await s.CommitAsync();
        }))())!;
        var session = await CookieTrackedSession.LoadAsync(storage, cookie);
        session.Cart!.Add(new CartItem("b", 1));
        session.Seal("The response has already started.");
        Assert.True(session.IsDirty);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await session.CommitAsync());
        Assert.Contains("already started", error.Message, StringComparison.Ordinal);
    }
}
