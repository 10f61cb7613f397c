using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Remastered.Sessions.AspNetCore.Tests;

public sealed class InspectedItem
{
    public string Sku { get; set; } = "";

    public int Quantity { get; set; }
}

[Session<MemorySessionStorage>]
public partial class InspectedObjectSession
{
    [SessionKey] public partial List<InspectedItem>? Items { get; set; }
}

/// <summary>A document storage of the application's own, wrapped in encrypted cookies: a generic storage type.</summary>
[Session<EncryptedCookieStorage<JsonSessionValue, string>>]
public partial class WrappedDocumentSession
{
    [SessionKey] public partial string? Note { get; set; }
}

/// <summary>Keeps each session's JSON under a random id (the id is the wrapped storage's header).</summary>
public sealed class InspectedDocumentStorage : ISessionStorage<JsonSessionValue, string>
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, StoredSession<JsonSessionValue>> _documents = new();

    private static StoredSession<JsonSessionValue> Copy(StoredSession<JsonSessionValue> s) => new(new(s.Content), new(s.FlashedKeys));

    /// <inheritdoc />
    public ValueTask<SessionReadResult<JsonSessionValue, string>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(header is not null && _documents.TryGetValue(header, out var kept)
            ? new SessionReadResult<JsonSessionValue, string>(Copy(kept), header)
            : new SessionReadResult<JsonSessionValue, string>(new(), SessionIds.NewId()));

    /// <inheritdoc />
    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, string metadata, CancellationToken cancellationToken = default)
    {
        _documents[metadata] = Copy(session);
        return ValueTask.FromResult(metadata);
    }
}

/// <summary>The development session inspector, on Kestrel: what it shows, what it never changes, where it is not mapped.</summary>
public sealed class SessionInspectorTests
{
    private const string Secret = "inspector-tests-secret-0123456789abcdefghijk";

    private static async Task<KestrelHost> Start(string environment, Action<SessionInspectorOptions>? configure = null)
    {
        var builder = KestrelHost.CreateBuilder(environment);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddRemasteredSession<InspectedObjectSession, MemorySessionStorage>(o => { o.Cookie.Name = "sid"; o.Cookie.Secrets = [Secret]; });
        var app = builder.Build();
        app.MapPost("/sign-in/{name}", (string name, TestSession session) =>
        {
            session.Name = name;
            session.Counter = 3;
            session.Message = "Saved!";
            return "ok";
        });
        app.MapPost("/items", (InspectedObjectSession session) =>
        {
            session.Items = [new InspectedItem { Sku = "A-1", Quantity = 2 }];
            return "ok";
        });
        app.MapGet("/message", (TestSession session) => session.Message ?? "none");
        app.MapSessionInspector("/_session", configure);
        return await KestrelHost.StartAsync(app);
    }

    private static async Task<JsonElement> Inspect(Browserish client, string schema)
    {
        var response = await client.Http.GetAsync("/_session?format=json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-cache, no-store", response.Headers.NonValidated["Cache-Control"].ToString());
        Assert.False(response.Headers.Contains("Set-Cookie"), "viewing the inspector must not send a cookie");
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(4096, root.GetProperty("cookieBudget").GetInt32());
        return root.GetProperty("schemas").EnumerateArray().Single(s => s.GetProperty("schema").GetString() == schema);
    }

