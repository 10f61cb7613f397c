using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// The Redis storage's suite, run against a single <c>redis-server</c> (<see cref="RedisSessionStorageTests"/>) and
/// against a six-node Redis Cluster through StackExchange.Redis's cluster support (<see cref="RedisClusterSessionStorageTests"/>).
/// </summary>
public abstract class RedisSessionStorageSuite<TTarget>(TTarget redis) : IClassFixture<TTarget>, IDisposable
    where TTarget : class, IRedisTestTarget
{
    protected const string Secret = "redis-tests-secret-0123456789abcdefghijkl";
    protected readonly ConnectionMultiplexer _connection = redis.Connect();
    protected readonly string _prefix = "test:" + Guid.NewGuid().ToString("N")[..8] + ":";

    protected RedisSessionStorage Storage(Action<RedisSessionOptions>? configure = null, TimeProvider? clock = null, IConnectionMultiplexer? connection = null)
    {
        var options = new RedisSessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] }, KeyPrefix = _prefix };
        configure?.Invoke(options);
        return new RedisSessionStorage(connection ?? _connection, options, timeProvider: clock);
    }

    protected static string Cookie(string setCookie) => setCookie.Split(';')[0];

    protected IDatabase Db => _connection.GetDatabase();

    protected async Task<string> OnlyKey() => (await Keys()).Single();

    protected TTarget Redis => redis;

    /// <summary>The test's keys on every primary (one server, or each master of a cluster).</summary>
    protected async Task<string[]> Keys()
    {
        var keys = new List<string>();
        foreach (var server in _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: _prefix + "*"))
            {
                keys.Add(key!);
            }
        }

        return [.. keys];
    }

    public void Dispose() => _connection.Dispose();

    [Fact]
    public async Task In_place_changes_to_typed_values_are_saved_and_values_only_read_are_not_written()
    {
        var storage = Storage();
        var first = await RedisTrackedSession.LoadAsync(storage, null);
        first.Cart = [];
        first.Cart.Add(new CartLine("a", 1)); // mutating a value just assigned
        first.Counts = new() { ["views"] = 1 };
        first.Preferences = new Preferences { Theme = "dark" };
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();
        var prefsBefore = (string?)await Db.HashGetAsync(key, "k:preferences");
        Assert.Equal("{\"Theme\":\"dark\",\"Pinned\":[]}", prefsBefore);

        var second = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Same(second.Cart, second.Cart);
        second.Cart!.Add(new CartLine("b", 2));
        second.Counts!["views"] = 2;
        _ = second.Preferences!.Theme; // read, not changed
        Assert.True(second.IsDirty);
        await second.CommitAsync();
        Assert.Equal(prefsBefore, (string?)await Db.HashGetAsync(key, "k:preferences"));

        var third = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Equal([new CartLine("a", 1), new CartLine("b", 2)], third.Cart);
        Assert.Equal(2, third.Counts!["views"]);
        third.Preferences!.Pinned.Add("home");
        await third.CommitAsync();

        var fourth = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Equal(["home"], fourth.Preferences!.Pinned);
        _ = fourth.Cart!.Count + fourth.Counts!.Count + fourth.Visits;
        Assert.False(fourth.IsDirty);
        Assert.Null(await fourth.CommitAsync()); // a read-only request sends nothing
    }

    [Fact]
    public async Task Immutable_lists_and_integer_or_Guid_keyed_dictionaries_are_stored_as_System_Text_Json_writes_them_and_tracked()
    {
        var storage = Storage();
        var note = Guid.NewGuid();
        var first = await RedisTrackedSession.LoadAsync(storage, null);
        first.Saved = [new CartLine("s", 1)];
        first.Quantities = new() { [42] = 1, [-7] = 2 };
        first.Notes = new() { [note] = "gift" };
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Quantities, RedisTestJson.Default.DictionaryInt32Int32), (string?)await Db.HashGetAsync(key, "k:quantities"));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Notes, RedisTestJson.Default.DictionaryGuidString), (string?)await Db.HashGetAsync(key, "k:notes"));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Saved, RedisTestJson.Default.ImmutableListCartLine), (string?)await Db.HashGetAsync(key, "k:saved"));

        // An in-place change to the dictionary is saved; the immutable list, only read, is not sent again.
        await Db.HashSetAsync(key, "k:saved", "[{\"Sku\":\"s\", \"Quantity\":1}]");
        var second = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Equal([new CartLine("s", 1)], second.Saved);
        second.Quantities![42]++;
        second.Quantities[5] = 1;
        await second.CommitAsync();
        Assert.Equal("[{\"Sku\":\"s\", \"Quantity\":1}]", (string?)await Db.HashGetAsync(key, "k:saved"));

        var third = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Equal(new Dictionary<int, int> { [42] = 2, [-7] = 2, [5] = 1 }, third.Quantities);
        Assert.Equal("gift", third.Notes![note]);
        _ = third.Saved!.Count + third.Quantities!.Count + third.Notes.Count;
        Assert.Null(await third.CommitAsync());
    }

    [Fact]
    public async Task A_change_made_by_a_method_of_a_type_without_setters_is_saved_and_a_read_that_fills_in_a_varying_member_sends_nothing()
    {
        var storage = Storage();
        var first = await RedisHiddenStateSession.LoadAsync(storage, null);
        first.Tally = new Tally(1);
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();
        // A reminder stored before its type gained Created (= DateTime.UtcNow).
        await Db.HashSetAsync(key, "k:reminder", "{\"Text\":\"call\"}");

        var second = await RedisHiddenStateSession.LoadAsync(storage, cookie);
        second.Tally!.Add();
        Assert.True(second.IsDirty);
        await second.CommitAsync();
        Assert.Equal("{\"Count\":2}", (string?)await Db.HashGetAsync(key, "k:tally"));

        // Request 1 only reads the reminder (its Created filled in by the clock) and sets another key; meanwhile request
        // 2 changes the reminder and commits first: request 1 must not write its reading back over that change.
        var reader = await RedisHiddenStateSession.LoadAsync(storage, cookie);
        Assert.Equal("call", reader.Reminder!.Text);
        _ = reader.Tally!.Count;
        reader.Visits = 1;
        var writer = await RedisHiddenStateSession.LoadAsync(storage, cookie);
        writer.Reminder!.Text = "call back";
        await writer.CommitAsync();
        await reader.CommitAsync();

        var after = await RedisHiddenStateSession.LoadAsync(storage, cookie);
        Assert.Equal("call back", after.Reminder!.Text);
        Assert.Equal(2, after.Tally!.Count);
        Assert.Equal(1, after.Visits);
        Assert.False(after.IsDirty);
        Assert.Null(await after.CommitAsync());
    }

    [Fact]
    public async Task A_request_that_only_reads_a_value_stored_by_an_earlier_version_of_its_type_does_not_undo_a_concurrent_change()
    {
        var storage = Storage();
        var old = await RedisTrackedSession.LoadAsync(storage, null);
        old.Preferences = new Preferences { Theme = "dark" };
        var cookie = Cookie((await old.CommitAsync())!);

        // After the deploy, request 1 reads the preferences (their JSON now has one more member) and sets another key;
        // meanwhile request 2 changes the preferences and commits first.
        var reader = await RedisTrackedSessionV2.LoadAsync(storage, cookie);
        Assert.Equal("dark", reader.Preferences!.Theme);
        reader.Visits = 1;
        var writer = await RedisTrackedSessionV2.LoadAsync(storage, cookie);
        writer.Preferences!.Theme = "light";
        await writer.CommitAsync();
        await reader.CommitAsync();

        var after = await RedisTrackedSessionV2.LoadAsync(storage, cookie);
        Assert.Equal("light", after.Preferences!.Theme);
        Assert.Equal(1, after.Visits);

        // A request that only reads sends nothing at all.
        var readOnly = await RedisTrackedSession.LoadAsync(storage, cookie);
        Assert.Equal("light", readOnly.Preferences!.Theme); // the earlier version reads the newer JSON too
        Assert.False(readOnly.IsDirty);
        Assert.Null(await readOnly.CommitAsync());
        var readOnlyV2 = await RedisTrackedSessionV2.LoadAsync(storage, cookie);
        _ = readOnlyV2.Preferences!.Theme;
        Assert.False(readOnlyV2.IsDirty);
        Assert.Null(await readOnlyV2.CommitAsync());
    }

    [Fact]
    public async Task Round_trips_are_traced_and_timed_and_an_unreachable_store_is_counted()
    {
        using var capture = new SessionActivities();
        var activities = capture.Stopped;
        var measurements = new System.Collections.Concurrent.ConcurrentQueue<(string Name, string? Operation)>();
        using var meterListener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SessionTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(System.Diagnostics.Metrics.Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? operation = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "session.operation")
                {
                    operation = (string?)tag.Value;
                }
            }

            measurements.Enqueue((instrument.Name, operation));
        }

        meterListener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        meterListener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        meterListener.Start();

        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);
        await SessionStore.LoadAsync(storage, cookie);
        Assert.Contains(activities, a => a.OperationName == "session.commit" && (string?)a.GetTagItem("session.storage") == "redis");
        Assert.Contains(activities, a => a.OperationName == "session.load");
        Assert.Contains(measurements, m => m.Name == "remastered.sessions.store.duration" && m.Operation == "load");

        // A storage whose Redis is not there: counted, and its activity marked as an error.
        using var nowhere = await ConnectionMultiplexer.ConnectAsync(new ConfigurationOptions { EndPoints = { "127.0.0.1:1" }, AbortOnConnectFail = false, ConnectTimeout = 200 });
        var down = Storage(connection: nowhere);
        await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await SessionStore.LoadAsync(down, cookie));
        Assert.Contains(measurements, m => m.Name == "remastered.sessions.store.unavailable" && m.Operation == "load");
        Assert.Contains(activities, a => a.Status == System.Diagnostics.ActivityStatusCode.Error);
    }

    [Fact]
    public async Task Options_changed_after_construction_change_nothing()
    {
        var options = new RedisSessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] }, KeyPrefix = _prefix };
        var storage = new RedisSessionStorage(_connection, options);
        options.KeyPrefix = "elsewhere:";
        options.IdleTimeout = TimeSpan.FromMilliseconds(1);
        options.Cookie.Name = "other";
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var setCookie = (await store.CommitAsync())!;
        Assert.StartsWith("sid=", setCookie, StringComparison.Ordinal);
        Assert.StartsWith(_prefix, await OnlyKey(), StringComparison.Ordinal);
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, Cookie(setCookie))).Get("user"));
    }

    [Fact]
    public async Task A_generated_schema_round_trips_through_redis_with_flash_semantics()
    {
        var storage = Storage();
        var first = await RedisAppSession.LoadAsync(storage, null);
        first.UserId = 7;
        first.Cart = [new CartLine("sku-1", 2)];
        first.Notice = "Saved!";
        var cookie = Cookie((await first.CommitAsync())!);

        var second = await RedisAppSession.LoadAsync(storage, cookie);
        Assert.Equal(7, second.UserId);
        Assert.Equal([new CartLine("sku-1", 2)], second.Cart);
        Assert.Equal("Saved!", second.Notice);
        Assert.True(second.IsDirty); // consuming the flash is a change, written to Redis...
        Assert.Null(await second.CommitAsync()); // ...while the client's id cookie stays as it is: nothing to send

        var third = await RedisAppSession.LoadAsync(storage, cookie);
        Assert.Null(third.Notice);
        Assert.Equal(7, third.UserId);
    }

    [Fact]
    public async Task The_redis_key_is_a_one_way_hash_of_the_id_and_holds_one_field_per_session_key()
    {
        var storage = Storage();
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        store.Set("theme", "dark");
        var cookie = Cookie((await store.CommitAsync())!);

        var key = await OnlyKey();
        Assert.DoesNotContain(cookie["sid=".Length..], key);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(_prefix) + "[0-9a-f]{64}$", key);
        var fields = (await Db.HashGetAllAsync(key)).ToDictionary(e => (string)e.Name!, e => (string)e.Value!);
        Assert.Equal("\"ada\"", fields["k:user"]);
        Assert.Equal("\"dark\"", fields["k:theme"]);
        Assert.True(fields.ContainsKey("m:created"));
        Assert.DoesNotContain(fields.Values, v => v.Length == 43); // the session id itself is nowhere in Redis
    }

    [Fact]
    public async Task A_commit_writes_only_the_keys_that_changed()
    {
        // Per-key versions are kept when conflicts are detected; they show which keys a commit wrote.
        var storage = Storage(o => o.DetectConflicts = true);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("a", 1);
        first.Set("b", 1);
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();

        var second = await SessionStore.LoadAsync(storage, cookie);
        second.Set("b", 2);
        second.Set("a", 1); // same value: not a change
        await second.CommitAsync();
        Assert.Equal("1", (string?)await Db.HashGetAsync(key, "v:a"));
        Assert.Equal("2", (string?)await Db.HashGetAsync(key, "v:b"));
    }

    [Fact]
    public async Task Concurrent_requests_changing_different_keys_all_keep_their_change()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("owner", "ada");
        var cookie = Cookie((await first.CommitAsync())!);

        // Every task loads the same session before any of them commits, as concurrent requests would.
        var loaded = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => SessionStore.LoadAsync(storage, cookie).AsTask()));
        await Task.WhenAll(loaded.Select((store, i) => Task.Run(async () =>
        {
            store.Set($"k{i}", i);
            await store.CommitAsync();
        })));

        var final = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal(51, final.Count);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(i, (int)final.Get($"k{i}")!));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_commit_in_one_request_writes_against_the_first_one_not_against_the_load(bool detectConflicts)
    {
        var storage = Storage(o => o.DetectConflicts = detectConflicts);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("cart", 1);
        first.Set("saved", "the same JSON");
        first.Flash("notice", "Saved!");
        var cookie = Cookie((await first.CommitAsync())!);

        // The commit as the response starts consumes the flash and removes a key; the error page's commit then keeps
        // the flash and puts back the same value: both must be written (not taken as "as loaded").
        var request = await SessionStore.LoadAsync(storage, cookie);
        request.Set("cart", 2);
        request.Unset("saved");
        await request.CommitAsync();
        Assert.Equal("Saved!", (string?)request.Get("notice"));
        request.Keep("notice");
        request.Set("saved", "the same JSON");
        request.Set("cart", 3);
        await request.CommitAsync();

        var next = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("Saved!", (string?)next.Get("notice"));
        Assert.True(next.IsFlash("notice"));
        Assert.Equal("the same JSON", (string?)next.Get("saved"));
        Assert.Equal(3, (int)next.Get("cart")!);
        await next.CommitAsync();
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("notice"));

        // Flashed again after the commit that consumed it: a flash once more (not a persistent value).
        var flashing = await SessionStore.LoadAsync(storage, cookie);
        flashing.Flash("notice", "M");
        await flashing.CommitAsync();
        var consuming = await SessionStore.LoadAsync(storage, cookie);
        await consuming.CommitAsync();
        consuming.Flash("notice", "G");
        await consuming.CommitAsync();
        var shown = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("G", (string?)shown.Get("notice"));
        Assert.True(shown.IsFlash("notice"));
        await shown.CommitAsync();
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("notice"));
    }

    [Fact]
    public async Task Same_key_changes_last_writer_wins_by_default()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("cart", 0);
        var cookie = Cookie((await first.CommitAsync())!);
        var a = await SessionStore.LoadAsync(storage, cookie);
        var b = await SessionStore.LoadAsync(storage, cookie);
        a.Set("cart", 1);
        b.Set("cart", 2);
        await a.CommitAsync();
        await b.CommitAsync();
        Assert.Equal(2, (int)(await SessionStore.LoadAsync(storage, cookie)).Get("cart")!);
    }

    [Fact]
    public async Task With_conflict_detection_the_later_same_key_commit_throws_and_writes_nothing()
    {
        var storage = Storage(o => o.DetectConflicts = true);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("cart", 0);
        var cookie = Cookie((await first.CommitAsync())!);
        var a = await SessionStore.LoadAsync(storage, cookie);
        var b = await SessionStore.LoadAsync(storage, cookie);
        a.Set("cart", 1);
        b.Set("cart", 2);
        b.Set("other", "also not written");
        await a.CommitAsync();
        var conflict = await Assert.ThrowsAsync<SessionConflictException>(async () => await b.CommitAsync());
        Assert.Equal("cart", conflict.Key);

        var final = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal(1, (int)final.Get("cart")!);
        Assert.False(final.Has("other"));

        // Different keys never conflict, even with detection on.
        var c = await SessionStore.LoadAsync(storage, cookie);
        var d = await SessionStore.LoadAsync(storage, cookie);
        c.Set("x", 1);
        d.Set("y", 1);
        await c.CommitAsync();
        await d.CommitAsync();
        var both = await SessionStore.LoadAsync(storage, cookie);
        Assert.True(both.Has("x") && both.Has("y"));
    }

    [Fact]
    public async Task The_ttl_slides_with_use_and_the_session_expires_when_idle()
    {
        var storage = Storage(o => o.IdleTimeout = TimeSpan.FromMilliseconds(1500));
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();
        var ttl = await Db.KeyTimeToLiveAsync(key);
        Assert.InRange(ttl!.Value.TotalMilliseconds, 1500, 1875); // the idle timeout plus the quarter between renewals

        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(700);
            Assert.True((await SessionStore.LoadAsync(storage, cookie)).Has("user"), $"still alive after {i + 1} reads");
            Assert.InRange((await Db.KeyTimeToLiveAsync(key))!.Value.TotalMilliseconds, 1500, 1875);
        }

        await Task.Delay(2500);
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("user"));
        Assert.False(await Db.KeyExistsAsync(key));
    }

    [Fact]
    public async Task A_write_renews_the_expiry_only_when_a_quarter_of_the_idle_timeout_has_passed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = Storage(o => o.IdleTimeout = TimeSpan.FromMinutes(20), clock);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();
        var created = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(created, (long)await Db.HashGetAsync(key, "m:touched"));

        // Four minutes later (less than a quarter of 20): the write is one HSET, which leaves the expiry alone.
        await Db.KeyExpireAsync(key, TimeSpan.FromMinutes(3));
        clock.Advance(TimeSpan.FromMinutes(4));
        var early = await SessionStore.LoadAsync(storage, cookie);
        early.Set("theme", "dark");
        await early.CommitAsync();
        Assert.InRange((await Db.KeyTimeToLiveAsync(key))!.Value.TotalMinutes, 2.9, 3.0);
        Assert.Equal(created, (long)await Db.HashGetAsync(key, "m:touched"));
        Assert.Equal("dark", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("theme"));

        // Six minutes after the last renewal: the write renews it, to the idle timeout plus a quarter.
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = await SessionStore.LoadAsync(storage, cookie);
        late.Set("theme", "light");
        await late.CommitAsync();
        Assert.InRange((await Db.KeyTimeToLiveAsync(key))!.Value.TotalMinutes, 24.9, 25.0);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)await Db.HashGetAsync(key, "m:touched"));
    }

    [Fact]
    public async Task A_session_that_expires_between_load_and_commit_is_recreated_with_an_expiry()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);
        var key = await OnlyKey();

        var request = await SessionStore.LoadAsync(storage, cookie);
        await Db.KeyDeleteAsync(key); // what its expiry would do while the request runs
        request.Set("theme", "dark");
        await request.CommitAsync();

        Assert.True(await Db.KeyExistsAsync(key));
        Assert.NotNull(await Db.KeyTimeToLiveAsync(key)); // never a key without an expiry
        Assert.Equal("dark", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("theme"));
    }

    [Fact]
    public async Task The_absolute_lifetime_ends_a_session_however_active()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var storage = Storage(o => { o.AbsoluteLifetime = TimeSpan.FromHours(1); o.IdleTimeout = TimeSpan.FromHours(2); o.Cookie.MaxAge = TimeSpan.FromDays(1); }, clock);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.True((await SessionStore.LoadAsync(storage, cookie)).Has("user"));
        var ttl = await Db.KeyTimeToLiveAsync(await OnlyKey());
        Assert.InRange(ttl!.Value.TotalMinutes, 9, 10.1);

        // A later write rewrites the creation time with the one it loaded: the lifetime still counts from the start.
        // (It renews no expiry, the read five minutes before did; that renewal was capped at the lifetime's end.)
        var createdMs = (long)await Db.HashGetAsync(await OnlyKey(), "m:created");
        clock.Advance(TimeSpan.FromMinutes(5));
        var writing = await SessionStore.LoadAsync(storage, cookie);
        writing.Set("visits", 2);
        await writing.CommitAsync();
        Assert.Equal(createdMs, (long)await Db.HashGetAsync(await OnlyKey(), "m:created"));
        Assert.InRange((await Db.KeyTimeToLiveAsync(await OnlyKey()))!.Value.TotalMinutes, 9, 10.1);

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await SessionStore.LoadAsync(storage, cookie)).Has("visits"));

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("user"));
        Assert.Empty(await Keys());
    }

    [Fact]
    public async Task RegenerateId_moves_the_data_to_a_new_key_and_deletes_the_old_one()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("cart", "3 items");
        var before = Cookie((await first.CommitAsync())!);
        var oldKey = await OnlyKey();

        var login = await SessionStore.LoadAsync(storage, before);
        login.RegenerateId();
        login.Set("user", "ada");
        var after = Cookie((await login.CommitAsync())!);

        Assert.NotEqual(before, after);
        var keys = await Keys();
        Assert.Equal(2, keys.Length);
        var newKey = Assert.Single(keys, k => k != oldKey);
        Assert.Equal(["m:destroyed"], (await Db.HashGetAllAsync(oldKey)).Select(f => (string)f.Name!)); // only the marker
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, before)).Count);
        var current = await SessionStore.LoadAsync(storage, after);
        Assert.Equal("3 items", (string?)current.Get("cart"));
        Assert.Equal("ada", (string?)current.Get("user"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Signing_in_a_visitor_with_no_stored_session_writes_one_key_and_a_record_this_request_stored_is_retired(bool detectConflicts)
    {
        // A visitor with nothing stored signs in: the id this request minted was never written, so there is nothing to
        // retire, and no marker key is left behind for it.
        var storage = Storage(o => o.DetectConflicts = detectConflicts);
        var login = await SessionStore.LoadAsync(storage, null);
        login.RegenerateId();
        login.Set("user", "ada");
        var cookie = Cookie((await login.CommitAsync())!);
        var key = await OnlyKey();
        Assert.DoesNotContain("m:destroyed", (await Db.HashGetAllAsync(key)).Select(f => (string)f.Name!));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("user"));

        // A new session committed first and then given a new id in the same request: the first record is retired.
        var twice = await SessionStore.LoadAsync(storage, null);
        twice.Set("cart", "1 item");
        var early = Cookie((await twice.CommitAsync())!);
        twice.RegenerateId();
        var late = Cookie((await twice.CommitAsync())!);
        Assert.NotEqual(early, late);
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, early)).Count);
        Assert.Equal("1 item", (string?)(await SessionStore.LoadAsync(storage, late)).Get("cart"));
        Assert.Equal(3, (await Keys()).Length); // ada's record, the retired first record's marker, the new record
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task A_request_that_loaded_a_session_before_it_was_destroyed_cannot_bring_it_back(bool detectConflicts, bool removeToo)
    {
        var storage = Storage(o => o.DetectConflicts = detectConflicts);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        first.Set("cart", "1 item");
        var cookie = Cookie((await first.CommitAsync())!);

        var stale = await SessionStore.LoadAsync(storage, cookie);   // a slow request, loaded before the sign-out
        var signOut = await SessionStore.LoadAsync(storage, cookie);
        await signOut.DestroyAsync();

        stale.Set("cart", "2 items");
        if (removeToo)
        {
            stale.Unset("user");
        }

        Assert.Null(await stale.CommitAsync()); // nothing written, no cookie sent
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
        Assert.Equal(["m:destroyed"], (await Db.HashGetAllAsync(await OnlyKey())).Select(f => (string)f.Name!));
    }

    [Fact]
    public async Task A_second_commit_of_a_signed_in_id_that_another_request_destroyed_writes_nothing()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("cart", "3 items");
        var cookie = Cookie((await first.CommitAsync())!);
        var signIn = await SessionStore.LoadAsync(storage, cookie);
        signIn.RegenerateId();
        signIn.Set("user", "ada");
        var signedIn = Cookie((await signIn.CommitAsync())!);

        await (await SessionStore.LoadAsync(storage, signedIn)).DestroyAsync();
        signIn.Unset("cart");                   // a commit that removes a field: the transaction that checks the marker
        signIn.Set("late", "x");
        Assert.Null(await signIn.CommitAsync()); // nothing written, no cookie sent
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, signedIn)).Count);
    }

    [Fact]
    public async Task Destroy_deletes_the_key_and_expires_the_cookie()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = Cookie((await first.CommitAsync())!);
        var setCookie = await (await SessionStore.LoadAsync(storage, cookie)).DestroyAsync();
        Assert.Contains("Max-Age=0", setCookie);

        // The data is gone; the key holds only the marker that keeps late commits from bringing the session back.
        var key = await OnlyKey();
        var fields = await Db.HashGetAllAsync(key);
        Assert.Equal(["m:destroyed"], fields.Select(f => (string)f.Name!));
        Assert.True(await Db.KeyTimeToLiveAsync(key) > TimeSpan.Zero);
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, cookie)).Count);
    }

    [Fact]
    public async Task Two_application_instances_sharing_redis_see_the_same_sessions()
    {
        using var otherConnection = redis.Connect();
        var serverA = Storage();
        var serverB = Storage(connection: otherConnection);
        var onA = await SessionStore.LoadAsync(serverA, null);
        onA.Set("user", "ada");
        var cookie = Cookie((await onA.CommitAsync())!);

        var onB = await SessionStore.LoadAsync(serverB, cookie);
        Assert.Equal("ada", (string?)onB.Get("user"));
        onB.Set("theme", "dark");
        await onB.CommitAsync();
        Assert.Equal("dark", (string?)(await SessionStore.LoadAsync(serverA, cookie)).Get("theme"));
    }

    [Fact]
    public async Task A_corrupted_field_costs_that_field_only()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("good", "kept");
        first.Set("bad", "soon corrupted");
        var cookie = Cookie((await first.CommitAsync())!);
        await Db.HashSetAsync(await OnlyKey(), "k:bad", "{not json");
        var loaded = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("kept", (string?)loaded.Get("good"));
        Assert.False(loaded.Has("bad"));
    }
}

