namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>A page cached for a minute by any cache: per user, thanks to Vary: Cookie.</summary>
public sealed class CachedGreetingController : Microsoft.AspNetCore.Mvc.Controller
{
    [Microsoft.AspNetCore.Mvc.HttpGet("/mvc/greeting")]
    [Microsoft.AspNetCore.Mvc.ResponseCache(Duration = 60, Location = Microsoft.AspNetCore.Mvc.ResponseCacheLocation.Any)]
    public Microsoft.AspNetCore.Mvc.IActionResult Greeting(TestSession session) => Content($"hello {session.Name ?? "anonymous"}");
}

/// <summary>
/// ASP.NET Core's response caching middleware decides at the first write of the body, before the response starts, so
/// a session first read while the body is produced (a view's <c>@inject</c>) committed its <c>no-store</c> too late:
/// a page that consumed one user's flash was stored as public and served to the next visitor.
/// </summary>
public sealed class ResponseCachingTests
{
    private const string Secret = "response-caching-tests-secret-0123456789abcdef";

    [Fact]
    public async Task A_public_response_that_read_someones_session_is_never_served_to_someone_else()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddResponseCaching();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseResponseCaching();
        var rendered = 0;
        app.MapPost("/sign-in/{name}", (string name, TestSession s) => { s.Name = name; s.Message = $"Welcome, {name}!"; return "ok"; });
        app.MapGet("/page", async (HttpContext context) =>
        {
            // As [ResponseCache(Location = Any)] does before the action, and a view reads the session as it renders.
            context.Response.Headers.CacheControl = "public, max-age=60";
            var s = await context.GetSessionAsync<TestSession>();
            await context.Response.WriteAsync($"{s.Message ?? "(no message)"} {s.Name ?? "anonymous"} #{Interlocked.Increment(ref rendered)}");
        });
        app.MapGet("/public", async (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=60";
            await context.Response.WriteAsync($"public #{Interlocked.Increment(ref rendered)}");
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var ada = host.Client();
        using var visitor = host.Client();
        await ada.Http.PostAsync("/sign-in/ada", null);

        using var adaPage = await ada.Http.GetAsync("/page?r=1");
        Assert.StartsWith("Welcome, ada! ada #", await adaPage.Content.ReadAsStringAsync());
        Assert.Contains("Cookie", adaPage.Headers.Vary);

        var visitorPage = await visitor.Http.GetStringAsync("/page?r=1");
        Assert.StartsWith("(no message) anonymous #", visitorPage);

        // A read that changes nothing still varies by the cookie: each client gets what its own session says.
        Assert.StartsWith("(no message) ada #", await ada.Http.GetStringAsync("/page?r=2"));
        Assert.StartsWith("(no message) anonymous #", await visitor.Http.GetStringAsync("/page?r=2"));

        // The cache still serves what does not read the session.
        var first = await ada.Http.GetStringAsync("/public");
        Assert.Equal(first, await visitor.Http.GetStringAsync("/public"));
    }

    [Fact]
    public async Task MVCs_ResponseCache_attribute_does_not_remove_the_Vary_Cookie_of_a_page_that_read_the_session()
    {
        // ResponseCacheFilter runs after the session was loaded (model binding) and replaces Vary and Cache-Control.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddResponseCaching();
        builder.Services.AddControllers().AddApplicationPart(typeof(CachedGreetingController).Assembly);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseResponseCaching();
        app.MapPost("/sign-in/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapControllers();
        await using var host = await KestrelHost.StartAsync(app);
        using var ada = host.Client();
        using var visitor = host.Client();
        await ada.Http.PostAsync("/sign-in/ada", null);

        using var adaPage = await ada.Http.GetAsync("/mvc/greeting");
        Assert.Equal("hello ada", await adaPage.Content.ReadAsStringAsync());
        Assert.Contains("Cookie", adaPage.Headers.Vary);
        Assert.Equal("hello anonymous", await visitor.Http.GetStringAsync("/mvc/greeting"));
    }
}
