using System.Net;
using Microsoft.AspNetCore.Mvc;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>An MVC controller that is not an [ApiController]: its parameters are model-bound unless told otherwise.</summary>
public sealed class PlainMvcController : Controller
{
    [HttpGet("/mvc/name")]
    public IActionResult Name(TestSession session) => Content(session.Name ?? "(none)");

    [HttpPost("/mvc/name/{name}")]
    public IActionResult SetName(string name, TestSession session)
    {
        session.Name = name;
        session.Message = "Saved!";
        return RedirectToAction(nameof(Name));
    }

    [HttpPost("/mvc/explicit-commit/{name}")]
    public async Task<IActionResult> ExplicitCommit(string name, TestSession session)
    {
        session.Name = name;
        await session.CommitAsync(HttpContext.RequestAborted);
        return Content("committed");
    }

    [HttpPost("/mvc/logout")]
    public async Task<IActionResult> Logout(TestSession session)
    {
        await session.DestroyAsync(HttpContext.RequestAborted);
        return Redirect("/mvc/name");
    }
}

/// <summary>
/// What a request does with the session is sent with its response, whoever committed: the middleware, or the
/// application itself through <c>CommitAsync</c> / <c>DestroyAsync</c> (an explicit commit used to clear the session's
/// dirty state, so the header it built was never sent: the change and a sign-out were lost without a word).
/// </summary>
public sealed class ExplicitCommitTests
{
    private const string Secret = "explicit-commit-tests-secret-0123456789abcdef";

    [Fact]
    public async Task An_explicit_CommitAsync_in_a_handler_is_sent_with_the_response()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/commit/{name}", async (string name, TestSession s, CancellationToken token) =>
        {
            s.Name = name;
            var header = await s.CommitAsync(token);
            return header is null ? "nothing" : "committed";
        });
        app.MapPost("/commit-then-change/{name}", async (string name, TestSession s, CancellationToken token) =>
        {
            s.Name = name;
            await s.CommitAsync(token);
            s.Counter = 7;
            return "ok";
        });
        app.MapGet("/name", (TestSession s) => $"{s.Name ?? "(none)"}/{s.Counter?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        using var committed = await client.Http.PostAsync("/commit/ada", null);
        Assert.Equal("committed", await committed.Content.ReadAsStringAsync());
        Assert.Contains(committed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.Equal("no-cache, no-store", committed.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("ada/-", await client.Http.GetStringAsync("/name"));

        // A change after the explicit commit: the middleware's commit replaces the cookie, one Set-Cookie in all.
        using var changed = await client.Http.PostAsync("/commit-then-change/grace", null);
        Assert.Single(changed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.Equal("grace/7", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task An_explicit_commit_after_RegenerateId_on_a_server_side_storage_sends_the_new_id()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, MemoryTestSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/sign-in/{name}", async (string name, MemoryTestSession s, CancellationToken token) =>
        {
            s.RegenerateId();
            s.Name = name;
            await s.CommitAsync(token);
            return "ok";
        });
        app.MapGet("/name", (MemoryTestSession s) => s.Name ?? "(none)");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/name/anonymous", null);
        var before = client.Cookie("session");

        using var signIn = await client.Http.PostAsync("/sign-in/ada", null);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.NotEqual(before, client.Cookie("session"));
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task DestroyAsync_in_a_handler_signs_the_user_out()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/logout", async (TestSession s, CancellationToken token) => { await s.DestroyAsync(token); return Results.Redirect("/name"); });
        app.MapGet("/name", (TestSession s) => s.Name ?? "(none)");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);
        await client.Http.PostAsync("/name/ada", null);
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));

        using var logout = await client.Http.PostAsync("/logout", null);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("\"cache\"", Assert.Single(logout.Headers.GetValues("Clear-Site-Data")));
        Assert.Null(client.Cookie("session"));
        Assert.Equal("(none)", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task A_plain_MVC_controller_takes_the_session_as_an_action_parameter_and_can_commit_or_destroy_it_itself()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddControllersWithViews().AddApplicationPart(typeof(PlainMvcController).Assembly);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapControllers();
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        // Model binding used to try to build the schema from the form: a 500 for want of a parameterless constructor.
        Assert.Equal("(none)", await client.Http.GetStringAsync("/mvc/name"));
        using var set = await client.Http.PostAsync("/mvc/name/ada", null);
        Assert.Equal("ada", await set.Content.ReadAsStringAsync());

        using var explicitCommit = await client.Http.PostAsync("/mvc/explicit-commit/grace", null);
        Assert.Equal("committed", await explicitCommit.Content.ReadAsStringAsync());
        Assert.Equal("grace", await client.Http.GetStringAsync("/mvc/name"));

        using var logout = await client.Http.PostAsync("/mvc/logout", null);
        Assert.Equal("(none)", await logout.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Values_set_after_an_explicit_DestroyAsync_on_a_server_side_storage_start_a_new_session()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, MemoryTestSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/logout", async (MemoryTestSession s, CancellationToken token) =>
        {
            await s.DestroyAsync(token);   // signed out at once
            s.Name = "signed out";          // then a value for the next page, as a "Signed out" flash would be
            return "ok";
        });
        app.MapGet("/name", (MemoryTestSession s) => s.Name ?? "(none)");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/name/ada", null);
        var signedIn = client.Cookie("session");
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));

        // The change after the destroy used to go to the destroyed id (refused), and its empty answer took the deletion
        // cookie off the response: the user stayed on the old cookie and the value was lost.
        using var logout = await client.Http.PostAsync("/logout", null);
        Assert.Equal("\"cache\"", Assert.Single(logout.Headers.GetValues("Clear-Site-Data")));
        Assert.Single(logout.Headers.GetValues("Set-Cookie"), c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.NotEqual(signedIn, client.Cookie("session"));
        Assert.Equal("signed out", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task A_Committed_handler_of_the_application_does_not_stop_the_session_cookie()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        var seen = 0;
        app.MapPost("/name/{name}", (string name, TestSession s) =>
        {
            // An application listening for commits through the public API, to audit them, beside the integration.
            ((ITypedSession)s).Committed += _ => Interlocked.Increment(ref seen);
            s.Name = name;
            return "ok";
        });
        app.MapGet("/name", (TestSession s) => s.Name ?? "(none)");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        using var set = await client.Http.PostAsync("/name/ada", null);
        Assert.Equal(1, seen);
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));
    }
}