/// <summary>The suite on one <c>redis-server</c>, plus what only a single server has: numbered databases, one connection to count round trips on.</summary>
public sealed class RedisSessionStorageTests(RedisServerFixture fixture) : RedisSessionStorageSuite<RedisServerFixture>(fixture)
{
    [Fact]
    public async Task A_redis_that_refuses_writes_makes_commits_unavailable_and_writes_nothing()
    {
        var storage = Storage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        first.Flash("notice", "hi");
        var cookie = Cookie((await first.CommitAsync())!);
        using var admin = await ConnectionMultiplexer.ConnectAsync(Redis.Endpoint + ",allowAdmin=true");
        var server = admin.GetServer(Redis.Endpoint);
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1");
        try
        {
            // A plain HSET commit (only sets) and a MULTI/EXEC commit (consumes the flash, removes a key): OOM, and
            // EXECABORT for the transaction, are the store being unavailable (a 503), never an unexpected error.
            var setOnly = await SessionStore.LoadAsync(storage, cookie);
            setOnly.Set("theme", "dark");
            setOnly.Keep("notice");
            await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await setOnly.CommitAsync());

            var removing = await SessionStore.LoadAsync(storage, cookie);
            removing.Unset("user");
            var unavailable = await Assert.ThrowsAsync<SessionStoreUnavailableException>(async () => await removing.CommitAsync());
            Assert.IsType<RedisServerException>(unavailable.InnerException);
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
        }

