using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Remastered.Sessions.Cookies;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class CookieSessionStorageTests
{
    private static async Task<string> CommitOne(CookieSessionStorage storage, string key, JsonSessionValue value)
    {
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set(key, value);
        return (await store.CommitAsync())!;
    }

    private static string CookieHeaderFrom(string setCookie) => setCookie.Split(';')[0];

    [Fact]
    public async Task Several_keys_used_in_turn_on_the_same_threads_each_open_only_their_own_cookies()
    {
        // Each storage has its own secret and cookie name, so its own AES key: the per-thread AES-GCM instance changes
        // hands between them on every call, and must never encrypt or decrypt with another storage's key.
        var storages = Enumerable.Range(0, 3)
            .Select(i => new CookieSessionStorage(new CookieSessionOptions { Name = "s" + i, Secrets = [$"several-keys-secret-{i}-0123456789abcdefghijklmn"] }))
            .ToArray();
        await Parallel.ForAsync(0, 300, async (i, _) =>
        {
            var storage = storages[i % storages.Length];
            var other = storages[(i + 1) % storages.Length];
            var cookie = CookieHeaderFrom(await CommitOne(storage, "n", (JsonSessionValue)i));
            var value = cookie[(cookie.IndexOf('=') + 1)..];
            var read = await SessionStore.LoadAsync(storage, storage.Options.Name + "=" + value);
            Assert.Equal(i, (int)read.Get("n")!);
            // The same value under another storage's name is refused (another key), and that storage still works after.
            var refused = await SessionStore.LoadAsync(other, other.Options.Name + "=" + value);
            Assert.False(refused.Has("n"));
            var own = CookieHeaderFrom(await CommitOne(other, "n", (JsonSessionValue)(-i)));
            Assert.Equal(-i, (int)(await SessionStore.LoadAsync(other, own)).Get("n")!);
        });
    }

    [Fact]
    public async Task Round_trips_json_values_of_every_kind()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("int", 42);
        store.Set("text", "héllo \"quoted\" ✓");
        store.Set("bool", true);
        store.Set("null", JsonSessionValue.Null);
        store.Set("object", new JsonObject { ["name"] = "ada", ["tags"] = new JsonArray("a", "b") });
        var header = CookieHeaderFrom((await store.CommitAsync())!);

        var loaded = await SessionStore.LoadAsync(storage, header);
        Assert.Equal(42, (int)loaded.Get("int")!);
        Assert.Equal("héllo \"quoted\" ✓", (string)loaded.Get("text")!);
        Assert.True((bool)loaded.Get("bool")!);
        Assert.True(loaded.Has("null"));
        Assert.Equal(JsonValueKind.Null, loaded.Get("null")!.ValueKind);
        Assert.Equal("""{"name":"ada","tags":["a","b"]}""", loaded.Get("object")!.ToString());
    }

    [Fact]
    public async Task Set_cookie_has_safe_defaults()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var setCookie = await CommitOne(storage, "k", "v");
        Assert.StartsWith("session=", setCookie);
        Assert.Contains("; Path=/", setCookie);
        Assert.Contains("; HttpOnly", setCookie);
        Assert.Contains("; Secure", setCookie);
        Assert.Contains("; SameSite=Lax", setCookie);
        Assert.Contains($"; Max-Age={(long)TimeSpan.FromDays(14).TotalSeconds}", setCookie);
        Assert.Contains("; Expires=", setCookie);
        Assert.DoesNotContain("Domain", setCookie);
    }

    [Fact]
    public async Task Cookie_attributes_are_configurable()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions
        {
            Name = "app",
            Secrets = [TestSecrets.Current],
            Path = "/shop",
            Domain = "example.test",
            HttpOnly = false,
            Secure = false,
            SameSite = CookieSameSite.Strict,
            MaxAge = TimeSpan.FromHours(1),
        });
        var setCookie = await CommitOne(storage, "k", "v");
        Assert.StartsWith("app=", setCookie);
        Assert.Contains("; Path=/shop", setCookie);
        Assert.Contains("; Domain=example.test", setCookie);
        Assert.Contains("; SameSite=Strict", setCookie);
        Assert.Contains("; Max-Age=3600", setCookie);
        Assert.DoesNotContain("HttpOnly", setCookie);
        Assert.DoesNotContain("Secure", setCookie);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789012345678901234567890")] // 31 bytes
    public void A_secret_shorter_than_32_bytes_is_refused_at_construction(string secret)
    {
        var error = Assert.Throws<ArgumentException>(() => new CookieSessionStorage(TestSecrets.Cookie("s", secret)));
        Assert.Contains("at least 32 bytes", error.Message);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "distinct characters")]
    [InlineData("passwordpasswordpasswordpassword", "distinct characters")]
    [InlineData("abcdefghijklabcdefghijklabcdefghijkl", "pattern repeated")]
    [InlineData("abcdefghijabcdefghijabcdefghijabcd", "pattern repeated")]
    [InlineData("0123456789012345678901234567890123", "pattern repeated")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaa0123456789", "bits of character entropy")]
    public void A_guessable_secret_is_refused_with_a_way_to_generate_one(string secret, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => new CookieSessionStorage(TestSecrets.Cookie("s", secret)));
        Assert.Contains("looks guessable", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("GenerateSecret()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_secrets_are_accepted_and_never_repeat()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => CookieSessionOptions.GenerateSecret()).ToList();
        Assert.Equal(200, secrets.Distinct().Count());
        Assert.All(secrets, s => Assert.Equal(32, Convert.FromBase64String(s).Length));
        foreach (var secret in secrets)
        {
            _ = new CookieSessionStorage(TestSecrets.Cookie("s", secret)); // throws if refused
        }

        // Random hex (the other common way to make one) passes too.
        _ = new CookieSessionStorage(TestSecrets.Cookie("s", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
    }

    [Fact]
    public void Options_without_secrets_or_with_bad_settings_are_refused()
    {
        Assert.Contains("secret", Assert.Throws<ArgumentException>(() => new CookieSessionStorage(new CookieSessionOptions())).Message);
        Assert.Throws<ArgumentException>(() => new CookieSessionStorage(new CookieSessionOptions { Name = "bad name", Secrets = [TestSecrets.Current] }));
        Assert.Throws<ArgumentException>(() => new CookieSessionStorage(new CookieSessionOptions { Secrets = [TestSecrets.Current], SameSite = CookieSameSite.None, Secure = false }));
        Assert.Throws<ArgumentException>(() => new CookieSessionStorage(new CookieSessionOptions { Secrets = [TestSecrets.Current], MaxAge = TimeSpan.Zero }));
    }

    [Theory]
    [InlineData("MaxAge", 36_501.0)]
    [InlineData("AbsoluteLifetime", 36_501.0)]
    [InlineData("MaxAge", 3_650_000.0)]
    [InlineData("AbsoluteLifetime", 10_675_199.0)]
    public async Task Lifetimes_too_long_to_add_to_a_date_are_refused_at_construction_and_a_century_still_commits(string setting, double days)
    {
        // "Forever" as a huge number of days once passed validation and made every commit throw (a date past 9999).
        var tooLong = TimeSpan.FromDays(days);
        var options = TestSecrets.Cookie();
        if (setting == "MaxAge")
        {
            options.MaxAge = tooLong;
        }
        else
        {
            options.AbsoluteLifetime = tooLong;
        }

        var refused = Assert.Throws<ArgumentException>(() => new CookieSessionStorage(options));
        Assert.Equal(setting, refused.ParamName);
        Assert.Contains("36500", refused.Message, StringComparison.Ordinal);

        var longest = TestSecrets.Cookie();
        longest.MaxAge = longest.AbsoluteLifetime = TimeSpan.FromDays(36_500);
        var century = new CookieSessionStorage(longest);
        Assert.NotNull(await CommitOne(century, "user", "ada"));
    }

    [Fact]
    public async Task Rotation_with_two_secrets_reads_the_old_cookie_and_reissues_it_with_the_new_secret()
    {
        var old = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Previous));
        var header = CookieHeaderFrom(await CommitOne(old, "user", "ada"));

        var rotated = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Current, TestSecrets.Previous));
        var store = await SessionStore.LoadAsync(rotated, header);
        Assert.Equal("ada", (string?)store.Get("user"));
        Assert.True(store.IsDirty);
        var reissued = CookieHeaderFrom((await store.CommitAsync())!);

        var currentOnly = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Current));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(currentOnly, reissued)).Get("user"));
        Assert.False((await SessionStore.LoadAsync(currentOnly, header)).Has("user"));
    }

    [Fact]
    public async Task Rotation_with_three_secrets_reads_every_generation_and_converges_to_the_newest()
    {
        var oldest = CookieHeaderFrom(await CommitOne(new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Oldest)), "gen", 1));
        var previous = CookieHeaderFrom(await CommitOne(new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Previous, TestSecrets.Oldest)), "gen", 2));
        var storage = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Current, TestSecrets.Previous, TestSecrets.Oldest));
        var current = CookieHeaderFrom(await CommitOne(storage, "gen", 3));

        foreach (var (header, generation, renew) in new[] { (oldest, 1, true), (previous, 2, true), (current, 3, false) })
        {
            var store = await SessionStore.LoadAsync(storage, header);
            Assert.Equal(generation, (int)store.Get("gen")!);
            Assert.Equal(renew, store.IsDirty);
            if (renew)
            {
                var reissued = CookieHeaderFrom((await store.CommitAsync())!);
                var fresh = await SessionStore.LoadAsync(storage, reissued);
                Assert.False(fresh.IsDirty);
                Assert.Equal(generation, (int)fresh.Get("gen")!);
            }
        }
    }

    [Fact]
    public async Task A_cookie_past_the_expiry_inside_its_payload_is_a_fresh_session_whatever_the_client_kept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var logger = new ListLogger<CookieSessionStorage>();
        var options = new CookieSessionOptions { Secrets = [TestSecrets.Current], MaxAge = TimeSpan.FromMinutes(30) };
        var storage = new CookieSessionStorage(options, logger, clock);
        var header = CookieHeaderFrom(await CommitOne(storage, "user", "ada"));

        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.True((await SessionStore.LoadAsync(storage, header)).Has("user"));

        clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await SessionStore.LoadAsync(storage, header);
        Assert.Equal(0, expired.Count);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 1001 && e.Message.Contains("Expired"));
    }

    [Fact]
    public async Task A_cookie_past_half_its_lifetime_is_renewed_by_the_next_commit()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = [TestSecrets.Current], MaxAge = TimeSpan.FromHours(1) }, null, clock);
        var header = CookieHeaderFrom(await CommitOne(storage, "user", "ada"));

        clock.Advance(TimeSpan.FromMinutes(20));
        Assert.False((await SessionStore.LoadAsync(storage, header)).IsDirty);

        clock.Advance(TimeSpan.FromMinutes(20));
        var aging = await SessionStore.LoadAsync(storage, header);
        Assert.True(aging.IsDirty);
        var renewed = CookieHeaderFrom((await aging.CommitAsync())!);

        clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, renewed)).Get("user"));
        Assert.False((await SessionStore.LoadAsync(storage, header)).Has("user"));
    }

    [Fact]
    public async Task A_value_cannot_be_replayed_under_another_cookie_name()
    {
        var a = new CookieSessionStorage(TestSecrets.Cookie("a"));
        var b = new CookieSessionStorage(TestSecrets.Cookie("b"));
        var value = CookieHeaderFrom(await CommitOne(a, "role", "admin"))["a=".Length..];

        var logger = new ListLogger<CookieSessionStorage>();
        var bLogged = new CookieSessionStorage(TestSecrets.Cookie("b"), logger);
        Assert.Equal(0, (await SessionStore.LoadAsync(b, "b=" + value)).Count);
        Assert.Equal(0, (await SessionStore.LoadAsync(bLogged, "b=" + value)).Count);
        Assert.Contains(logger.Entries, e => e.Message.Contains("Tampered"));
    }

    [Fact]
    public async Task A_cookie_from_an_unknown_secret_is_a_fresh_session_and_logged()
    {
        var other = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Unrelated));
        var header = CookieHeaderFrom(await CommitOne(other, "user", "mallory"));
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, header)).Count);
        Assert.Contains(logger.Entries, e => e.Message.Contains("UnknownKey"));
    }

    [Fact]
    public async Task A_cookie_of_another_format_version_is_a_fresh_session()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var value = CookieHeaderFrom(await CommitOne(storage, "user", "ada"))["session=".Length..];
        // The first base64url character carries the top six bits of the version byte; versions 1 and 2 start with 'A'.
        var otherVersion = "B" + value[1..];
        var logger = new ListLogger<CookieSessionStorage>();
        var logged = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        Assert.Equal(0, (await SessionStore.LoadAsync(logged, "session=" + otherVersion)).Count);
        Assert.Contains(logger.Entries, e => e.Message.Contains("UnsupportedVersion"));
    }

    [Fact]
    public async Task A_cookie_in_the_version_1_format_still_opens_and_the_next_commit_reissues_it_in_version_2()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var legacy = "session=" + LegacyValue("session\u001fsession-body", "user", "ada");
        Assert.Equal('A', legacy["session=".Length]);

        var store = await SessionStore.LoadAsync(storage, legacy);
        Assert.Equal("ada", (string?)store.Get("user"));
        Assert.True(store.IsDirty); // re-issued like a cookie under a retired secret, so upgrades complete by themselves
        var reissued = CookieHeaderFrom((await store.CommitAsync())!);
        Assert.Equal(AesGcmCookieProtector.FormatVersion, Base64UrlDecode(reissued["session=".Length..])[0]);
        var again = await SessionStore.LoadAsync(storage, reissued);
        Assert.Equal("ada", (string?)again.Get("user"));
        Assert.False(again.IsDirty);

        // Version 1 kept its binding to the context: the same value under another name or kind of storage is refused.
        Assert.Equal(0, (await SessionStore.LoadAsync(new CookieSessionStorage(TestSecrets.Cookie("other")), "other=" + legacy["session=".Length..])).Count);
        var wrongContext = "session=" + LegacyValue("session\u001fserver-session-id", "user", "mallory");
        Assert.Equal(0, (await SessionStore.LoadAsync(storage, wrongContext)).Count);
    }

    [Fact]
    public async Task A_version_2_value_relabelled_as_version_1_or_given_another_key_id_is_refused_as_tampered()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Current, TestSecrets.Previous));
        var value = CookieHeaderFrom(await CommitOne(storage, "user", "ada"))["session=".Length..];
        var token = Base64UrlDecode(value);

        var relabelled = (byte[])token.Clone();
        relabelled[0] = AesGcmCookieProtector.LegacyFormatVersion;
        var previousOnly = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Previous));
        var otherKeyId = (byte[])token.Clone();
        Buffer.BlockCopy(Base64UrlDecode(CookieHeaderFrom(await CommitOne(previousOnly, "x", 1))["session=".Length..]), 1, otherKeyId, 1, 4);

        foreach (var forged in new[] { relabelled, otherKeyId })
        {
            var logger = new ListLogger<CookieSessionStorage>();
            var logged = new CookieSessionStorage(TestSecrets.Cookie("session", TestSecrets.Current, TestSecrets.Previous), logger);
            Assert.Equal(0, (await SessionStore.LoadAsync(logged, "session=" + System.Buffers.Text.Base64Url.EncodeToString(forged))).Count);
            Assert.Contains("Tampered", Assert.Single(logger.Entries).Message, StringComparison.Ordinal);
        }
    }

    /// <summary>A cookie value as version 1 wrote it (the context passed as associated data), with one string entry.</summary>
    private static string LegacyValue(string context, string key, string value)
    {
        var session = new StoredSession<JsonSessionValue>();
        session.Content[key] = value;
        var body = new byte[CookiePayload.GetLength(session)];
        CookiePayload.Write(session, body);
        var plaintext = new byte[24 + body.Length];
        var now = DateTimeOffset.UtcNow;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(plaintext, now.ToUnixTimeMilliseconds());
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(plaintext.AsSpan(8), now.AddHours(1).ToUnixTimeMilliseconds());
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(plaintext.AsSpan(16), now.ToUnixTimeMilliseconds());
        body.CopyTo(plaintext, 24);
        return new AesGcmCookieProtector([TestSecrets.Current]).ProtectLegacy(context, plaintext);
    }

    private static byte[] Base64UrlDecode(string value) => System.Buffers.Text.Base64Url.DecodeFromChars(value);

    [Fact]
    public async Task A_commit_over_4096_bytes_throws_naming_the_size_and_largest_keys()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("small", "x");
        store.Set("cart", new string('c', 3000));
        store.Set("history", new string('h', 1500));
        var error = await Assert.ThrowsAsync<SessionTooLargeException>(async () => await store.CommitAsync());
        Assert.True(error.Size > 4096);
        Assert.Equal(4096, error.Limit);
        Assert.Equal("cart", error.LargestKeys[0].Key);
        Assert.Equal("history", error.LargestKeys[1].Key);
        Assert.Contains("'cart'", error.Message);
        Assert.Contains(error.Size.ToString(), error.Message);
    }

    [Fact]
    public async Task A_cookie_just_under_the_limit_is_accepted_and_reads_back()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("data", new string('d', 2800));
        var setCookie = (await store.CommitAsync())!;
        Assert.True(setCookie.Length <= 4096, $"{setCookie.Length} bytes");
        Assert.Equal(2800, ((string?)(await SessionStore.LoadAsync(storage, CookieHeaderFrom(setCookie))).Get("data"))!.Length);
    }

    [Fact]
    public async Task Keys_the_application_does_not_know_are_preserved_from_load_to_commit()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("legacy", new JsonObject { ["v"] = 1 });
        var header = CookieHeaderFrom((await store.CommitAsync())!);

        var next = await SessionStore.LoadAsync(storage, header);
        next.Set("user", "ada");
        var after = await SessionStore.LoadAsync(storage, CookieHeaderFrom((await next.CommitAsync())!));
        Assert.Equal("""{"v":1}""", after.Get("legacy")!.ToString());
        Assert.Equal("ada", (string?)after.Get("user"));
    }

    [Fact]
    public async Task A_value_that_no_longer_parses_as_the_requested_type_reads_as_absent_and_is_kept()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user_id", "not-a-number");
        store.Set("other", 7);
        var header = CookieHeaderFrom((await store.CommitAsync())!);

        var next = await SessionStore.LoadAsync(storage, header);
        Assert.False(next.TryGet("user_id", TestJson.Default.Int32, out _));
        Assert.Equal(0, next.Get("user_id", TestJson.Default.Int32));
        Assert.Equal(7, next.Get("other", TestJson.Default.Int32));
        next.Set("touched", true);
        var after = await SessionStore.LoadAsync(storage, CookieHeaderFrom((await next.CommitAsync())!));
        Assert.Equal("not-a-number", (string?)after.Get("user_id"));
    }

    [Fact]
    public async Task Typed_helpers_round_trip_records()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("cart", [new CartLine("sku-1", 2)], TestJson.Default.ListCartLine);
        store.Flash("last", new CartLine("sku-2", 1), TestJson.Default.CartLine);
        var next = await SessionStore.LoadAsync(storage, CookieHeaderFrom((await store.CommitAsync())!));
        Assert.Equal([new CartLine("sku-1", 2)], next.Get("cart", TestJson.Default.ListCartLine));
        Assert.Equal(new CartLine("sku-2", 1), next.Get("last", TestJson.Default.CartLine));
        Assert.True(next.IsFlash("last"));
    }

    [Fact]
    public async Task A_cookie_renewed_every_week_still_dies_at_the_absolute_lifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger, clock); // MaxAge 14 days, AbsoluteLifetime 30
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        // Read once a week: past half its MaxAge each cookie is re-issued, so sliding alone would keep it forever.
        for (var week = 1; week <= 4; week++)
        {
            clock.Advance(TimeSpan.FromDays(7.2));
            var store = await SessionStore.LoadAsync(storage, cookie);
            Assert.Equal("ada", (string?)store.Get("user"));
            cookie = (await store.CommitAsync())?.Split(';')[0] ?? cookie;
        }

        clock.Advance(TimeSpan.FromDays(2.5)); // 31.3 days after the session was created
        var expired = await SessionStore.LoadAsync(storage, cookie);
        Assert.Equal(0, expired.Count);
        Assert.Contains(logger.Entries, e => e.Message.Contains(nameof(CookieRejectionReason.AbsoluteLifetimeExceeded), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_browser_session_cookie_is_sent_without_an_expiry_and_still_expires_inside_its_payload()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var options = TestSecrets.Cookie();
        options.Persistent = false;
        options.MaxAge = TimeSpan.FromMinutes(20);
        var storage = new CookieSessionStorage(options, timeProvider: clock);
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var header = (await store.CommitAsync())!;
        Assert.DoesNotContain("Max-Age", header, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Expires", header, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; Path=/", header, StringComparison.Ordinal);
        Assert.Contains("; HttpOnly", header, StringComparison.Ordinal);
        var cookie = store.CommittedCookie!;
        Assert.False(cookie.IsPersistent);
        Assert.Equal(TimeSpan.FromMinutes(20), cookie.MaxAge); // when the server stops accepting it
        Assert.Equal(DateTimeOffset.Parse("2026-01-01T00:20:00Z"), cookie.Expires);

        // Accepted within MaxAge, refused after it, whatever the browser does with the cookie.
        clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(storage, header.Split(';')[0])).Get("user"));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null((string?)(await SessionStore.LoadAsync(storage, header.Split(';')[0])).Get("user"));

        // Ending the session still deletes the cookie with an expiry in the past.
        var signedIn = await SessionStore.LoadAsync(storage, (await CommitNew(storage)).Split(';')[0]);
        signedIn.Destroy();
        var deletion = (await signedIn.CommitAsync())!;
        Assert.Contains("; Max-Age=0", deletion, StringComparison.Ordinal);
        Assert.True(signedIn.CommittedCookie!.IsDeletion);

        // The default stays a persistent cookie.
        var persistent = new CookieSessionStorage(TestSecrets.Cookie(), timeProvider: clock);
        Assert.Contains("; Max-Age=1209600;", await CommitNew(persistent), StringComparison.Ordinal);

        static async Task<string> CommitNew(CookieSessionStorage storage)
        {
            var store = await SessionStore.LoadAsync(storage, null);
            store.Set("user", "grace");
            return (await store.CommitAsync())!;
        }
    }

    [Fact]
    public async Task The_browser_is_never_told_to_keep_a_cookie_past_the_absolute_lifetime()
    {
        // A MaxAge longer than the absolute lifetime: the first cookie already stops at the lifetime's end.
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var options = TestSecrets.Cookie();
        options.MaxAge = TimeSpan.FromDays(40);
        var storage = new CookieSessionStorage(options, timeProvider: clock);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var header = (await first.CommitAsync())!;
        Assert.Contains("; Max-Age=2592000;", header, StringComparison.Ordinal);
        Assert.Contains("; Expires=Sat, 31 Jan 2026 00:00:00 GMT", header, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromDays(30), first.CommittedCookie!.MaxAge);
        Assert.Equal(DateTimeOffset.Parse("2026-01-31T00:00:00Z"), first.CommittedCookie.Expires);

        // The default 14 days, renewed ten days before the end of the 30: the renewal says 10 days, not 14.
        var defaults = new CookieSessionStorage(TestSecrets.Cookie(), timeProvider: clock);
        var session = await SessionStore.LoadAsync(defaults, null);
        session.Set("user", "ada");
        var cookie = (await session.CommitAsync())!.Split(';')[0];
        clock.Advance(TimeSpan.FromDays(10));
        session = await SessionStore.LoadAsync(defaults, cookie);
        session.Set("user", "grace");
        cookie = (await session.CommitAsync())!.Split(';')[0];
        Assert.Equal(TimeSpan.FromDays(14), session.CommittedCookie!.MaxAge); // day 10: 14 more days still fit
        clock.Advance(TimeSpan.FromDays(10));
        session = await SessionStore.LoadAsync(defaults, cookie);
        Assert.Equal("grace", (string?)session.Get("user"));
        Assert.Equal(DateTimeOffset.Parse("2026-01-25T00:00:00Z"), session.Inspect().IdleExpiresAt); // issued on day 10, + 14
        session.Set("user", "alan");
        var renewed = (await session.CommitAsync())!;
        Assert.Equal(TimeSpan.FromDays(10), session.CommittedCookie!.MaxAge);
        Assert.Contains("; Max-Age=864000;", renewed, StringComparison.Ordinal);
        Assert.Contains("; Expires=Sat, 31 Jan 2026 00:00:00 GMT", renewed, StringComparison.Ordinal);

        // What tools are told (the inspector's idle expiry) stops there too.
        clock.Advance(TimeSpan.FromDays(1));
        var next = await SessionStore.LoadAsync(defaults, renewed.Split(';')[0]);
        Assert.Equal(DateTimeOffset.Parse("2026-01-31T00:00:00Z"), next.Inspect().IdleExpiresAt);
    }

    [Fact]
    public async Task Shortening_MaxAge_applies_to_cookies_already_issued()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var generous = new CookieSessionStorage(TestSecrets.Cookie(), timeProvider: clock);
        var store = await SessionStore.LoadAsync(generous, null);
        store.Set("user", "ada");
        var cookie = (await store.CommitAsync())!.Split(';')[0];

        clock.Advance(TimeSpan.FromHours(2));
        var strict = TestSecrets.Cookie();
        strict.MaxAge = TimeSpan.FromHours(1);
        Assert.Equal(0, (await SessionStore.LoadAsync(new CookieSessionStorage(strict, timeProvider: clock), cookie)).Count);
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(generous, cookie)).Get("user"));
    }

    [Fact]
    public async Task A_header_stuffed_with_copies_of_the_cookie_costs_four_tries_and_one_log_event()
    {
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var valid = (await store.CommitAsync())!.Split(';')[0];
        var tampered = valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1]; // same key id, fails authentication
        var header = string.Join("; ", Enumerable.Repeat(tampered, 32 * 1024 / tampered.Length)) + "; " + valid;
        Assert.True(header.Length >= 32 * 1024);

        var loaded = await SessionStore.LoadAsync(storage, header);
        Assert.Equal(0, loaded.Count); // the valid cookie is past the fourth candidate
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(1001, entry.EventId.Id);
        Assert.Contains("Tampered; 4 candidate(s)", entry.Message, StringComparison.Ordinal);

        // Within the first four, a valid cookie still wins, and the log does not claim a fresh session started.
        logger.Entries.Clear();
        var fewer = await SessionStore.LoadAsync(storage, string.Join("; ", Enumerable.Repeat(tampered, 3)) + "; " + valid);
        Assert.Equal("ada", (string?)fewer.Get("user"));
        var refused = Assert.Single(logger.Entries);
        Assert.Equal(1007, refused.EventId.Id);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, refused.Level);
        Assert.Contains("3 other cookie(s) of that name were refused (Tampered) before one opened; the session loaded", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fresh session", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_of_another_kind_of_storage_or_purpose_never_opens_even_with_the_same_name_and_secret()
    {
        var logger = new ListLogger<CookieSessionStorage>();
        var cookies = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() });
        var memoryStore = await SessionStore.LoadAsync(memory, null);
        memoryStore.Set("secret-content", "classified");
        var memoryCookie = (await memoryStore.CommitAsync())!.Split(';')[0];

        // The memory storage's id cookie is refused as not authentic: never decrypted, never parsed.
        Assert.Equal(0, (await SessionStore.LoadAsync(cookies, memoryCookie)).Count);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(1001, entry.EventId.Id);
        Assert.Contains("Tampered", entry.Message, StringComparison.Ordinal);

        // And the other way round.
        var cookieStore = await SessionStore.LoadAsync(cookies, null);
        cookieStore.Set("user", "ada");
        var bodyCookie = (await cookieStore.CommitAsync())!.Split(';')[0];
        Assert.Equal(0, (await SessionStore.LoadAsync(memory, bodyCookie)).Count);

        // A purpose of the application's own separates two otherwise identical storages.
        var billing = TestSecrets.Cookie();
        billing.Purpose = "billing";
        Assert.Equal(0, (await SessionStore.LoadAsync(new CookieSessionStorage(billing), bodyCookie)).Count);
        Assert.Equal("ada", (string?)(await SessionStore.LoadAsync(cookies, bodyCookie)).Get("user"));
    }

    [Fact]
    public async Task Logs_never_carry_a_cookie_value_a_secret_a_session_id_or_session_content()
    {
        var logger = new ListLogger<CookieSessionStorage>();
        var memoryLogger = new ListLogger<MemorySessionStorage>();
        var cookies = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var memory = new MemorySessionStorage(new MemorySessionOptions { Cookie = TestSecrets.Cookie() }, memoryLogger);
        var store = await SessionStore.LoadAsync(cookies, null);
        store.Set("user", "content-marker-ada");
        var valid = (await store.CommitAsync())!.Split(';')[0];
        var memoryStore = await SessionStore.LoadAsync(memory, null);
        memoryStore.Set("user", "content-marker-grace");
        var memoryCookie = (await memoryStore.CommitAsync())!.Split(';')[0];

        var hostile = new[]
        {
            valid[..^3] + "AAA", memoryCookie, "session=" + new string('%', 60), string.Join("; ", Enumerable.Repeat(valid[..^1] + "B", 6)),
            "session=" + valid[8..40], valid + "; " + memoryCookie,
        };
        foreach (var header in hostile)
        {
            await SessionStore.LoadAsync(cookies, header);
            await SessionStore.LoadAsync(memory, header.Replace("session=", "session=", StringComparison.Ordinal));
        }

        var logged = string.Join("\n", logger.Entries.Concat(memoryLogger.Entries).Select(e => e.Message));
        Assert.NotEmpty(logged);
        foreach (var cookie in new[] { valid, memoryCookie })
        {
            var value = cookie[(cookie.IndexOf('=') + 1)..];
            for (var i = 0; i + 12 <= value.Length; i += 6)
            {
                Assert.DoesNotContain(value.Substring(i, 12), logged, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(TestSecrets.Current, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("content-marker", logged, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData(new byte[] { 0x02, 0x05 })]
    [InlineData(new byte[] { 0x07, 0x00 })]
    [InlineData(new byte[] { 0x02, 0x01, 0x00, 0x01, (byte)'k', 0x09, (byte)'1' })]
    public async Task A_cookie_that_decrypts_to_a_body_that_is_not_a_session_gives_a_fresh_session_and_is_logged(byte[] body)
    {
        // Only someone holding the secret can make one (or a bug): authenticated, timely, and not a session body.
        var options = TestSecrets.Cookie();
        var codec = new EncryptedCookieCodec(options, CookiePurpose.SessionBody, null, null);
        var cookie = codec.Write(body, null, 0, static _ => []);
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(options, logger);

        var store = await SessionStore.LoadAsync(storage, CookieHeaderFrom(cookie.SetCookieHeader));
        Assert.Empty(store.Keys);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(1003, entry.EventId.Id);
        Assert.Contains("FormatException", entry.Message, StringComparison.Ordinal);
        store.Set("after", 1);
        var reloaded = await SessionStore.LoadAsync(storage, CookieHeaderFrom((await store.CommitAsync())!));
        Assert.Equal(1, (int)reloaded.Get("after")!);
    }
    [Theory]
    [InlineData("session=")]
    [InlineData("session=\"\"")]
    [InlineData("other=1; session=; theme=dark")]
    public async Task An_empty_cookie_value_is_no_cookie_not_a_rejected_one(string header)
    {
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var store = await SessionStore.LoadAsync(storage, header);
        Assert.Equal(0, store.Count);
        Assert.Empty(logger.Entries);

        // Next to a valid cookie it is passed over without a word, and the valid one loads.
        var valid = CookieHeaderFrom(await CommitOne(storage, "user", "ada"));
        var loaded = await SessionStore.LoadAsync(storage, header + "; " + valid);
        Assert.Equal("ada", (string)loaded.Get("user")!);
        Assert.Empty(logger.Entries);
    }
}
