using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Remastered.Sessions.AspNetCore.Tests;

[Session<MemorySessionStorage>]
public partial class AuthSession
{
    [SessionKey] public partial string? User { get; set; }
}

[Session<CookieSessionStorage>]
public partial class PreferencesSession
{
    [SessionKey] public partial string? Theme { get; set; }
}

[Session<CookieSessionStorage>]
public partial class OtherCookieSession
{
    [SessionKey] public partial string? Note { get; set; }
}

/// <summary>Several schemas in one application: each its own options, storage and cookie; a shared cookie name stops the app.</summary>
public sealed class SeveralSchemasTests
{
    private const string Secret = "several-schemas-secret-0123456789abcdefghij";

    [Fact]
    public async Task Two_schemas_keep_their_own_options_storages_and_cookies()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Preferences:Cookie:Name"] = "prefs",
            ["Preferences:Cookie:Secrets:0"] = Secret,
        });
        builder.Services.AddRemasteredSession<AuthSession, MemorySessionStorage>(o => { o.Cookie.Name = "sid"; o.Cookie.Secrets = [Secret]; });
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(builder.Configuration.GetSection("Preferences"));
        var app = builder.Build();
        app.MapPost("/login", (AuthSession auth) => { auth.User = "ada"; return "ok"; });
        app.MapPost("/theme", (PreferencesSession prefs) => { prefs.Theme = "dark"; return "ok"; });
        app.MapGet("/both", (AuthSession auth, PreferencesSession prefs) => $"{auth.User ?? "anonymous"}/{prefs.Theme ?? "light"}");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        await client.Http.PostAsync("/login", null);
        await client.Http.PostAsync("/theme", null);
        Assert.NotNull(client.Cookie("sid"));
        Assert.NotNull(client.Cookie("prefs"));
        Assert.Equal("ada/dark", await client.Http.GetStringAsync("/both"));

        // Each storage is the schema's own: the memory storage holds one session, the cookie storage writes "prefs".
        Assert.Equal(1, host.App.Services.GetRequiredKeyedService<MemorySessionStorage>(typeof(AuthSession)).Count);
        Assert.Equal("prefs", host.App.Services.GetRequiredKeyedService<CookieSessionStorage>(typeof(PreferencesSession)).CookieName);

        // Changing one schema sends only that schema's cookie.
        var response = await client.Http.PostAsync("/theme", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(response.Headers.GetValues("Set-Cookie"), c => Assert.StartsWith("prefs=", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_schemas_that_would_write_the_same_cookie_stop_the_app_at_start_up_naming_both()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddRemasteredSession<OtherCookieSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession", error.Message, StringComparison.Ordinal);
        Assert.Contains("OtherCookieSession", error.Message, StringComparison.Ordinal);
        Assert.Contains("cookie session", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("X-Session", "X-Session", null, null, "request header x-session", "options.HeaderName")]
    [InlineData("Authorization", "X-Session-Token", null, null, "response header x-session-token", "options.ResponseHeaderName")]
    [InlineData("X-A", "X-B", "X-Out", "x-out", "response header x-out", "options.ResponseHeaderName")]
    public async Task Two_header_mode_schemas_sharing_a_request_or_response_header_stop_the_app_at_start_up(string firstHeader, string secondHeader, string? firstResponse, string? secondResponse, string shared, string setting)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Transport = SessionTransport.Header;
            o.HeaderName = firstHeader;
            o.ResponseHeaderName = firstResponse;
        });
        builder.Services.AddRemasteredSession<OtherCookieSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Name = "other";
            o.Cookie.Secrets = [Secret];
            o.Transport = SessionTransport.Header;
            o.HeaderName = secondHeader;
            o.ResponseHeaderName = secondResponse;
        });
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession and OtherCookieSession both use the " + shared, error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task A_header_mode_schema_sharing_its_cookie_name_with_another_schema_stops_the_app_at_start_up(bool firstInHeader, bool secondInHeader)
    {
        // Both keep the default cookie name, under which a header-mode token is sealed: without the check, a token one
        // schema issued (sent as the other's cookie or header) would open as the other's session.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Transport = firstInHeader ? SessionTransport.Header : SessionTransport.Cookie;
            o.HeaderName = "X-Prefs";
        });
        builder.Services.AddRemasteredSession<OtherCookieSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Transport = secondInHeader ? SessionTransport.Header : SessionTransport.Cookie;
            o.HeaderName = "X-Other";
        });
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession and OtherCookieSession both seal their tokens under the cookie name session for the same kind of storage", error.Message, StringComparison.Ordinal);
        Assert.Contains("a token issued to one could open as the other's session", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.Cookie.Name", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cookie.Purpose", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("another kind of storage")]
    [InlineData("another purpose")]
    [InlineData("another secret")]
    public async Task A_header_mode_schema_may_share_its_cookie_name_when_its_tokens_are_sealed_apart(string apart)
    {
        // Tokens are sealed under the name, the kind of storage, the purpose and the secret: with any of the last three
        // apart, one schema's token never opens as the other's, and the app starts.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        if (apart == "another kind of storage")
        {
            builder.Services.AddRemasteredSession<AuthSession, MemorySessionStorage>(o =>
            {
                o.Cookie.Secrets = [Secret];
                o.Transport = SessionTransport.Header;
            });
        }
        else
        {
            builder.Services.AddRemasteredSession<OtherCookieSession, CookieSessionStorage>(o =>
            {
                o.Cookie.Secrets = [apart == "another secret" ? CookieSessionOptions.GenerateSecret() : Secret];
                o.Cookie.Purpose = apart == "another purpose" ? "api" : null;
                o.Transport = SessionTransport.Header;
            });
        }

        var app = builder.Build();
        app.MapGet("/theme", (PreferencesSession prefs) => prefs.Theme ?? "none");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        Assert.Equal("none", await client.Http.GetStringAsync("/theme"));
    }

    [Fact]
    public async Task A_header_mode_schema_over_a_storage_of_the_apps_own_is_assumed_to_seal_like_any_other()
    {
        // A decorator around the cookie storage seals as the cookie storage does, which the check cannot see: on the
        // same name it is refused, as a storage of a known kind would be.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddRemasteredSession<CountedSession, CountingStorage>(
            configuration: null,
            configure: o => { o.Cookie.Secrets = [Secret]; o.Transport = SessionTransport.Header; },
            storageFactory: (provider, options) => new CountingStorage(provider.CreateCookieSessionStorage(options)));
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession and CountedSession both seal their tokens under the cookie name session", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_header_mode_schema_and_a_cookie_schema_with_names_of_their_own_both_work()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddRemasteredSession<OtherCookieSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Name = "api";
            o.Cookie.Secrets = [Secret];
            o.Transport = SessionTransport.Header;
        });
        var app = builder.Build();
        app.MapPost("/note", (OtherCookieSession api) => api.Note = "from the api");
        app.MapGet("/theme", (PreferencesSession prefs) => prefs.Theme ?? "none");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var token = (await client.Http.PostAsync("/note", null)).Headers.GetValues("X-Session").Single();
        using var asCookie = new HttpRequestMessage(HttpMethod.Get, "/theme");
        asCookie.Headers.Add("Cookie", "session=" + token);
        var response = await client.Http.SendAsync(asCookie);
        Assert.Equal("none", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Registering_the_same_schema_twice_is_refused_at_once()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var error = Assert.Throws<InvalidOperationException>(() => builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Name = "b"));
        Assert.Contains("PreferencesSession is already registered", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bad Header:", null, "HeaderName 'Bad Header:' is not a valid HTTP header name")]
    [InlineData("X-Session", "Set-Cookie", "ResponseHeaderName cannot be 'Set-Cookie'")]
    [InlineData("Cookie", null, "HeaderName cannot be 'Cookie'")]
    [InlineData("Set-Cookie", null, "HeaderName cannot be 'Set-Cookie'")]
    [InlineData("X-Session", "X Token", "ResponseHeaderName 'X Token' is not a valid HTTP header name")]
    public async Task Header_names_that_cannot_carry_the_token_stop_the_app_at_start_up(string headerName, string? responseHeaderName, string expected)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Transport = SessionTransport.Header;
            o.HeaderName = headerName;
            o.ResponseHeaderName = responseHeaderName;
        });
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession session options: " + expected, error.Message, StringComparison.Ordinal);
        Assert.Single(error.Failures); // a request header refused is not reported again as the response header
        await app.DisposeAsync();
    }

    /// <summary>A storage of the application's own, with no cookie layer: it needs no secrets from the integration.</summary>
    public sealed class PlainStorage : ISessionStorage<JsonSessionValue>
    {
        public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new StoredSession<JsonSessionValue>());

        public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
            => ValueTask.FromResult("plain=1");
    }

    [Fact]
    public async Task A_storage_from_dependency_injection_needs_no_secrets_and_errors_name_the_schema()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton(new PlainStorage());
        builder.Services.AddRemasteredSession<PlainSession, PlainStorage>(o => o.Cookie.Name = "plain");
        builder.Services.AddRemasteredSession<PreferencesSession, CookieSessionStorage>(o => o.Cookie.Secrets = ["too short"]);
        var app = builder.Build();
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("PreferencesSession session options: Cookie:Secrets", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PlainSession", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }
}

[Session<SeveralSchemasTests.PlainStorage>]
public partial class PlainSession
{
    [SessionKey] public partial string? Note { get; set; }
}
