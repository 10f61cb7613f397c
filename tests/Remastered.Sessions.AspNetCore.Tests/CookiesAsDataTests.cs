using System.Net;
using Microsoft.Net.Http.Headers;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>A storage that adds an attribute to the header text: the integration must send its text as it is.</summary>
public sealed class PartitionedCookieStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
{
    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default) => inner.FromHeaderAsync(header, cancellationToken);

    public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
        => await inner.ToHeaderAsync(session, cancellationToken) + "; Partitioned";
}

[Session<PartitionedCookieStorage>]
public partial class PartitionedSession
{
    [SessionKey] public partial string? Name { get; set; }
}

/// <summary>
/// The integration writes the storage's cookie from data (<see cref="SessionCookie"/>) through <c>Response.Cookies</c>,
/// or its value as the token header; a custom storage's own header text goes out unchanged.
/// </summary>
public sealed class CookiesAsDataTests
{
    private const string Secret = "cookies-as-data-secret-0123456789abcdefghijk";

    [Fact]
    public async Task The_cookie_carries_the_storage_options_path_domain_samesite_and_lifetime()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Cookie.Name = "app-session";
            o.Cookie.Path = "/shop";
            o.Cookie.Domain = "127.0.0.1";
            o.Cookie.SameSite = CookieSameSite.Strict;
            o.Cookie.MaxAge = TimeSpan.FromMinutes(90);
        });
        var app = builder.Build();
        app.MapPost("/shop/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/shop/name", (TestSession s) => s.Name ?? "anonymous");
        app.MapPost("/shop/logout", (TestSession s) => { s.Destroy(); return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var response = await client.Http.PostAsync("/shop/name/ada", null);
        var cookie = SetCookieHeaderValue.Parse(Assert.Single(response.Headers.GetValues("Set-Cookie")));
        Assert.Equal("app-session", cookie.Name.Value);
        Assert.Equal("/shop", cookie.Path.Value);
        Assert.Equal("127.0.0.1", cookie.Domain.Value);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, cookie.SameSite);
        Assert.Equal(TimeSpan.FromMinutes(90), cookie.MaxAge);
        Assert.True(cookie.HttpOnly);
        Assert.False(cookie.Secure);
        Assert.Equal("ada", await client.Http.GetStringAsync("/shop/name"));

        var logout = await client.Http.PostAsync("/shop/logout", null);
        var deletion = SetCookieHeaderValue.Parse(Assert.Single(logout.Headers.GetValues("Set-Cookie")));
        Assert.Equal("app-session", deletion.Name.Value);
        Assert.Equal("/shop", deletion.Path.Value);
        Assert.Equal("127.0.0.1", deletion.Domain.Value);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow);
        Assert.Equal("anonymous", await client.Http.GetStringAsync("/shop/name"));
    }

    [Fact]
    public async Task In_header_mode_the_token_is_the_cookie_value_and_a_destroyed_session_answers_an_empty_token()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Transport = SessionTransport.Header;
        });
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/logout", (TestSession s) => { s.Destroy(); return "ok"; });
        app.MapGet("/name", (TestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var first = await client.Http.PostAsync("/name/ada", null);
        var token = Assert.Single(first.Headers.GetValues("X-Session"));
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.False(first.Headers.Contains("Set-Cookie"));

        using var read = new HttpRequestMessage(HttpMethod.Get, "/name");
        read.Headers.Add("X-Session", token);
        Assert.Equal("ada", await (await client.Http.SendAsync(read)).Content.ReadAsStringAsync());

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add("X-Session", token);
        var ended = await client.Http.SendAsync(logout);
        Assert.Equal("", Assert.Single(ended.Headers.GetValues("X-Session")));
    }

    [Fact]
    public async Task A_custom_storages_own_header_text_is_sent_unchanged()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton(new PartitionedCookieStorage(new CookieSessionStorage(new CookieSessionOptions { Secrets = [Secret], Secure = true })));
        builder.Services.AddRemasteredSession<PartitionedSession, PartitionedCookieStorage>();
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, PartitionedSession s) => { s.Name = name; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.PostAsync("/name/ada", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.EndsWith("; Secure; HttpOnly; SameSite=Lax; Partitioned", header);
    }

    [Fact]
    public async Task A_cookie_consent_policy_does_not_drop_the_session_cookie()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseCookiePolicy();
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/name", (TestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.PostAsync("/name/ada", null);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), v => v.StartsWith("session=", StringComparison.Ordinal));
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task In_header_mode_a_custom_storages_header_text_gives_its_cookie_value_as_the_token()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton(new PartitionedCookieStorage(new CookieSessionStorage(new CookieSessionOptions { Secrets = [Secret] })));
        builder.Services.AddRemasteredSession<PartitionedSession, PartitionedCookieStorage>(o => o.Transport = SessionTransport.Header);
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, PartitionedSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/name", (PartitionedSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var token = Assert.Single((await client.Http.PostAsync("/name/ada", null)).Headers.GetValues("X-Session"));
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        using var read = new HttpRequestMessage(HttpMethod.Get, "/name");
        read.Headers.Add("X-Session", token);
        Assert.Equal("ada", await (await client.Http.SendAsync(read)).Content.ReadAsStringAsync());
    }
}