    private static JsonElement Entry(JsonElement schema, string key)
        => schema.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("key").GetString() == key);

    [Fact]
    public async Task In_development_it_shows_each_key_its_json_size_and_flash_status_with_the_cookie_size_and_expiry()
    {
        await using var host = await Start("Development");
        using var client = host.Client();
        var before = await client.Http.GetAsync("/_session?format=json");
        var fresh = JsonDocument.Parse(await before.Content.ReadAsStringAsync()).RootElement.GetProperty("schemas")[0];
        Assert.True(fresh.GetProperty("isNew").GetBoolean());
        Assert.Equal(0, fresh.GetProperty("entries").GetArrayLength());

        await client.Http.PostAsync("/sign-in/Ada", null);
        var schema = await Inspect(client, typeof(TestSession).FullName!);
        Assert.Equal("CookieSessionStorage", schema.GetProperty("storage").GetString());
        Assert.Equal("cookie", schema.GetProperty("transport").GetString());
        Assert.Equal("session", schema.GetProperty("cookieName").GetString());
        Assert.False(schema.GetProperty("sentWasRejected").GetBoolean());
        Assert.Equal(("session=" + client.Cookie("session")).Length, schema.GetProperty("sentSize").GetInt32());
        Assert.False(schema.GetProperty("isNew").GetBoolean());

        var name = Entry(schema, "name");
        Assert.Equal("Ada", name.GetProperty("value").GetString());
        Assert.Equal("\"Ada\"".Length, name.GetProperty("size").GetInt32());
        Assert.Equal("persistent", name.GetProperty("flash").GetString());
        Assert.Equal(3, Entry(schema, "counter").GetProperty("value").GetInt32());
        var flash = Entry(schema, "message");
        Assert.Equal("Saved!", flash.GetProperty("value").GetString());
        Assert.Equal("removed-by-next-app-request", flash.GetProperty("flash").GetString());

        // Expiry times: created now, idle expiry one MaxAge (14 days by default) after issue, absolute at 30 days.
        var created = schema.GetProperty("createdAt").GetDateTimeOffset();
        Assert.InRange(DateTimeOffset.UtcNow - created, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.InRange(schema.GetProperty("idleExpiresAt").GetDateTimeOffset() - created, TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        Assert.Equal(created + TimeSpan.FromDays(30), schema.GetProperty("absoluteExpiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Viewing_the_inspector_consumes_no_flash_and_changes_nothing()
    {
        await using var host = await Start("Development");
        using var client = host.Client();
        await client.Http.PostAsync("/sign-in/Ada", null);
        var cookie = client.Cookie("session");
        await Inspect(client, typeof(TestSession).FullName!);
        await Inspect(client, typeof(TestSession).FullName!);
        Assert.Equal(cookie, client.Cookie("session"));
        Assert.Equal("Saved!", await client.Http.GetStringAsync("/message"));
        var after = await Inspect(client, typeof(TestSession).FullName!);
        Assert.DoesNotContain(after.GetProperty("entries").EnumerateArray(), e => e.GetProperty("key").GetString() == "message");
    }

    [Fact]
    public async Task It_shows_only_the_callers_own_session()
    {
        await using var host = await Start("Development");
        using var ada = host.Client();
        using var grace = host.Client();
        await ada.Http.PostAsync("/sign-in/Ada", null);
        await grace.Http.PostAsync("/sign-in/Grace", null);
        Assert.Equal("Ada", Entry(await Inspect(ada, typeof(TestSession).FullName!), "name").GetProperty("value").GetString());
        Assert.Equal("Grace", Entry(await Inspect(grace, typeof(TestSession).FullName!), "name").GetProperty("value").GetString());
        using var stranger = host.Client();
        var html = await stranger.Http.GetStringAsync("/_session");
        Assert.DoesNotContain("Ada", html);
        Assert.DoesNotContain("Grace", html);
        Assert.Contains("The session is empty.", html);
    }

    [Fact]
    public async Task Every_registered_schema_is_shown_and_object_values_of_the_memory_storage_are_described()
    {
        await using var host = await Start("Development");
        using var client = host.Client();
        await client.Http.PostAsync("/items", null);
        var schema = await Inspect(client, typeof(InspectedObjectSession).FullName!);
        Assert.Equal("MemorySessionStorage", schema.GetProperty("storage").GetString());
        Assert.Equal("sid", schema.GetProperty("cookieName").GetString());

        // On the server, the session ends IdleTimeout (20 min) after its last request and at most a day after it began;
        // the id cookie's own 14-day expiry is shown apart, not as the session's.
        Assert.Equal(20 * 60, schema.GetProperty("serverIdleTimeoutSeconds").GetInt32());
        Assert.False(schema.TryGetProperty("idleExpiresAt", out _));
        var created = schema.GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(created + TimeSpan.FromDays(1), schema.GetProperty("absoluteExpiresAt").GetDateTimeOffset());
        Assert.True(schema.GetProperty("cookieExpiresAt").GetDateTimeOffset() > created + TimeSpan.FromDays(13));
        Assert.Contains("20 min after its last request", await client.Http.GetStringAsync("/_session"));
        var items = Entry(schema, "items");
        Assert.Equal(JsonValueKind.Null, items.GetProperty("size").ValueKind);
        Assert.StartsWith("List<InspectedItem>", items.GetProperty("display").GetString());
        Assert.True((await Inspect(client, typeof(TestSession).FullName!)).GetProperty("isNew").GetBoolean());
    }

    [Fact]
    public async Task A_generic_storage_type_is_named_as_in_csharp()
    {
        var builder = KestrelHost.CreateBuilder("Development");
        builder.Services.AddRemasteredSession<WrappedDocumentSession, EncryptedCookieStorage<JsonSessionValue, string>>(
            configuration: null,
            o => { o.Cookie.Name = "doc"; o.Cookie.Secrets = [Secret]; },
            storageFactory: (_, o) => SessionStorage.WithEncryptedCookies(new InspectedDocumentStorage(), o.Cookie));
        var app = builder.Build();
        app.MapPost("/note", (WrappedDocumentSession session) => session.Note = "kept");
        app.MapSessionInspector("/_session");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/note", null);

        var schema = await Inspect(client, typeof(WrappedDocumentSession).FullName!);
        Assert.Equal("EncryptedCookieStorage<JsonSessionValue, string>", schema.GetProperty("storage").GetString());
        Assert.Equal("kept", Entry(schema, "note").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_html_page_encodes_values_and_draws_the_cookie_budget()
    {
        await using var host = await Start("Development");
        using var client = host.Client();
        await client.Http.PostAsync("/sign-in/" + Uri.EscapeDataString("<script>alert(1)</script>"), null);
        var response = await client.Http.GetAsync("/_session");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain("<script>", html);
        // The value shows as stored: System.Text.Json's escaped JSON, then HTML-encoded.
        Assert.Contains("\\u003Cscript\\u003E", html);
        Assert.Contains("role=\"meter\"", html);
        Assert.Contains("aria-valuemax=\"4096\"", html);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_development_it_is_not_mapped_unless_explicitly_enabled(string environment)
    {
        await using (var host = await Start(environment))
        {
            using var client = host.Client();
            await client.Http.PostAsync("/sign-in/Ada", null);
            Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/_session")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("/_session?format=json")).StatusCode);
        }

        await using (var enabled = await Start(environment, o => o.AllowOutsideDevelopment = true))
        {
            using var client = enabled.Client();
            await client.Http.PostAsync("/sign-in/Ada", null);
            Assert.Equal("Ada", Entry(await Inspect(client, typeof(TestSession).FullName!), "name").GetProperty("value").GetString());
        }
    }

    [Fact]
    public async Task A_cookie_that_opened_no_session_is_pointed_out()
    {
        await using var host = await Start("Development");
        using var client = host.Client();
        client.Cookies.Add(host.Address, new System.Net.Cookie("session", "not-a-real-session-cookie"));
        var schema = await Inspect(client, typeof(TestSession).FullName!);
        Assert.True(schema.GetProperty("sentWasRejected").GetBoolean());
        Assert.True(schema.GetProperty("isNew").GetBoolean());
        Assert.Contains("opened no session", await client.Http.GetStringAsync("/_session"));
    }

    [Fact]
    public async Task An_output_cache_that_caches_everything_never_shares_the_inspector_page()
    {
        var builder = KestrelHost.CreateBuilder("Development");
        builder.Services.AddOutputCache(o => o.AddBasePolicy(p => p.Cache().Expire(TimeSpan.FromMinutes(5))));
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseOutputCache();
        app.MapPost("/sign-in/{name}", (string name, TestSession session) => { session.Name = name; return "ok"; });
        app.MapGet("/cached", () => DateTime.UtcNow.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        app.MapSessionInspector();
        await using var host = await KestrelHost.StartAsync(app);
        using var ada = host.Client();
        using var stranger = host.Client();

        // The base policy does cache: an ordinary page is served twice from the cache.
        Assert.Equal(await ada.Http.GetStringAsync("/cached"), await stranger.Http.GetStringAsync("/cached"));

        await ada.Http.PostAsync("/sign-in/Ada", null);
        Assert.Contains("Ada", await ada.Http.GetStringAsync("/_session"));
        Assert.DoesNotContain("Ada", await stranger.Http.GetStringAsync("/_session"));
    }
}
