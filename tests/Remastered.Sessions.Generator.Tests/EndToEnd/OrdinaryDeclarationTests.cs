using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>The semantics the README promises for ordinary C# declarations.</summary>
public sealed class OrdinaryDeclarationTests
{
    private readonly CookieSessionStorage _storage = new(new CookieSessionOptions { Name = "session", Secrets = ["ordinary-tests-secret-0123456789abcdefghij"] });

    private async Task<OrdinarySession> RoundTrip(OrdinarySession session)
        => await OrdinarySession.LoadAsync(_storage, (await session.CommitAsync())!.Split(';')[0]);

    [Fact]
    public async Task A_non_nullable_value_key_reads_default_when_absent_and_stores_what_is_set_even_zero()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        Assert.Equal(0, session.Count);
        Assert.False(session.HasCount);
        Assert.Equal(Theme.Light, session.Theme);
        Assert.Equal(default, session.Window);

        session.Count = 0;
        session.Agreed = false;
        session.Theme = Theme.Dark;
        session.Window = new Dimensions(800, 600);
        Assert.True(session.HasCount);

        var next = await RoundTrip(session);
        Assert.True(next.HasCount);
        Assert.Equal(0, next.Count);
        Assert.True(next.HasAgreed);
        Assert.Equal(Theme.Dark, next.Theme);
        Assert.Equal(new Dimensions(800, 600), next.Window);