        var after = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("ada", (string?)after.Get("user"));
        Assert.False(after.Has("theme"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_read_only_request_costs_one_round_trip_and_a_change_one_more(bool detectConflicts)
    {
        // Counted on the wire: a proxy in front of redis-server counts the times the client waits for an answer.
        using var proxy = new RoundTripCountingProxy("127.0.0.1", Redis.Port);
        using var connection = await ConnectionMultiplexer.ConnectAsync(proxy.Endpoint);
        var storage = Storage(o => o.DetectConflicts = detectConflicts, connection: connection);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        first.Flash("notice", "Saved!");
        var cookie = Cookie((await first.CommitAsync())!);
        // Warm the script cache so that the counts below are the steady state.
        var warm = await SessionStore.LoadAsync(storage, cookie);
        warm.Set("theme", "light");
        await warm.CommitAsync();
        await Task.Delay(100);

        var before = proxy.RoundTrips;
        var readOnly = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("ada", (string?)readOnly.Get("user"));
        Assert.Null(await readOnly.CommitAsync());
        Assert.Equal(1, proxy.RoundTrips - before);

        before = proxy.RoundTrips;
        var changing = await SessionStore.LoadAsync(storage, cookie);
        changing.Set("theme", "dark");
        changing.Unset("user");
        changing.Flash("notice", "Again");
        Assert.True(changing.IsDirty);
        await changing.CommitAsync();
        Assert.Equal(2, proxy.RoundTrips - before);

        before = proxy.RoundTrips;
        var anonymous = await SessionStore.LoadAsync(storage, null);
        Assert.Null(await anonymous.CommitAsync());
        Assert.Equal(0, proxy.RoundTrips - before);

        var after = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal("dark", (string?)after.Get("theme"));
        Assert.False(after.Has("user"));
        Assert.Equal("Again", (string?)after.Get("notice"));
        await after.CommitAsync(); // consumes the flash: a removal

        // Nothing removed from an existing session: without conflict detection the HSET and PEXPIRE of a plain
        // pipeline instead of a MULTI/EXEC; still one round trip, and the expiry is renewed.
        before = proxy.RoundTrips;
        var setting = await SessionStore.LoadAsync(storage, cookie);
        setting.Set("theme", "blue");
        await setting.CommitAsync();
        Assert.Equal(2, proxy.RoundTrips - before);
        var ttl = await Db.KeyTimeToLiveAsync(await OnlyKey());
        Assert.NotNull(ttl);
        Assert.Equal("blue", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("theme"));
        Assert.False((await SessionStore.LoadAsync(storage, cookie)).Has("notice"));
    }

    [Fact]
    public async Task The_round_trip_proxy_counts_waits_not_commands()
    {
        using var proxy = new RoundTripCountingProxy("127.0.0.1", Redis.Port);
        using var connection = await ConnectionMultiplexer.ConnectAsync(proxy.Endpoint);
        var db = connection.GetDatabase();
        await db.PingAsync();
        await Task.Delay(100);

        var before = proxy.RoundTrips;
        await db.StringGetAsync(_prefix + "a");
        await db.StringGetAsync(_prefix + "b");
        Assert.Equal(2, proxy.RoundTrips - before);

        before = proxy.RoundTrips;
        var transaction = db.CreateTransaction();
        _ = transaction.StringSetAsync(_prefix + "a", "1");
        _ = transaction.StringSetAsync(_prefix + "b", "2");
        _ = transaction.KeyExpireAsync(_prefix + "a", TimeSpan.FromMinutes(1));
        Assert.True(await transaction.ExecuteAsync());
        Assert.Equal(1, proxy.RoundTrips - before);
        await db.KeyDeleteAsync([_prefix + "a", _prefix + "b"]);
    }

    [Fact]
    public async Task A_key_prefix_and_database_keep_applications_apart()
    {
        var app1 = Storage(o => o.KeyPrefix = _prefix + "app1:");
        var app2 = Storage(o => { o.KeyPrefix = _prefix + "app2:"; o.Database = 3; });
        var store = await SessionStore.LoadAsync(app1, null);
        store.Set("user", "ada");
        var cookie = Cookie((await store.CommitAsync())!);
        Assert.Equal(0, (await SessionStore.LoadAsync(app2, cookie)).Count);
        Assert.Single(await Keys());
        var inDb3 = await SessionStore.LoadAsync(app2, null);
        inDb3.Set("user", "grace");
        await inDb3.CommitAsync();
        var server = _connection.GetServer(Redis.Endpoint);
        Assert.Single(server.Keys(database: 3, pattern: _prefix + "app2:*"));
    }
}

/// <summary>
/// The same suite on a local Redis Cluster (three masters, three replicas): every session is one key, so every command
/// of a load or commit goes to the one master that owns the key's slot.
/// </summary>
public sealed class RedisClusterSessionStorageTests(RedisClusterFixture fixture) : RedisSessionStorageSuite<RedisClusterFixture>(fixture)
{
    [Fact]
    public async Task Sessions_spread_over_every_master_of_the_cluster()
    {
        var storage = Storage();
        for (var i = 0; i < 30; i++)
        {
            var store = await SessionStore.LoadAsync(storage, null);
            store.Set("n", i);
            await store.CommitAsync();
        }

        var perMaster = new List<int>();
        foreach (var server in _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
        {
            var count = 0;
            await foreach (var _ in server.KeysAsync(pattern: _prefix + "*"))
            {
                count++;
            }

            perMaster.Add(count);
        }

        Assert.Equal(3, perMaster.Count);
        Assert.Equal(30, perMaster.Sum());
        Assert.All(perMaster, count => Assert.True(count > 0, "30 random ids should land on every master"));
    }
}

/// <summary>System.Text.Json metadata for comparing stored fields.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<int, int>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<Guid, string>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(System.Collections.Immutable.ImmutableList<CartLine>))]
internal sealed partial class RedisTestJson : System.Text.Json.Serialization.JsonSerializerContext;
