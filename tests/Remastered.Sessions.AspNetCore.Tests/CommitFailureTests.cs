using System.Net;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Remastered.Sessions.AspNetCore.Tests;

public sealed class Gauge
{
    public double Value { get; set; }
}

[Session<CookieSessionStorage>]
public partial class CommitFailureSession
{
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial Gauge? Gauge { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

[Session<CookieSessionStorage>]
public partial class SecondSession
{
    [SessionKey] public partial string? Theme { get; set; }
}

/// <summary>An MVC controller beside the minimal APIs: its JSON result writes through the response's PipeWriter.</summary>
[ApiController]
[Route("mvc")]
public sealed class CommitFailureController(CommitFailureSession session) : ControllerBase
{
    [HttpPost("too-large")]
    public IActionResult TooLarge()
    {
        session.Name = new string('m', 5000);
        return Ok(new { saved = true });
    }

    [HttpPost("too-large-redirect")]
    public IActionResult TooLargeRedirect()
    {
        session.Name = new string('r', 5000);
        return Redirect("/name");
    }
}

/// <summary>
/// A controller that takes one schema in its constructor and another in its action: the constructor's loads first (MVC
/// creates the controller before it binds the action), so it commits first.
/// </summary>
[ApiController]
[Route("mvc-two")]
public sealed class TwoSessionsController(SecondSession second) : ControllerBase
{
    [HttpPost("fail")]
    public string Fail([FromServices] CommitFailureSession first)
    {
        first.Name = new string('x', 5000);
        second.Theme = "changed";
        return "saved";
    }
}

/// <summary>
/// A commit that fails for anything but a store outage (too large, a value that cannot be stored) reaches the
/// application's exception handling while the response can still be replaced: the error page is what the client gets
/// (never an empty 500), the request's changes are dropped, and what the error handler changes is saved.
/// </summary>
public sealed class CommitFailureTests
{
    private const string Secret = "commit-failure-tests-secret-0123456789abcd";

    public enum Pipeline
    {
        /// <summary><c>UseExceptionHandler("/error")</c>: the error endpoint re-executes, reads the session and flashes.</summary>
        HandlerPath,

        /// <summary><c>UseExceptionHandler(lambda)</c>, in Production.</summary>
        HandlerLambda,

        /// <summary>The Development environment's developer exception page, nothing configured.</summary>
        DeveloperPage,
    }

    private static async Task<KestrelHost> StartAsync(Pipeline pipeline)
    {
        var builder = KestrelHost.CreateBuilder(pipeline == Pipeline.DeveloperPage ? "Development" : "Production");
        builder.Services.AddRemasteredSession<CommitFailureSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddControllers().AddApplicationPart(typeof(CommitFailureController).Assembly);
        var app = builder.Build();
        switch (pipeline)
        {
            case Pipeline.HandlerPath:
                app.UseExceptionHandler("/error");
                break;
            case Pipeline.HandlerLambda:
                app.UseExceptionHandler(error => error.Run(async context =>
                {
                    var exception = context.Features.Get<IExceptionHandlerFeature>()!.Error;
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync("lambda error page: " + exception.GetType().Name);
                }));
                break;
        }

        app.Map("/error", (HttpContext context, CommitFailureSession session) =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            session.Notice = "Something went wrong";
            return Results.Text($"error page: {exception?.GetType().Name}; name is {session.Name ?? "(none)"}", statusCode: 500);
        });
        app.MapGet("/name", (CommitFailureSession s) => $"{s.Name ?? "(none)"}; notice {s.Notice ?? "(none)"}");
        app.MapPost("/name/{name}", (string name, CommitFailureSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/too-large", (CommitFailureSession s) => { s.Name = new string('x', 5000); return Results.Text("saved"); });
        app.MapPost("/too-large-json", (CommitFailureSession s) => { s.Name = new string('j', 5000); return Results.Json(new { saved = true }); });
        app.MapPost("/too-large-redirect", (CommitFailureSession s) => { s.Name = new string('y', 5000); return Results.Redirect("/name"); });
        app.MapPost("/flash-and-redirect", (CommitFailureSession s) => { s.Notice = "Saved!"; return Results.Redirect("/name"); });
        app.MapPost("/gauge", (CommitFailureSession s) => { s.Gauge = new Gauge { Value = 1.5 }; return "ok"; });
        app.MapPost("/nan-in-place", (CommitFailureSession s) => { s.Gauge!.Value = double.NaN; return "fine"; });
        app.MapControllers();
        return await KestrelHost.StartAsync(app);
    }

    public static TheoryData<Pipeline, string, string> Cases()
    {
        var data = new TheoryData<Pipeline, string, string>();
        foreach (var pipeline in Enum.GetValues<Pipeline>())
        {
            data.Add(pipeline, "/too-large", nameof(SessionTooLargeException));
            data.Add(pipeline, "/too-large-json", nameof(SessionTooLargeException));
            data.Add(pipeline, "/too-large-redirect", nameof(SessionTooLargeException));
            data.Add(pipeline, "/mvc/too-large", nameof(SessionTooLargeException));
            data.Add(pipeline, "/mvc/too-large-redirect", nameof(SessionTooLargeException));
            data.Add(pipeline, "/nan-in-place", nameof(SessionValueNotStorableException));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_commit_that_fails_reaches_the_exception_handling_and_drops_only_the_requests_changes(Pipeline pipeline, string path, string exceptionName)
    {
        await using var host = await StartAsync(pipeline);
        using var client = host.Client(followRedirects: false);
        Assert.Equal("ok", await (await client.Http.PostAsync("/name/ada", null)).Content.ReadAsStringAsync());
        Assert.Equal("ok", await (await client.Http.PostAsync("/gauge", null)).Content.ReadAsStringAsync());

        var response = await client.Http.PostAsync(path, null);
        var body = await response.Content.ReadAsStringAsync();

        // The application's error page, with the exception by its type: never an empty, aborted 500.
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(exceptionName, body);
        switch (pipeline)
        {
            case Pipeline.HandlerPath:
                // The error page reads the session as stored (the failed change is gone) and its flash is saved.
                Assert.Equal($"error page: {exceptionName}; name is ada", body);
                Assert.Equal("ada; notice Something went wrong", await client.Http.GetStringAsync("/name"));
                break;
            case Pipeline.HandlerLambda:
                Assert.Equal("lambda error page: " + exceptionName, body);
                Assert.Equal("ada; notice (none)", await client.Http.GetStringAsync("/name"));
                break;
            case Pipeline.DeveloperPage:
                Assert.Equal("ada; notice (none)", await client.Http.GetStringAsync("/name"));
                break;
        }

        // The session still works: the next change is saved.
        Assert.Equal("ok", await (await client.Http.PostAsync("/name/grace", null)).Content.ReadAsStringAsync());
        Assert.StartsWith("grace;", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task A_commit_inside_the_pipeline_sends_one_cookie_and_no_store_with_a_body_or_without_one()
    {
        await using var host = await StartAsync(Pipeline.HandlerPath);
        using var client = host.Client(followRedirects: false);
        var withBody = await client.Http.PostAsync("/name/ada", null);
        Assert.Single(withBody.Headers.GetValues("Set-Cookie"));
        Assert.Equal("no-cache, no-store", withBody.Headers.NonValidated["Cache-Control"].ToString());

        var redirect = await client.Http.PostAsync("/flash-and-redirect", null);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Single(redirect.Headers.GetValues("Set-Cookie"));
        Assert.Equal("no-cache, no-store", redirect.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("ada; notice Saved!", await client.Http.GetStringAsync("/name"));
        Assert.Equal("ada; notice (none)", await client.Http.GetStringAsync("/name"));
    }

    /// <summary>An app whose session storage completes reads and commits asynchronously, as a network storage does.</summary>
    private static WebApplication AsyncStorageApp()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<AsyncSession, AsyncStorage>(
            configuration: null,
            o => o.Cookie.Secrets = [Secret],
            storageFactory: (sp, o) => new AsyncStorage(sp.CreateCookieSessionStorage(o)));
        return builder.Build();
    }

    [Fact]
    public async Task An_asynchronous_storage_commits_before_every_kind_of_body()
    {
        var app = AsyncStorageApp();
        app.MapPost("/add/{sku}", (string sku, AsyncSession s) => { (s.Cart ??= []).Add(sku); s.Notice = "Added " + sku; return Results.Redirect("/json"); });
        app.MapGet("/json", (AsyncSession s) => Results.Json(new { cart = s.Cart ?? [], notice = s.Notice }));
        app.MapGet("/text", (AsyncSession s) => $"{string.Join(",", s.Cart ?? [])}; {s.Notice}");
        app.MapGet("/stream", async (HttpContext context, AsyncSession s) =>
        {
            s.Notice = "streamed";
            await context.Response.Body.WriteAsync("streamed"u8.ToArray());
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        for (var i = 0; i < 20; i++)
        {
            var added = await client.Http.PostAsync($"/add/s{i}", null);
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
            // The JSON body is written through the response's PipeWriter; the flash it consumes is committed first.
            var json = await client.Http.GetAsync("/json");
            Assert.Single(json.Headers.GetValues("Set-Cookie"));
            var body = System.Text.Json.JsonDocument.Parse(await json.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(i + 1, body.GetProperty("cart").GetArrayLength());
            Assert.Equal($"Added s{i}", body.GetProperty("notice").GetString());
        }

        Assert.EndsWith("; ", await client.Http.GetStringAsync("/text"));
        Assert.Equal("streamed", await client.Http.GetStringAsync("/stream"));
        Assert.EndsWith("; streamed", await client.Http.GetStringAsync("/text"));
    }

    [Fact]
    public async Task Bytes_written_without_a_flush_and_stream_writes_after_them_arrive_whole_and_in_order()
    {
        var app = AsyncStorageApp();
        app.MapGet("/unflushed", (HttpContext context, AsyncSession s) =>
        {
            s.Notice = "unflushed";
            var span = context.Response.BodyWriter.GetSpan(5);
            "first"u8.CopyTo(span);
            context.Response.BodyWriter.Advance(5);
            return Task.CompletedTask;   // no flush: the server sends what it holds after the endpoint's commit
        });
        app.MapGet("/mixed", async (HttpContext context, AsyncSession s) =>
        {
            s.Notice = "mixed";
            "one,"u8.CopyTo(context.Response.BodyWriter.GetSpan(4));
            context.Response.BodyWriter.Advance(4);
            await context.Response.Body.WriteAsync("two,"u8.ToArray());
            await context.Response.BodyWriter.WriteAsync("three"u8.ToArray());
        });
        app.MapGet("/notice", (AsyncSession s) => s.Notice ?? "(none)");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        var unflushed = await client.Http.GetAsync("/unflushed");
        Assert.Equal("first", await unflushed.Content.ReadAsStringAsync());
        Assert.Single(unflushed.Headers.GetValues("Set-Cookie"));
        Assert.Equal("unflushed", await client.Http.GetStringAsync("/notice"));

        var mixed = await client.Http.GetAsync("/mixed");
        Assert.Equal("one,two,three", await mixed.Content.ReadAsStringAsync());
        Assert.Single(mixed.Headers.GetValues("Set-Cookie"));
        Assert.Equal("mixed", await client.Http.GetStringAsync("/notice"));
    }

    [Fact]
    public async Task A_storage_that_sends_its_own_header_text_gets_one_set_cookie_also_when_a_later_change_commits_again()
    {
        const string CookieName = "custom";
        var builder = KestrelHost.CreateBuilder();
        RewritingStorage? storage = null;
        builder.Services.AddRemasteredSession<RewrittenSession, RewritingStorage>(
            configuration: null,
            o => o.Cookie.Secrets = [Secret],
            storageFactory: (_, _) => storage = new RewritingStorage(new CookieSessionStorage(new CookieSessionOptions { Name = CookieName, Secrets = [Secret], Secure = false })));
        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("error page: " + context.Features.Get<IExceptionHandlerFeature>()!.Error.GetType().Name);
        }));

        // A middleware that changes the session after the endpoint answered (a redirect: nothing started yet).
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Path == "/redirect-then-step" && !context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<RewrittenSession>().Steps++;
            }
        });
        app.MapPost("/name/{name}", (string name, RewrittenSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/redirect-then-step", (RewrittenSession s) => { s.Steps++; return Results.Redirect("/state"); });
        app.MapPost("/too-large", (RewrittenSession s) =>
        {
            s.Name = new string('z', 5000);
            storage!.FailReads = true;   // loaded already: only the reload after the failed commit fails
            return "saved";
        });
        app.MapGet("/state", (RewrittenSession s) => $"{s.Name ?? "(none)"} {s.Steps}");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        var named = await client.Http.PostAsync("/name/ada", null);
        var cookie = Assert.Single(named.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(CookieName + "=", cookie);
        Assert.EndsWith("; Priority=High", cookie);

        // Committed when the endpoint returned, then again after the middleware's change: one cookie, the last one.
        var redirected = await client.Http.PostAsync("/redirect-then-step", null);
        Assert.Single(redirected.Headers.GetValues("Set-Cookie"));
        Assert.Equal("ada 2", await client.Http.GetStringAsync("/state"));

        // A failed commit whose reload fails too: the original exception reaches the handler, nothing is sent, the
        // stored session is untouched.
        var failing = client.Http.PostAsync("/too-large", null);
        var response = await failing;
        Assert.Equal("error page: SessionTooLargeException", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        storage!.FailReads = false;
        Assert.Equal("ada 2", await client.Http.GetStringAsync("/state"));
    }

    [Theory]
    [InlineData(true, "awaited in the handler")]
    [InlineData(false, "awaited in the handler")]
    [InlineData(true, "handler parameters")]
    [InlineData(false, "handler parameters")]
    [InlineData(false, "controller constructor, then action parameter")]
    public async Task With_two_schemas_a_failed_commit_drops_the_changes_not_yet_committed(bool failingSchemaLoadsFirst, string taken)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<CommitFailureSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddRemasteredSession<SecondSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Name = "second";
            o.Cookie.Secrets = [Secret];
        });
        builder.Services.AddControllers().AddApplicationPart(typeof(TwoSessionsController).Assembly);
        var app = builder.Build();
        app.UseExceptionHandler("/error");
        app.Map("/error", () => Results.Text("error page", statusCode: 500));
        app.MapControllers();
        app.MapPost("/setup", async (HttpContext context) =>
        {
            (await context.GetSessionAsync<CommitFailureSession>()).Name = "ada";
            (await context.GetSessionAsync<SecondSession>()).Theme = "dark";
            return "ok";
        });
        // As handler parameters, sessions load in the parameters' order (not the order of registration).
        app.MapPost("/fail-first-parameter", (CommitFailureSession first, SecondSession second) =>
        {
            first.Name = new string('x', 5000);
            second.Theme = "changed";
            return "saved";
        });
        app.MapPost("/fail-second-parameter", (SecondSession second, CommitFailureSession first) =>
        {
            second.Theme = "changed";
            first.Name = new string('x', 5000);
            return "saved";
        });
        app.MapPost("/fail", async (HttpContext context) =>
        {
            // Sessions commit in the order they loaded.
            if (failingSchemaLoadsFirst)
            {
                (await context.GetSessionAsync<CommitFailureSession>()).Name = new string('x', 5000);
                (await context.GetSessionAsync<SecondSession>()).Theme = "changed";
            }
            else
            {
                (await context.GetSessionAsync<SecondSession>()).Theme = "changed";
                (await context.GetSessionAsync<CommitFailureSession>()).Name = new string('x', 5000);
            }

            return "saved";
        });
        app.MapGet("/state", async (HttpContext context) =>
        {
            var first = await context.GetSessionAsync<CommitFailureSession>();
            var second = await context.GetSessionAsync<SecondSession>();
            return $"{first.Name} {second.Theme}";
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);
        Assert.Equal("ok", await (await client.Http.PostAsync("/setup", null)).Content.ReadAsStringAsync());

        var path = taken switch
        {
            "handler parameters" => failingSchemaLoadsFirst ? "/fail-first-parameter" : "/fail-second-parameter",
            "controller constructor, then action parameter" => "/mvc-two/fail",
            _ => "/fail",
        };
        var failed = await client.Http.PostAsync(path, null);
        Assert.Equal("error page", await failed.Content.ReadAsStringAsync());

        // Loaded after the failing one, the second schema's change is dropped too; committed before it, it was
        // already written (storages share no transaction) and its cookie goes out with the error page.
        Assert.Equal(failingSchemaLoadsFirst ? "ada dark" : "ada changed", await client.Http.GetStringAsync("/state"));
    }
}

/// <summary>
/// A store that goes down between the load and the commit: the answer is the 503 a failed load gets, never the
/// endpoint's success body under a 503 status.
/// </summary>
public sealed class OutageAtCommitTests
{
    [Theory]
    [InlineData("no exception handler", "/visit")]
    [InlineData("UseExceptionHandler", "/visit")]
    [InlineData("no exception handler", "/visit-text")]
    [InlineData("UseExceptionHandler", "/visit-text")]
    public async Task A_store_that_dies_before_the_commit_answers_503_without_the_endpoints_body(string shape, string endpoint)
    {
        var builder = KestrelHost.CreateBuilder("Production");
        builder.Services.AddSingleton(new DiesBeforeCommitStorage());
        builder.Services.AddRemasteredSession<DiesBeforeCommitSession, DiesBeforeCommitStorage>();
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        if (shape == "UseExceptionHandler")
        {
            app.UseExceptionHandler();
        }

        app.MapPost("/visit", (DiesBeforeCommitSession s) => { s.Visits++; return Results.Ok($"visits={s.Visits}"); });
        app.MapPost("/visit-text", async (DiesBeforeCommitSession s, HttpContext c) => { s.Visits++; await c.Response.WriteAsync($"visits={s.Visits}"); });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var response = await client.Http.PostAsync(endpoint, null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.DoesNotContain("visits=", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "/both")]
    [InlineData(false, "/both")]
    [InlineData(true, "/both-redirect")]
    [InlineData(false, "/both-redirect")]
    public async Task With_two_schemas_the_outage_is_answered_once_and_the_other_schemas_cookie_is_kept(bool outageSchemaFirst, string endpoint)
    {
        // Whichever middleware is outer, the outage is the failing schema's to answer: the other schema, whose commit
        // was written, keeps its cookie, and the outage is logged once.
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddSingleton(new DiesBeforeCommitStorage());
        if (outageSchemaFirst)
        {
            builder.Services.AddRemasteredSession<DiesBeforeCommitSession, DiesBeforeCommitStorage>(o => o.Cookie.Name = "dies");
        }

        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [CookieSessionOptions.GenerateSecret()]);
        if (!outageSchemaFirst)
        {
            builder.Services.AddRemasteredSession<DiesBeforeCommitSession, DiesBeforeCommitStorage>(o => o.Cookie.Name = "dies");
        }

        var app = builder.Build();
        app.MapPost("/both", (TestSession cookie, DiesBeforeCommitSession dies) => { cookie.Name = "ada"; dies.Visits++; return Results.Ok("saved"); });
        app.MapPost("/both-redirect", (TestSession cookie, DiesBeforeCommitSession dies) => { cookie.Name = "ada"; dies.Visits++; return Results.Redirect("/"); });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        var response = await client.Http.PostAsync(endpoint, null);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.DoesNotContain("saved", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("session=", StringComparison.Ordinal));
        Assert.Single(logs.Entries, e => e.Id.Id == 2002);
    }
}