        next.UnsetCount();
        Assert.False(next.HasCount);
        Assert.False((await RoundTrip(next)).HasCount);
    }

    [Fact]
    public async Task A_non_nullable_flash_key_lives_for_one_more_request()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.Saved = 3;
        var next = await RoundTrip(session);
        Assert.Equal(3, next.Saved);
        var after = await RoundTrip(next);
        Assert.False(after.HasSaved);
        Assert.Equal(0, after.Saved);
    }

    [Fact]
    public async Task Keywords_required_members_and_less_visible_types_round_trip()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.@event = "launch";
        session.Account = new Account { Login = "ada", DisplayName = "Ada" };
        session.Invite = new Invite("code-1");
        session.Lines = [new InternalLine("a", 1)];

        var next = await RoundTrip(session);
        Assert.Equal("launch", next.@event);
        Assert.Equal("ada", next.Account!.Login);
        Assert.Equal("Ada", next.Account.DisplayName);
        Assert.Equal("code-1", next.Invite!.Code);
        Assert.Equal([new InternalLine("a", 1)], next.Lines);

        var hidden = await HiddenSession.LoadAsync(_storage, null);
        hidden.HiddenValue = "psst";
        Assert.True(hidden.HiddenIsInStore);
        var cookie = (await hidden.CommitAsync())!.Split(';')[0];
        Assert.Equal("psst", (await HiddenSession.LoadAsync(_storage, cookie)).HiddenValue);
        Assert.Null(typeof(HiddenSession).GetProperty("Store")); // not public: its Value cases expose a private type
    }

    [Fact]
    public async Task Keys_differing_only_in_nullable_annotations_share_one_union_case()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.Tags = ["a"];
        session.MaybeTags = [null, "b"];
        Assert.IsType<OrdinarySession.Value.ListOfString>(session.Store.Get("tags"));
        Assert.IsType<OrdinarySession.Value.ListOfString>(session.Store.Get("maybeTags"));
        OrdinarySession.Value value = new List<string?> { "c" };
        session.Store.Set("tags", value);
        Assert.Equal(["c"], (await RoundTrip(session)).Tags);
    }

    [Fact]
    public async Task Types_whose_display_names_mangle_alike_get_helpers_of_their_own()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.ListOfArrays = [[1, 2], [3]];
        session.ArrayOfLists = [[4], [5, 6]];
        var next = await RoundTrip(session);
        Assert.Equal([[1, 2], [3]], next.ListOfArrays!);
        Assert.Equal([[4], [5, 6]], next.ArrayOfLists!);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task A_non_finite_number_is_refused_with_the_library_s_error_naming_the_key(double number)
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.Ratio = 0.5;
        var error = Assert.Throws<SessionValueNotStorableException>(() => session.Ratio = number);
        Assert.Contains("'ratio'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0.5, session.Ratio);

        // The same for a value changed in place: the commit refuses and nothing is lost.
        session.Readings = [1.5];
        session.Readings.Add(number);
        // Asking does not throw: the change is there, and the commit reports it.
        Assert.True(session.IsDirty);
        var atCommit = await Assert.ThrowsAsync<SessionValueNotStorableException>(async () => await session.CommitAsync());
        Assert.Contains("'readings'", atCommit.Message, StringComparison.Ordinal);
        session.Readings.RemoveAt(1);
        var next = await RoundTrip(session);
        Assert.Equal([1.5], next.Readings!);
        Assert.Equal(0.5, next.Ratio);
    }

    [Fact]
    public async Task A_constructor_parameter_missing_from_stored_JSON_takes_its_default_value()
    {
        // A deploy added Quantity, Label, Theme and Price with defaults: sessions written before still read.
        var untyped = await SessionStore.LoadAsync(_storage, null);
        untyped.Set("versioned", JsonSessionValue.Parse("""{"Name":"n"}"""));
        var cookie = (await untyped.CommitAsync())!.Split(';')[0];
        var session = await OrdinarySession.LoadAsync(_storage, cookie);
        Assert.Equal(new Versioned("n", 5, "none", Theme.Dark, 1.5m), session.Versioned);
    }

    [Fact]
    public async Task A_recursive_type_round_trips_and_an_object_cycle_is_refused_instead_of_overflowing_the_stack()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.Menu = new MenuNode { Title = "root", Children = [new MenuNode { Title = "a", Children = [new MenuNode { Title = "a1" }] }], Next = new MenuNode { Title = "next" } };
        var next = await RoundTrip(session);
        Assert.Equal("a1", next.Menu!.Children[0].Children[0].Title);
        Assert.Equal("next", next.Menu.Next!.Title);

        var cyclic = new MenuNode { Title = "loop" };
        cyclic.Next = cyclic;
        var error = Assert.Throws<SessionValueNotStorableException>(() => next.Menu = cyclic);
        Assert.Contains("'menu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("64 or more levels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("next", 62)]
    [InlineData("next", 63)]
    [InlineData("next", 64)]
    [InlineData("next", 65)]
    [InlineData("children", 31)]
    [InlineData("children", 32)]
    [InlineData("children", 33)]
    public async Task The_depth_limit_is_System_Text_Json_s_exactly(string shape, int levels)
    {
        // Around the limit: stored byte for byte as System.Text.Json writes it, or refused where it refuses (no value
        // but null inside 64 open objects or arrays; an empty list at the bottom is fine).
        var root = new MenuNode { Title = "0" };
        var current = root;
        for (var i = 1; i < levels; i++)
        {
            var child = new MenuNode { Title = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            if (shape == "next")
            {
                current.Next = child;
            }
            else
            {
                current.Children = [child];
            }

            current = child;
        }

        string? expected;
#pragma warning disable IL2026, IL3050 // System.Text.Json's own (reflection-based) answer, for comparison; test assemblies are never trimmed
        try
        {
            expected = System.Text.Json.JsonSerializer.Serialize(root);
        }
        catch (System.Text.Json.JsonException)
        {
            expected = null;
        }
#pragma warning restore IL2026, IL3050

        var session = await OrdinarySession.LoadAsync(_storage, null);
        if (expected is null)
        {
            Assert.Throws<SessionValueNotStorableException>(() => session.Menu = root);
            Assert.False(session.HasMenu);
            return;
        }

        session.Menu = root;
        var untyped = await SessionStore.LoadAsync(_storage, (await session.CommitAsync())!.Split(';')[0]);
        Assert.Equal(expected, untyped.Get("menu")!.ToString());
    }

    [Fact]
    public async Task An_internal_JsonConstructor_is_used_and_TimeOnly_is_stored_as_System_Text_Json_writes_it()
    {
        var session = await OrdinarySession.LoadAsync(_storage, null);
        session.Internal = new InternalCtor(4);
        session.Opening = new TimeOnly(9, 30);
        var cookie = (await session.CommitAsync())!.Split(';')[0];
        var untyped = await SessionStore.LoadAsync(_storage, cookie);
        Assert.Equal("\"09:30:00\"", untyped.Get("opening")!.ToString()); // what JsonSerializer.Serialize(new TimeOnly(9, 30)) writes
        var next = await OrdinarySession.LoadAsync(_storage, cookie);
        Assert.Equal(4, next.Internal!.Value);
        Assert.Equal(new TimeOnly(9, 30), next.Opening);
    }
}
