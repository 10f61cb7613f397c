using Microsoft.Extensions.Time.Testing;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class MemorySessionStorageTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    private MemorySessionStorage Create(int maxSessions = 1000, TimeSpan? idle = null, TimeSpan? lifetime = null, ListLogger<MemorySessionStorage>? logger = null)
        => MemoryStorages.Create(_clock, maxSessions, idle ?? TimeSpan.FromMinutes(20), lifetime ?? TimeSpan.FromHours(8), logger);

    private static Task<string> NewSession(MemorySessionStorage storage, string key, object? value) => MemoryStorages.NewSession(storage, key, value);

    [Fact]
    public async Task Reading_returns_the_very_same_instance_that_was_stored()
    {
        var storage = Create();
        var stream = new MemoryStream([1, 2, 3]);
        var header = await NewSession(storage, "stream", stream);
        var loaded = await SessionStore.LoadAsync(storage, header);
        Assert.Same(stream, loaded.Get("stream"));
    }

    [Fact]
    public async Task The_cookie_carries_only_an_encrypted_id_not_the_content()
    {
        var storage = Create();
        var header = await NewSession(storage, "secret", new string('s', 5000));
        Assert.True(header.Length < 200, header);
        Assert.DoesNotContain("sss", header);
    }

    [Fact]
    public async Task A_session_idle_past_the_timeout_is_gone_and_activity_slides_it()
    {
        var storage = Create(idle: TimeSpan.FromMinutes(10));
        var header = await NewSession(storage, "user", "ada");
        for (var i = 0; i < 5; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(9));
            Assert.True((await SessionStore.LoadAsync(storage, header)).Has("user"));
        }

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.False((await SessionStore.LoadAsync(storage, header)).Has("user"));
        Assert.Equal(0, storage.Count);
    }

    [Fact]
    public async Task A_session_past_its_absolute_lifetime_is_gone_however_active()
    {
        var storage = Create(idle: TimeSpan.FromMinutes(10), lifetime: TimeSpan.FromMinutes(30));
        var header = await NewSession(storage, "user", "ada");
        for (var i = 0; i < 3; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(9));
            var store = await SessionStore.LoadAsync(storage, header);
            Assert.True(store.Has("user"));
            store.Set("tick", i);
            await store.CommitAsync();
        }

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False((await SessionStore.LoadAsync(storage, header)).Has("user"));
    }

    [Fact]
    public async Task When_full_new_sessions_are_evicted_before_sessions_that_came_back()
    {
        var logger = new ListLogger<MemorySessionStorage>();
        var storage = Create(maxSessions: 30, logger: logger);
        for (var i = 0; i < 30; i++)
        {
            await NewSession(storage, "anonymous", i); // a storage in use: full of one-request sessions
        }

        var first = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            // Ten users who come back: their sessions leave probation.
            first.Add(await NewSession(storage, "n", i));
            Assert.True((await SessionStore.LoadAsync(storage, first[^1])).Has("n"));
        }

        // Sixty new sessions arrive (a crawler, say): the storage stays bounded and evicts among the new ones.
        for (var i = 0; i < 60; i++)
        {
            await NewSession(storage, "n", i);
            Assert.True(storage.Count <= 30);
        }

        foreach (var returning in first.Take(10))
        {
            Assert.True((await SessionStore.LoadAsync(storage, returning)).Has("n"), "a session that came back was evicted");
        }

        Assert.Contains(logger.Entries, e => e.EventId.Id == 1102);
    }

    [Fact]
    public async Task Requests_that_only_read_create_no_records()
    {
        var storage = Create();
        for (var i = 0; i < 50; i++)
        {
            var store = await SessionStore.LoadAsync(storage, null);
            Assert.Null(await store.CommitAsync());
        }

        Assert.Equal(0, storage.Count);
    }

    [Fact]
    public async Task RegenerateId_moves_the_data_to_a_new_id_and_deletes_the_old_record()
    {
        var storage = Create();
        var before = await NewSession(storage, "cart", "3 items");
        var store = await SessionStore.LoadAsync(storage, before);
        store.RegenerateId();
        store.Set("user", "ada");
        var after = (await store.CommitAsync())!.Split(';')[0];

        Assert.NotEqual(before, after);
        Assert.Equal(1, storage.Count);
        var oldSession = await SessionStore.LoadAsync(storage, before);
        Assert.Equal(0, oldSession.Count);
        var newSession = await SessionStore.LoadAsync(storage, after);
        Assert.Equal("3 items", newSession.Get("cart"));
        Assert.Equal("ada", newSession.Get("user"));
    }

    [Fact]
    public async Task A_new_session_committed_and_then_given_a_new_id_in_the_same_request_retires_the_first_record()
    {
        var storage = Create();
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("cart", "1 item");
        var early = (await store.CommitAsync())!.Split(';')[0];
        store.RegenerateId();
        var late = (await store.CommitAsync())!.Split(';')[0];

        Assert.NotEqual(early, late);
        Assert.Equal(1, storage.Count);
        Assert.Equal(1, storage.RetiredIdCount);
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, early)).Count);
        Assert.Equal("1 item", (await SessionStore.LoadAsync(storage, late)).Get("cart"));

        // A visitor with nothing stored signing in: one record, the new one.
        var visitor = await SessionStore.LoadAsync(storage, null);
        visitor.RegenerateId();
        visitor.Set("user", "ada");
        var signedIn = (await visitor.CommitAsync())!.Split(';')[0];
        Assert.Equal(2, storage.Count);
        Assert.Equal(1, storage.RetiredIdCount); // nothing to remember for an id that was never stored
        Assert.Equal("ada", (await SessionStore.LoadAsync(storage, signedIn)).Get("user"));
    }

    [Fact]
    public async Task Destroy_removes_the_server_record_and_expires_the_cookie()
    {
        var storage = Create();
        var header = await NewSession(storage, "user", "ada");
        var store = await SessionStore.LoadAsync(storage, header);
        var setCookie = await store.DestroyAsync();
        Assert.Contains("sid=;", setCookie);
        Assert.Contains("Max-Age=0", setCookie);
        Assert.Equal(0, storage.Count);
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, header)).Count);
    }

    [Fact]
    public async Task Concurrent_sessions_from_many_threads_each_keep_their_own_data()
    {
        var storage = Create(maxSessions: 10_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(worker => Task.Run(async () =>
        {
            var browser = new Browser();
            for (var i = 0; i < 50; i++)
            {
                var store = await SessionStore.LoadAsync(storage, browser.CookieHeader);
                var count = store.Get("count") is int n ? n : 0;
                store.Set("count", count + 1);
                store.Set("owner", worker);
                browser.Receive(await store.CommitAsync());
            }

            var final = await SessionStore.LoadAsync(storage, browser.CookieHeader);
            return (worker, owner: (int)final.Get("owner")!, count: (int)final.Get("count")!);
        })));

        Assert.All(results, r =>
        {
            Assert.Equal(r.worker, r.owner);
            Assert.Equal(50, r.count);
        });
        Assert.Equal(64, storage.Count);
    }

    [Fact]
    public async Task A_store_mutated_by_one_request_does_not_leak_into_another_before_commit()
    {
        var storage = Create();
        var header = await NewSession(storage, "n", 1);
        var first = await SessionStore.LoadAsync(storage, header);
        var second = await SessionStore.LoadAsync(storage, header);
        first.Set("n", 2);
        Assert.Equal(1, second.Get("n"));
        await first.CommitAsync();
        Assert.Equal(2, (await SessionStore.LoadAsync(storage, header)).Get("n"));
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie(), MaxSessions = 0 }));
        Assert.Throws<ArgumentException>(() => new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie(), IdleTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new MemorySessionStorage(new MemorySessionOptions()));

        // Too long to add to a date (it made every commit throw): at most 100 years.
        Assert.Equal("IdleTimeout", Assert.Throws<ArgumentException>(() => new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie(), IdleTimeout = TimeSpan.MaxValue })).ParamName);
        Assert.Equal("AbsoluteLifetime", Assert.Throws<ArgumentException>(() => new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie(), AbsoluteLifetime = TimeSpan.FromDays(3_650_000) })).ParamName);
    }

    [Fact]
    public async Task A_request_that_loaded_a_session_before_it_was_destroyed_cannot_bring_it_back()
    {
        var storage = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie("sid") });
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        var stale = await SessionStore.LoadAsync(storage, cookie);   // a slow request, loaded before the sign-out
        var signOut = await SessionStore.LoadAsync(storage, cookie);
        signOut.RegenerateId();                                        // or Destroy: both retire the old id
        signOut.Set("user", "grace");
        var newCookie = (await signOut.CommitAsync())!.Split(';')[0];

        stale.Set("cart", "1 item");
        Assert.Null(await stale.CommitAsync()); // nothing written, no cookie sent
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
        Assert.Equal(1, storage.Count);
        Assert.Equal("grace", (string?)(await SessionStore.LoadAsync(storage, newCookie)).Get("user"));
    }

    [Fact]
    public async Task The_id_cookie_is_sent_only_when_it_changes_or_needs_renewal()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var storage = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie("sid"), IdleTimeout = TimeSpan.FromDays(30) }, timeProvider: clock);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0]; // a new session: its cookie is sent

        var change = await SessionStore.LoadAsync(storage, cookie);
        change.Set("cart", "1 item");
        Assert.Null(await change.CommitAsync()); // saved on the server; the client's cookie already says this id
        Assert.Equal("1 item", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("cart"));

        clock.Advance(TimeSpan.FromDays(8)); // past half the cookie's 14-day MaxAge: renewal due
        var renewing = await SessionStore.LoadAsync(storage, cookie);
        renewing.Set("cart", "2 items");
        var renewed = await renewing.CommitAsync();
        Assert.NotNull(renewed);
        Assert.StartsWith("sid=", renewed, StringComparison.Ordinal);

        var signIn = await SessionStore.LoadAsync(storage, renewed.Split(';')[0]);
        signIn.RegenerateId();
        Assert.NotNull(await signIn.CommitAsync()); // a new id is always sent
    }

    [Fact]
    public async Task A_flood_of_new_sessions_does_not_evict_a_session_used_every_thousand_requests()
    {
        var storage = Create(maxSessions: 100_000, idle: TimeSpan.FromDays(1), lifetime: TimeSpan.FromDays(2));
        var active = await NewSession(storage, "user", "ada");
        for (var i = 1; i <= 150_000; i++)
        {
            var anonymous = await SessionStore.LoadAsync(storage, null);
            anonymous.Set("visit", i);
            await anonymous.CommitAsync();
            if (i % 1_000 == 0)
            {
                Assert.True((await SessionStore.LoadAsync(storage, active)).Has("user"), $"evicted after {i} new sessions");
            }
        }

        Assert.True(storage.Count <= 100_000);
    }

    [Fact]
    public async Task A_flood_of_new_sessions_on_a_freshly_started_storage_does_not_evict_a_user_who_came_back()
    {
        // The storage has never been full: the cache's own scan resistance only starts once it has been.
        var logger = new ListLogger<MemorySessionStorage>();
        var storage = Create(maxSessions: 1_000, logger: logger);
        var carol = await NewSession(storage, "user", "carol");
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await SessionStore.LoadAsync(storage, carol)).Has("user"));
        }

        for (var i = 0; i < 5_000; i++)
        {
            await NewSession(storage, "visit", i); // a crawler without cookies; carol is not loaded meanwhile
            Assert.True(storage.Count <= 1_000);
        }

        Assert.Equal("carol", (string?)(await SessionStore.LoadAsync(storage, carol)).Get("user"));

        // Thousands of evictions within a minute: one log entry, with the count, not one per request.
        var evicted = Assert.Single(logger.Entries, e => e.EventId.Id == 1102);
        Assert.Contains("sessions evicted since the last such entry", evicted.Message, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await NewSession(storage, "visit", -1);
        Assert.Equal(2, logger.Entries.Count(e => e.EventId.Id == 1102));
    }

    [Fact]
    public async Task Many_concurrent_sign_ins_beyond_MaxSessions_neither_fail_nor_lose_sessions()
    {
        // Each sign-in retires an id; more than MaxSessions retired ids make requests sweep them, concurrently.
        // Room enough that a signed-in session is not simply evicted by the others' churn before its own next load
        // (sign-ins go to the established part, whose hot and cold segments a fifth of it: 3,000 here).
        var storage = Create(maxSessions: 20_000);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 80_000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var cookie = await NewSession(storage, "visit", i);
            var signIn = await SessionStore.LoadAsync(storage, cookie);
            signIn.RegenerateId();
            signIn.Set("user", "u" + i);
            string? signedIn;
            try
            {
                signedIn = (await signIn.CommitAsync())!.Split(';')[0];
            }
            catch (Exception exception)
            {
                failures.Add(exception.GetType().Name + ": " + exception.Message);
                return;
            }

            if ((string?)(await SessionStore.LoadAsync(storage, signedIn)).Get("user") != "u" + i)
            {
                failures.Add($"session {i} lost right after its sign-in");
            }
        });

        Assert.Empty(failures);
        Assert.True(storage.RetiredIdCount <= 20_000 + 16);
    }

    [Fact]
    public async Task A_signed_out_session_stays_gone_when_more_sign_outs_than_MaxSessions_follow_within_the_idle_timeout()
    {
        var storage = Create(maxSessions: 10);
        var alice = await NewSession(storage, "user", "alice");
        var slow = await SessionStore.LoadAsync(storage, alice); // a slow request, loaded before the sign-out
        var signOut = await SessionStore.LoadAsync(storage, alice);
        signOut.Destroy();
        await signOut.CommitAsync();

        // Thirty other sign-outs: more retired ids than can be remembered, so alice's is dropped early.
        for (var i = 0; i < 30; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            var other = await SessionStore.LoadAsync(storage, await NewSession(storage, "user", i));
            other.Destroy();
            await other.CommitAsync();
        }

        Assert.True(storage.RetiredIdCount <= 10);
        slow.Set("cart", "1 item");
        Assert.Null(await slow.CommitAsync());
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, alice)).Count);

        // Sessions that exist still take their changes meanwhile.
        var bob = await NewSession(storage, "user", "bob");
        var loaded = await SessionStore.LoadAsync(storage, bob);
        loaded.Set("cart", "2 items");
        Assert.Null(await loaded.CommitAsync());
        Assert.Equal("2 items", (string?)(await SessionStore.LoadAsync(storage, bob)).Get("cart"));
    }

    [Fact]
    public async Task A_new_session_committed_twice_keeps_what_another_request_changed_in_between()
    {
        // A store that outlives its first commit (used directly, not through the integration): request B got the
        // cookie, loaded the session and changed another key before A's second commit.
        var storage = Create();
        var a = await SessionStore.LoadAsync(storage, null);
        a.Set("a1", "x");
        var cookie = (await a.CommitAsync())!.Split(';')[0];

        var b = await SessionStore.LoadAsync(storage, cookie);
        b.Set("b", "from B");
        await b.CommitAsync();

        a.Set("a2", "y");
        await a.CommitAsync();

        var later = await SessionStore.LoadAsync(storage, cookie);
        Assert.True(later.Has("b"), "B's change was lost");
        Assert.True(later.Has("a2"), "A's second change was lost");
    }

    [Fact]
    public async Task A_second_commit_of_a_new_session_cannot_bring_it_back_after_a_sign_out_whose_id_was_forgotten()
    {
        var storage = Create(maxSessions: 100);
        var a = await SessionStore.LoadAsync(storage, null);
        a.Set("user", "ada");
        var cookie = (await a.CommitAsync())!.Split(';')[0];

        var signOut = await SessionStore.LoadAsync(storage, cookie);
        await signOut.DestroyAsync();
        for (var i = 0; i < 101; i++)
        {
            var other = await NewSession(storage, "user", "u" + i);
            _clock.Advance(TimeSpan.FromSeconds(1));
            await (await SessionStore.LoadAsync(storage, other)).DestroyAsync();
        }

        a.Set("cart", "1 item");
        await a.CommitAsync();
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("user"), "the signed-out session came back");
    }

    [Fact]
    public async Task A_user_who_signs_in_during_a_flood_keeps_the_signed_in_session()
    {
        // The sign-in's new id is a new session to the storage; on probation, a flood of cookieless requests evicted it
        // before the user's next request.
        var storage = Create(maxSessions: 1_000);
        var cookie = await NewSession(storage, "cart", "1 item");
        var signIn = await SessionStore.LoadAsync(storage, cookie);
        signIn.RegenerateId();
        signIn.Set("user", "ada");
        var signedIn = (await signIn.CommitAsync())!.Split(';')[0];

        // Through the JSON adapter the schema's storages use too.
        var json = JsonSessionStorage.OverObjects(storage);
        var viaJson = await SessionStore.LoadAsync(json, null);
        viaJson.RegenerateId();
        viaJson.Set("user", "grace");
        var signedInViaJson = (await viaJson.CommitAsync())!.Split(';')[0];

        for (var i = 0; i < 5_000; i++)
        {
            await NewSession(storage, "visit", i);
        }

        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, signedIn)).Get("user"));
        Assert.True((await SessionStore.LoadAsync(json, signedInViaJson)).Has("user"), "signed in through JsonSessionStorage, evicted");
    }

    [Fact]
    public async Task Concurrent_commits_of_different_keys_all_survive()
    {
        var storage = Create();
        var cookie = await NewSession(storage, "user", "ada");
        var a = await SessionStore.LoadAsync(storage, cookie);
        var b = await SessionStore.LoadAsync(storage, cookie);
        a.Set("cart", "3 items");
        b.Set("theme", "dark");
        await a.CommitAsync();
        await b.CommitAsync();

        var after = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("3 items", (string?)after.Get("cart"));
        Assert.Equal("dark", (string?)after.Get("theme"));
        Assert.Equal("ada", (string?)after.Get("user"));

        // Many requests at once, each changing a key of its own.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            var store = await SessionStore.LoadAsync(storage, cookie);
            store.Set("key" + i, i);
            await store.CommitAsync();
        }));
        var all = await SessionStore.LoadAsync(storage, cookie);
        Assert.All(Enumerable.Range(0, 64), i => Assert.Equal(i, all.Get("key" + i)));
    }

    [Fact]
    public async Task Over_JSON_the_memory_storage_also_sends_its_cookie_only_when_needed()
    {
        var storage = JsonSessionStorage.OverObjects(Create());
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        var change = await SessionStore.LoadAsync(storage, cookie);
        change.Set("cart", "1 item");
        Assert.Null(await change.CommitAsync());
        Assert.Equal("1 item", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("cart"));
    }
}
