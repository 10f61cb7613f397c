using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary><see cref="SessionStore{TValue}.Inspect"/>: what development tools see, and that looking changes nothing.</summary>
public sealed class SessionInspectionTests
{
    private readonly CookieSessionStorage _storage = new(TestSecrets.Cookie());
    private readonly Browser _browser = new();

    private async Task<SessionStore<JsonSessionValue>> NextRequest() => await SessionStore.LoadAsync(_storage, _browser.CookieHeader);

    [Fact]
    public async Task A_new_session_has_no_times_and_no_entries()
    {
        var store = await NextRequest();
        var inspection = store.Inspect();
        Assert.Empty(inspection.Entries);
        Assert.Null(inspection.CreatedAt);
        Assert.Null(inspection.IdleExpiresAt);
        Assert.False(inspection.IsDirty);
    }

    [Fact]
    public async Task Entries_carry_json_size_and_which_request_removes_a_flash()
    {
        var first = await NextRequest();
        first.Set("user", "ada");
        first.Flash("notice", "Saved!");
        var during = first.Inspect();
        Assert.Equal(["notice", "user"], during.Entries.Select(e => e.Key));
        Assert.Equal(SessionFlashState.RemovedByNextRequest, during.Entries[0].Flash);
        Assert.Equal(SessionFlashState.Persistent, during.Entries[1].Flash);
        Assert.Equal("\"ada\"", during.Entries[1].Json);
        Assert.Equal(5, during.Entries[1].Size);
        _browser.Receive(await first.CommitAsync());

        var second = await NextRequest();
        var loaded = second.Inspect();
        Assert.Equal(SessionFlashState.RemovedByThisRequest, loaded.Entries.Single(e => e.Key == "notice").Flash);
        Assert.NotNull(loaded.CreatedAt);
        Assert.Equal(loaded.CreatedAt + new CookieSessionOptions().MaxAge, loaded.IdleExpiresAt);

        // Looking twice consumes nothing beyond what loading already scheduled.
        Assert.Equal(loaded.Entries, second.Inspect().Entries);
        Assert.True(second.Has("notice"));
    }

    [Fact]
    public async Task Object_values_are_described_not_serialized()
    {
        var storage = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() });
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("count", 3);
        store.Set("items", new List<int> { 1, 2 });
        store.Set("missing", null);
        var entries = store.Inspect().Entries;
        Assert.Equal("3", entries.Single(e => e.Key == "count").Json);
        Assert.Equal(1, entries.Single(e => e.Key == "count").Size);
        var items = entries.Single(e => e.Key == "items");
        Assert.Null(items.Json);
        Assert.Null(items.Size);
        Assert.StartsWith("List<Int32>: ", items.Display);
        Assert.Equal("null", entries.Single(e => e.Key == "missing").Json);
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task Values_set_after_destroy_start_a_session_whose_lifetime_begins_now(string kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var options = TestSecrets.Cookie();
        ISessionStorage<JsonSessionValue, object?> storage = kind == "cookie"
            ? JsonSessionStorage.Over(new CookieSessionStorage(options, timeProvider: clock))
            : JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = options }, timeProvider: clock));
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        first.Set("user", "ada");
        browser.Receive(await first.CommitAsync());
        var began = (await SessionStore.LoadAsync(storage, browser.CookieHeader)).Inspect().CreatedAt;
        Assert.Equal(clock.GetUtcNow(), began);

        clock.Advance(TimeSpan.FromHours(3));
        var signOut = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        signOut.Destroy();
        signOut.Flash("notice", "Signed out");
        browser.Receive(await signOut.CommitAsync());

        var after = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.Equal("Signed out", (string?)after.Get("notice"));
        Assert.False(after.Has("user"));
        Assert.Equal(clock.GetUtcNow(), after.Inspect().CreatedAt);

        // RegenerateId (sign-in) keeps the cookie's original start (what Inspect reports), so the cookie's absolute
        // lifetime is not extended; a server storage's new record counts its own AbsoluteLifetime from the sign-in (redis.md).
        clock.Advance(TimeSpan.FromHours(1));
        var signIn = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        var startedAt = signIn.Inspect().CreatedAt;
        signIn.RegenerateId();
        signIn.Set("user", "grace");
        browser.Receive(await signIn.CommitAsync());
        Assert.Equal(startedAt, (await SessionStore.LoadAsync(storage, browser.CookieHeader)).Inspect().CreatedAt);
    }
}
