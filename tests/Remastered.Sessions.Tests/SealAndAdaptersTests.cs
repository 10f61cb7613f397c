using System.Buffers;
using System.Text;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class SealAndAdaptersTests
{
    [Fact]
    public async Task A_sealed_store_still_reads_but_every_change_throws_with_the_reason()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        store.Seal("the response has started");
        Assert.True(store.IsSealed);
        Assert.Equal("ada", (string?)store.Get("user"));
        Assert.Equal("the response has started", Assert.Throws<InvalidOperationException>(() => store.Set("x", 1)).Message);
        Assert.Throws<InvalidOperationException>(() => store.Unset("user"));
        Assert.Throws<InvalidOperationException>(() => store.Flash("x", 1));
        Assert.Throws<InvalidOperationException>(() => store.Keep("x"));
        Assert.Throws<InvalidOperationException>(() => store.Destroy());
        Assert.Throws<InvalidOperationException>(() => store.RegenerateId());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CommitAsync());
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task Discarding_changes_reads_the_session_again_as_stored(string kind)
    {
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie("sid") });
        var cookie = new CookieSessionStorage(TestSecrets.Cookie());
        async Task<SessionStore<JsonSessionValue>> LoadJson(string? header) => await SessionStore.LoadAsync(cookie, header);
        async Task<SessionStore<object?>> LoadObjects(string? header) => await SessionStore.LoadAsync(memory, header);

        var browser = new Browser();
        if (kind == "cookie")
        {
            var seed = await LoadJson(null);
            seed.Set("user", "ada");
            seed.Set("visits", 1);
            seed.Flash("notice", "hi");
            browser.Receive(await seed.CommitAsync());
            var store = await LoadJson(browser.CookieHeader);
            store.Set("user", "mallory");
            store.Unset("visits");
            store.Flash("other", "x");
            store.Keep("notice");
            store.RegenerateId();
            store.Destroy();
            store.Set("after-destroy", 1);

            await store.DiscardChangesAsync();

            Assert.Equal("ada", (string?)store.Get("user"));
            Assert.Equal(1, (int)store.Get("visits")!);
            Assert.False(store.Has("other"));
            Assert.False(store.Has("after-destroy"));
            Assert.False(store.IsDestroyed);
            // The loaded flash is again this request's to consume, as on any load: that alone makes the store dirty.
            Assert.Equal("hi", (string?)store.Get("notice"));
            Assert.True(store.IsDirty);
            browser.Receive(await store.CommitAsync());
            var next = await LoadJson(browser.CookieHeader);
            Assert.Equal("ada", (string?)next.Get("user"));
            Assert.False(next.Has("notice"));
            Assert.False(next.IsDirty);
        }
        else
        {
            var seed = await LoadObjects(null);
            seed.Set("user", "ada");
            browser.Receive(await seed.CommitAsync());
            var store = await LoadObjects(browser.CookieHeader);
            store.Set("user", "mallory");
            store.Set("cart", new List<int> { 1 });

            await store.DiscardChangesAsync();

            Assert.Equal("ada", store.Get("user"));
            Assert.False(store.Has("cart"));
            Assert.False(store.IsDirty);
            Assert.Null(await store.CommitAsync());
        }
    }

    [Fact]
    public async Task A_sealed_store_refuses_to_discard_its_changes()
    {
        var store = await SessionStore.LoadAsync(new CookieSessionStorage(TestSecrets.Cookie()), null);
        store.Set("user", "ada");
        store.Seal("the response has started");
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.DiscardChangesAsync());
        Assert.Equal("ada", (string?)store.Get("user"));
    }

    [Fact]
    public async Task JsonSessionStorage_over_the_cookie_storage_round_trips()
    {
        var storage = JsonSessionStorage.Over(new CookieSessionStorage(TestSecrets.Cookie()));
        var browser = new Browser();
        var first = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        first.Set("user", "ada");
        first.Flash("notice", "hi");
        browser.Receive(await first.CommitAsync());
        var second = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.Equal("hi", (string?)second.Get("notice"));
        browser.Receive(await second.CommitAsync());
        var third = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.Equal("ada", (string?)third.Get("user"));
        Assert.False(third.Has("notice"));
    }

    [Fact]
    public async Task JsonSessionStorage_over_objects_keeps_values_of_other_types_it_shares_the_session_with()
    {
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie("sid") });
        var stream = new MemoryStream([1]);
        var raw = await SessionStore.LoadAsync(memory, null);
        raw.Set("upload", stream);
        raw.Flash("object-flash", new object());
        var cookie = (await raw.CommitAsync())!.Split(';')[0];

        var json = JsonSessionStorage.OverObjects(memory);
        var typed = await SessionStore.LoadAsync(json, cookie);
        Assert.False(typed.Has("upload"));
        typed.Set("user", "ada");
        await typed.CommitAsync();

        var after = await SessionStore.LoadAsync(memory, cookie);
        Assert.Same(stream, after.Get("upload"));
        Assert.True(after.IsFlash("object-flash"));
        Assert.Equal("ada", (string?)(JsonSessionValue?)after.Get("user"));
    }

    [Fact]
    public async Task A_custom_protector_replaces_the_secrets()
    {
        var protector = new ReversingProtector();
        var options = new CookieSessionOptions { Name = "session" }.UseProtector(protector);
        Assert.True(options.HasCustomProtector);
        var storage = new CookieSessionStorage(options);
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var cookie = (await store.CommitAsync())!.Split(';')[0];
        Assert.True(protector.Protected > 0);
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, cookie)).Get("user"));
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, "session=garbage!")).Count);
    }

    [Fact]
    public async Task Every_cookie_gets_a_fresh_nonce()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var nonces = new HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var store = await SessionStore.LoadAsync(storage, null);
            store.Set("n", 1);
            var value = (await store.CommitAsync())!.Split(';')[0]["session=".Length..];
            var bytes = Convert.FromBase64String(value.Replace('-', '+').Replace('_', '/').PadRight((value.Length + 3) / 4 * 4, '='));
            Assert.True(nonces.Add(Convert.ToHexString(bytes, 5, 12)), "a nonce was reused");
        }
    }

    [Fact]
    public async Task No_random_bytes_are_drawn_ahead_for_later_nonces()
    {
        // Every copy of a process restored from one snapshot (AWS Lambda SnapStart, CRIU, a cloned VM) would hand out
        // bytes kept for later nonces again, under the same key; only the kernel's generator, asked per message, is
        // reseeded on restore (the vDSO's per-thread state lives in memory the kernel wipes on fork and invalidates when
        // it reseeds, not in a managed field: SecureRandomTests). After cookies are issued on this thread, no static field of the library
        // (thread-static ones included, read on this thread) that it can write after start-up holds a byte array.
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        for (var i = 0; i < 3; i++)
        {
            var store = await SessionStore.LoadAsync(storage, null);
            store.Set("n", i);
            Assert.NotNull(await store.CommitAsync());
        }

        const System.Reflection.BindingFlags Statics = System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
        var holders = typeof(SessionStore).Assembly.GetTypes()
            .Where(type => !type.ContainsGenericParameters)
            .SelectMany(type => type.GetFields(Statics))
            .Where(field => !field.IsInitOnly && field.FieldType == typeof(byte[]) && field.GetValue(null) is byte[])
            .Select(field => $"{field.DeclaringType!.FullName}.{field.Name}")
            .ToList();
        Assert.Empty(holders);
    }

    [Fact]
    public void JsonSessionSerializer_round_trips_content_and_flashes()
    {
        var session = new StoredSession<JsonSessionValue>();
        session.Content["a"] = 1;
        session.Content["b"] = "text";
        session.FlashedKeys.Add("b");
        var bytes = JsonSessionSerializer.Serialize(session);
        Assert.Equal("""{"c":{"a":1,"b":"text"},"f":["b"]}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal("""{"c":{},"f":[]}""", Encoding.UTF8.GetString(JsonSessionSerializer.Serialize(new StoredSession<JsonSessionValue>())));
        var back = JsonSessionSerializer.Deserialize(bytes);
        Assert.Equal(1, (int)back.Content["a"]);
        Assert.Equal(["b"], back.FlashedKeys);
    }

    [Fact]
    public void JsonSessionSerializer_reads_back_a_value_nested_as_deep_as_System_Text_Json_writes()
    {
        // 64 nested arrays, the deepest System.Text.Json writes, inside the envelope's two levels.
        var deep = new string('[', 64) + new string(']', 64);
        var session = new StoredSession<JsonSessionValue>();
        session.Content["deep"] = JsonSessionValue.Parse(deep);
        var back = JsonSessionSerializer.Deserialize(JsonSessionSerializer.Serialize(session));
        Assert.Equal(deep, back.Content["deep"].ToString());
    }

    /// <summary>Not encryption: a stand-in that shows the extension point is honoured and still authenticates (by a marker).</summary>
    private sealed class ReversingProtector : SessionCookieProtector
    {
        public int Protected { get; private set; }

        public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext)
        {
            Protected++;
            var bytes = plaintext.ToArray();
            Array.Reverse(bytes);
            return "R" + Convert.ToHexString(bytes);
        }

        public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
        {
            usedRetiredKey = false;
            reason = CookieRejectionReason.Tampered;
            if (cookieValue.Length < 1 || cookieValue[0] != 'R')
            {
                return false;
            }

            try
            {
                var bytes = Convert.FromHexString(cookieValue[1..]);
                Array.Reverse(bytes);
                plaintext.Write(bytes);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
