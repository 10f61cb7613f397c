using System.Text.Json.Nodes;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class SessionStoreFlashTests
{
    private readonly CookieSessionStorage _storage = new(TestSecrets.Cookie());
    private readonly Browser _browser = new();

    private async Task<SessionStore<JsonSessionValue>> NextRequest() => await SessionStore.LoadAsync(_storage, _browser.CookieHeader);

    private async Task Commit(SessionStore<JsonSessionValue> store) => _browser.Receive(await store.CommitAsync());

    [Fact]
    public async Task Flash_is_readable_in_the_same_request_and_the_next_then_gone_on_the_third()
    {
        var first = await NextRequest();
        first.Flash("notice", "Saved!");
        Assert.Equal("Saved!", (string?)first.Get("notice"));
        await Commit(first);

        var second = await NextRequest();
        Assert.Equal("Saved!", (string?)second.Get("notice"));
        Assert.True(second.IsFlash("notice"));
        await Commit(second);

        var third = await NextRequest();
        Assert.False(third.Has("notice"));
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("JSON over memory")]
    public async Task A_consumed_flash_stays_readable_for_the_whole_request_after_the_commit_and_is_never_written_again(string kind)
    {
        // An integration commits as the response starts; a page that streams reads its flash after that.
        var overMemory = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() }));
        Func<string?, ValueTask<SessionStore<JsonSessionValue>>> load = kind == "cookie"
            ? header => SessionStore.LoadAsync(_storage, header)
            : header => SessionStore.LoadAsync(overMemory, header);
        var browser = new Browser();
        var first = await load(browser.CookieHeader);
        first.Set("user", "ada");
        first.Flash("notice", "Saved!");
        browser.Receive(await first.CommitAsync());

        var second = await load(browser.CookieHeader);
        browser.Receive(await second.CommitAsync());
        Assert.True(second.Has("notice"));
        Assert.Equal("Saved!", (string?)second.Get("notice"));
        Assert.True(second.TryGet("notice", out var value) && (string?)value == "Saved!");
        Assert.True(second.IsFlash("notice"));
        Assert.Equal(["notice", "user"], second.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, second.Count);
        Assert.False(second.IsDirty);
        var inspection = second.Inspect();
        Assert.Equal(["notice", "user"], inspection.Entries.Select(e => e.Key));
        Assert.Equal(SessionFlashState.RemovedByThisRequest, inspection.Entries[0].Flash);
        Assert.Equal(SessionFlashState.Persistent, inspection.Entries[1].Flash);

        // A later change in the same request commits without the consumed flash.
        second.Set("visits", 2);
        browser.Receive(await second.CommitAsync());
        Assert.Equal("Saved!", (string?)second.Get("notice"));

        var third = await load(browser.CookieHeader);
        Assert.False(third.Has("notice"));
        Assert.Equal(2, (int)third.Get("visits")!);
        Assert.Equal("ada", (string?)third.Get("user"));
    }

    [Fact]
    public async Task On_the_memory_storage_a_consumed_flash_stays_readable_after_the_commit_too()
    {
        var storage = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() });
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        var notice = new object();
        first.Flash("notice", notice);
        browser.Receive(await first.CommitAsync());

        var second = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        browser.Receive(await second.CommitAsync());
        Assert.True(ReferenceEquals(notice, second.Get("notice")));
        Assert.True(second.Has("notice"));
        Assert.False((await SessionStore.LoadAsync(storage, browser.CookieHeader)).Has("notice"));
    }

    [Fact]
    public async Task After_the_commit_that_consumed_a_flash_set_unset_and_keep_still_apply_to_it()
    {
        var first = await NextRequest();
        first.Flash("a", "one");
        first.Flash("b", "two");
        first.Flash("c", "three");
        await Commit(first);

        var second = await NextRequest();
        await Commit(second);
        second.Set("a", "persistent");
        second.Unset("b");
        second.Keep("c");
        Assert.False(second.Has("b"));
        Assert.Equal("three", (string?)second.Get("c"));
        Assert.True(second.IsDirty);
        await Commit(second);

        var third = await NextRequest();
        Assert.Equal("persistent", (string?)third.Get("a"));
        Assert.False(third.IsFlash("a"));
        Assert.False(third.Has("b"));
        Assert.Equal("three", (string?)third.Get("c"));
        Assert.True(third.IsFlash("c"));
        await Commit(third);

        var fourth = await NextRequest();
        Assert.False(fourth.Has("c"));
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    [InlineData("JSON over memory")]
    public async Task A_second_commit_in_one_request_keeps_a_flash_and_puts_back_a_removed_value(string kind)
    {
        // Storages that write only what changed compare with what the last commit wrote, not with the load: the
        // value put back (the very instance loaded) and the flash kept after its commit are written.
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() });
        var overMemory = JsonSessionStorage.OverObjects(memory);
        var browser = new Browser();
        if (kind == "memory")
        {
            var shared = new List<int> { 1 };
            var first = await SessionStore.LoadAsync(memory, browser.CookieHeader);
            first.Set("saved", shared);
            first.Flash("notice", "Saved!");
            browser.Receive(await first.CommitAsync());

            var request = await SessionStore.LoadAsync(memory, browser.CookieHeader);
            var loaded = request.Get("saved");
            request.Unset("saved");
            browser.Receive(await request.CommitAsync());
            request.Keep("notice");
            request.Set("saved", loaded);
            browser.Receive(await request.CommitAsync());

            var next = await SessionStore.LoadAsync(memory, browser.CookieHeader);
            Assert.Same(shared, next.Get("saved"));
            Assert.Equal("Saved!", next.Get("notice"));
            Assert.True(next.IsFlash("notice"));
            browser.Receive(await next.CommitAsync());
            Assert.False((await SessionStore.LoadAsync(memory, browser.CookieHeader)).Has("notice"));
            return;
        }

        Func<string?, ValueTask<SessionStore<JsonSessionValue>>> load = kind == "cookie"
            ? header => SessionStore.LoadAsync(_storage, header)
            : header => SessionStore.LoadAsync(overMemory, header);
        var firstJson = await load(browser.CookieHeader);
        firstJson.Set("saved", "value");
        firstJson.Flash("notice", "Saved!");
        browser.Receive(await firstJson.CommitAsync());

        var requestJson = await load(browser.CookieHeader);
        var loadedJson = requestJson.Get("saved")!;
        requestJson.Unset("saved");
        browser.Receive(await requestJson.CommitAsync());
        requestJson.Keep("notice");
        requestJson.Set("saved", loadedJson);
        browser.Receive(await requestJson.CommitAsync());

        var nextJson = await load(browser.CookieHeader);
        Assert.Equal("value", (string?)nextJson.Get("saved"));
        Assert.Equal("Saved!", (string?)nextJson.Get("notice"));
        Assert.True(nextJson.IsFlash("notice"));
        browser.Receive(await nextJson.CommitAsync());
        Assert.False((await load(browser.CookieHeader)).Has("notice"));
    }

    [Fact]
    public async Task On_the_memory_storage_a_second_commit_compares_with_the_first_also_when_the_session_expired_meanwhile()
    {
        // The first commit stores the session whole again (it expired while the request ran); the second one must
        // compare with that, not with the load: the flash kept after its commit is written.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie(), IdleTimeout = TimeSpan.FromMinutes(20) }, timeProvider: clock);
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(memory, browser.CookieHeader);
        var notice = new object();
        first.Flash("notice", notice);
        browser.Receive(await first.CommitAsync());

        var request = await SessionStore.LoadAsync(memory, browser.CookieHeader);
        clock.Advance(TimeSpan.FromMinutes(21));
        var concurrent = await SessionStore.LoadAsync(memory, browser.CookieHeader); // finds it expired: removed
        Assert.Equal(0, concurrent.Count);
        browser.Receive(await request.CommitAsync());
        request.Keep("notice");
        browser.Receive(await request.CommitAsync());

        var next = await SessionStore.LoadAsync(memory, browser.CookieHeader);
        Assert.True(ReferenceEquals(notice, next.Get("notice")));
        Assert.True(next.IsFlash("notice"));
    }

    [Fact]
    public async Task A_store_sealed_before_it_consumed_its_flashes_reads_them_absent_and_leaves_them_for_the_next_request()
    {
        // A session first loaded once the response has started is sealed at once: it cannot consume, so it does not
        // show the flash either (else the next request would show it a second time).
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        first.Set("user", "ada");
        first.Flash("notice", "Saved!");
        browser.Receive(await first.CommitAsync());

        var late = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        late.Seal("the response has started");
        Assert.False(late.Has("notice"));
        Assert.Null(late.Get("notice"));
        Assert.False(late.IsFlash("notice"));
        Assert.Equal("ada", (string?)late.Get("user"));
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1006 && e.Message.Contains("notice", StringComparison.Ordinal));

        var next = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.Equal("Saved!", (string?)next.Get("notice"));
        browser.Receive(await next.CommitAsync());
        Assert.False((await SessionStore.LoadAsync(storage, browser.CookieHeader)).Has("notice"));
    }

    [Fact]
    public async Task Flash_is_removed_by_the_next_commit_even_if_it_was_never_read()
    {
        var first = await NextRequest();
        first.Set("user", "ada");
        first.Flash("notice", "Saved!");
        await Commit(first);

        var second = await NextRequest();
        Assert.True(second.IsDirty);
        await Commit(second);

        var third = await NextRequest();
        Assert.False(third.Has("notice"));
        Assert.Equal("ada", (string?)third.Get("user"));
    }

    [Fact]
    public async Task A_key_flashed_again_in_the_request_that_consumes_it_survives_one_more_request()
    {
        var first = await NextRequest();
        first.Flash("notice", "one");
        await Commit(first);

        var second = await NextRequest();
        Assert.Equal("one", (string?)second.Get("notice"));
        second.Flash("notice", "two");
        await Commit(second);

        var third = await NextRequest();
        Assert.Equal("two", (string?)third.Get("notice"));
        await Commit(third);

        var fourth = await NextRequest();
        Assert.False(fourth.Has("notice"));
    }

    [Fact]
    public async Task Keep_keeps_a_flash_for_exactly_one_more_request()
    {
        var first = await NextRequest();
        first.Flash("notice", "kept");
        await Commit(first);

        var second = await NextRequest();
        second.Keep("notice");
        await Commit(second);

        var third = await NextRequest();
        Assert.Equal("kept", (string?)third.Get("notice"));
        await Commit(third);

        var fourth = await NextRequest();
        Assert.False(fourth.Has("notice"));
    }

    [Fact]
    public async Task Setting_a_flashed_key_makes_it_persistent()
    {
        var first = await NextRequest();
        first.Flash("theme", "dark");
        await Commit(first);

        var second = await NextRequest();
        second.Set("theme", "light");
        await Commit(second);

        var third = await NextRequest();
        await Commit(third);
        var fourth = await NextRequest();
        Assert.Equal("light", (string?)fourth.Get("theme"));
    }

    [Fact]
    public async Task Unset_removes_a_flash_and_a_persistent_value()
    {
        var first = await NextRequest();
        first.Flash("notice", "x");
        first.Set("user", "ada");
        await Commit(first);

        var second = await NextRequest();
        second.Unset("notice");
        second.Unset("user");
        await Commit(second);

        var third = await NextRequest();
        Assert.Equal(0, third.Count);
    }

    [Fact]
    public async Task Commit_with_nothing_changed_and_no_flash_consumed_returns_null()
    {
        var first = await NextRequest();
        Assert.False(first.IsDirty);
        Assert.Null(await first.CommitAsync());

        first.Set("user", "ada");
        Assert.True(first.IsDirty);
        await Commit(first);
        Assert.False(first.IsDirty);
        Assert.Null(await first.CommitAsync());

        var second = await NextRequest();
        Assert.Equal("ada", (string?)second.Get("user"));
        Assert.False(second.IsDirty);
        Assert.Null(await second.CommitAsync());
    }

    [Fact]
    public async Task Keep_of_a_key_that_is_not_a_consumed_flash_changes_nothing()
    {
        var first = await NextRequest();
        first.Keep("nothing");
        Assert.False(first.IsDirty);
        Assert.Null(await first.CommitAsync());
    }

    [Fact]
    public async Task Get_returns_default_for_a_missing_key_and_TryGet_tells_it_apart_from_a_stored_null()
    {
        var store = await NextRequest();
        store.Set("nothing", JsonSessionValue.Null);
        Assert.Null(store.Get("missing"));
        Assert.False(store.TryGet("missing", out _));
        Assert.True(store.TryGet("nothing", out var value));
        Assert.Equal(JsonSessionValue.Null, value);
        Assert.Null((string?)value);
        Assert.True(store.Has("nothing"));
    }

    [Fact]
    public async Task Destroy_expires_the_cookie_and_later_requests_are_anonymous()
    {
        var first = await NextRequest();
        first.Set("user", "ada");
        await Commit(first);

        var second = await NextRequest();
        var header = await second.DestroyAsync();
        Assert.Contains("Max-Age=0", header);
        _browser.Receive(header);
        Assert.Null(_browser.CookieHeader);
    }

    [Fact]
    public async Task Values_set_after_destroy_start_a_new_session()
    {
        var first = await NextRequest();
        first.Set("user", "ada");
        await Commit(first);

        var second = await NextRequest();
        second.Destroy();
        second.Flash("notice", "Signed out");
        await Commit(second);

        var third = await NextRequest();
        Assert.False(third.Has("user"));
        Assert.Equal("Signed out", (string?)third.Get("notice"));
    }

    [Fact]
    public async Task A_commit_that_throws_for_size_keeps_the_consumed_flash_in_the_store()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "s", Secrets = [TestSecrets.Current], MaxCookieSize = 1024 });
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Flash("notice", "hello");
        browser.Receive(await first.CommitAsync());

        var second = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        second.Set("big", new string('x', 2000));
        await Assert.ThrowsAsync<SessionTooLargeException>(async () => await second.CommitAsync());
        Assert.Equal("hello", (string?)second.Get("notice"));
        Assert.Equal(2000, ((string?)second.Get("big"))!.Length);

        second.Unset("big");
        browser.Receive(await second.CommitAsync());
        var third = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.False(third.Has("notice"));
    }
}
