namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>
/// A response computed from a session is never stored in ASP.NET Core's output cache, which does not vary by cookie:
/// otherwise one user's page would be served to the next, even with no session change to commit.
/// </summary>
public sealed class OutputCacheTests
{
    private const string Secret = "output-cache-tests-secret-0123456789abcdef";

    [Fact]
    public async Task A_cached_endpoint_that_reads_the_session_is_not_served_to_another_user()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddOutputCache();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseOutputCache();
        var rendered = 0;
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/hello", (TestSession s) => $"hello {s.Name ?? "anonymous"} #{Interlocked.Increment(ref rendered)}").CacheOutput();
        app.MapGet("/public", () => $"public #{Interlocked.Increment(ref rendered)}").CacheOutput();
        await using var host = await KestrelHost.StartAsync(app);
        using var ada = host.Client();
        using var grace = host.Client();
        await ada.Http.PostAsync("/name/ada", null);
        await grace.Http.PostAsync("/name/grace", null);

        Assert.StartsWith("hello ada #", await ada.Http.GetStringAsync("/hello"));
        Assert.StartsWith("hello grace #", await grace.Http.GetStringAsync("/hello"));
        Assert.StartsWith("hello ada #", await ada.Http.GetStringAsync("/hello"));

        // The cache itself works for endpoints that do not touch the session.
        var first = await ada.Http.GetStringAsync("/public");
        Assert.Equal(first, await grace.Http.GetStringAsync("/public"));
    }
}
