using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore.Tests;

public sealed class IntegrationTests
{
    private const string Secret = "aspnetcore-tests-secret-0123456789abcdefgh";

    private static async Task<KestrelHost> StartTestApp(Action<RemasteredSessionOptions>? configure = null)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapGet("/untouched", () => "no session here");
        app.MapGet("/read", (TestSession s) => s.Name ?? "anonymous");
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapPost("/increment", (TestSession s) => { s.Counter = (s.Counter ?? 0) + 1; return s.Counter.ToString(); });
        app.MapPost("/flash", (TestSession s) => { s.Message = "Saved!"; return Results.Redirect("/message"); });
        app.MapGet("/message", (TestSession s) => s.Message ?? "(none)");
        app.MapPost("/late-write", async (HttpContext context, TestSession s) =>
        {
            await context.Response.WriteAsync("started;");
            await context.Response.Body.FlushAsync();
            try
            {
                s.Name = "too late";
                await context.Response.WriteAsync("no error");
            }
            catch (InvalidOperationException error)
            {
                await context.Response.WriteAsync(error.Message);
            }
        });
        app.MapGet("/explicit-commit", async (HttpContext context, TestSession s) =>
        {
            s.Name = "explicit";
            var header = await s.CommitAsync();
            return header is null ? "nothing" : "committed";
        });
        return await KestrelHost.StartAsync(app);
    }

    [Fact]
    public async Task A_request_that_never_touches_the_session_loads_nothing_and_sends_no_header()
    {
        var builder = KestrelHost.CreateBuilder();
        var counting = new CountingStorage(new CookieSessionStorage(new CookieSessionOptions { Secrets = [Secret] }));
        builder.Services.AddSingleton(counting);
        builder.Services.AddRemasteredSession<CountedSession, CountingStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/untouched", () => "plain");
        app.MapPost("/touch", (CountedSession s) => { s.Name = "ada"; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        (await client.Http.PostAsync("/touch", null)).EnsureSuccessStatusCode();
        Assert.Equal(1, counting.Reads);
        var response = await client.Http.GetAsync("/untouched");
        Assert.Equal("plain", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(1, counting.Reads);
    }

    [Fact]
    public async Task Auto_commit_sends_a_cookie_only_when_something_changed_and_marks_it_no_store()
    {
        await using var host = await StartTestApp();
        using var client = host.Client();

        var read = await client.Http.GetAsync("/read");
        Assert.Equal("anonymous", await read.Content.ReadAsStringAsync());
        Assert.False(read.Headers.Contains("Set-Cookie"));

        var write = await client.Http.PostAsync("/name/ada", null);
        var setCookie = Assert.Single(write.Headers.GetValues("Set-Cookie"));
        var cookie = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(setCookie);
        Assert.Equal("session", cookie.Name.Value);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, cookie.SameSite);
        Assert.False(cookie.Secure); // plain HTTP: SameAsRequest
        Assert.Equal(TimeSpan.FromDays(14), cookie.MaxAge);
        Assert.InRange(cookie.Expires!.Value - DateTimeOffset.UtcNow, TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(14) + TimeSpan.FromMinutes(1));
        Assert.True(write.Headers.CacheControl!.NoStore);

        var again = await client.Http.GetAsync("/read");
        Assert.Equal("ada", await again.Content.ReadAsStringAsync());
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_flash_survives_the_redirect_and_is_gone_after_it_was_shown()
    {
        await using var host = await StartTestApp();
        using var client = host.Client();
        var redirected = await client.Http.PostAsync("/flash", null);
        Assert.Equal("Saved!", await redirected.Content.ReadAsStringAsync());
        Assert.Equal("(none)", await client.Http.GetStringAsync("/message"));
    }

    [Fact]
    public async Task Touching_the_session_after_the_response_started_is_a_clear_error()
    {
        await using var host = await StartTestApp();
        using var client = host.Client();
        await client.Http.GetAsync("/read");
        var body = await (await client.Http.PostAsync("/late-write", null)).Content.ReadAsStringAsync();
        Assert.StartsWith("started;", body);
        Assert.Contains("The response has already started", body);
        Assert.Equal("anonymous", await client.Http.GetStringAsync("/read"));
    }

    [Fact]
    public async Task A_flash_read_after_the_response_started_is_still_shown_once()
    {
        // The session commits as the response starts (the flush): the flash it consumed stays readable for the request.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/flash", (TestSession s) => { s.Message = "Saved!"; return "ok"; });
        app.MapGet("/streamed", async (HttpContext context, TestSession s) =>
        {
            await context.Response.WriteAsync("head;");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync("message=" + (s.Message ?? "(none)") + ";has=" + s.HasMessage);
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        await client.Http.PostAsync("/flash", null);
        var streamed = await client.Http.GetAsync("/streamed");
        Assert.Equal("head;message=Saved!;has=True", await streamed.Content.ReadAsStringAsync());
        Assert.True(streamed.Headers.Contains("Set-Cookie"));
        Assert.Equal("head;message=(none);has=False", await client.Http.GetStringAsync("/streamed"));
    }

    [Fact]
    public async Task A_session_first_loaded_after_the_response_started_leaves_its_flash_for_the_next_request_and_says_why()
    {
        var builder = KestrelHost.CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/flash", (TestSession s) => { s.Name = "ada"; s.Message = "Saved!"; return "ok"; });
        app.MapGet("/late", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("head;");
            await context.Response.Body.FlushAsync();
            var s = await context.GetSessionAsync<TestSession>();
            await context.Response.WriteAsync("name=" + s.Name + ";message=" + (s.Message ?? "(none)"));
        });
        app.MapGet("/message", (TestSession s) => s.Message ?? "(none)");
        app.MapGet("/late-write", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("head;");
            await context.Response.Body.FlushAsync();
            var s = await context.GetSessionAsync<TestSession>();
            var refused = Assert.Throws<InvalidOperationException>(() => s.Name = "grace");
            await context.Response.WriteAsync(refused.Message);
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        // A change to it says why it cannot be saved, and where that happens without a body write of the app's own.
        var message = await client.Http.GetStringAsync("/late-write");
        Assert.Contains("first loaded after its request's response had started", message, StringComparison.Ordinal);
        Assert.Contains("in MVC, take it in the controller's constructor or the action", message, StringComparison.Ordinal);
        Assert.Contains("Interactive Blazor components and SignalR hubs", message, StringComparison.Ordinal);
        Assert.DoesNotContain("CommitAsync", message, StringComparison.Ordinal);

        await client.Http.PostAsync("/flash", null);
        // Shown here, it could not be consumed (no header can go out): it would be shown a second time.
        Assert.Equal("head;name=ada;message=(none)", await client.Http.GetStringAsync("/late"));
        Assert.Contains(logs.Entries, e => e.Id is { Id: 2007, Name: "SessionLoadedAfterResponseStarted" } && e.Message.Contains("TestSession", StringComparison.Ordinal) && e.Message.Contains("/late", StringComparison.Ordinal));
        Assert.Equal("Saved!", await client.Http.GetStringAsync("/message"));
        Assert.Equal("(none)", await client.Http.GetStringAsync("/message"));

        // Nothing to consume or renew: no warning.
        var before = logs.Entries.Count(e => e.Id.Id == 2007);
        Assert.Equal("head;name=ada;message=(none)", await client.Http.GetStringAsync("/late"));
        Assert.Equal(before, logs.Entries.Count(e => e.Id.Id == 2007));
    }

    [Fact]
    public async Task A_session_used_inside_a_WebSocket_connection_like_a_Blazor_circuit_reads_as_loaded_and_refuses_changes_clearly()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/read-name", (TestSession s) => s.Name ?? "anonymous");
        app.Map("/connection", async (HttpContext context) =>
        {
            // What an interactive component or a hub does: it runs after the connection's 101 response.
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var session = await context.GetSessionAsync<TestSession>();
            string answer;
            try
            {
                session.Name = "changed in the connection";
                answer = "changed";
            }
            catch (InvalidOperationException refused)
            {
                answer = session.Name + "|" + refused.Message;
            }

            await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(answer), System.Net.WebSockets.WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/name/ada", null);

        using var socket = new System.Net.WebSockets.ClientWebSocket();
        socket.Options.Cookies = client.Cookies;
        await socket.ConnectAsync(new Uri("ws://" + host.Address.Authority + "/connection"), CancellationToken.None);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(buffer, 0, received.Count);
        Assert.StartsWith("ada|This session was first loaded after its request's response had started", text, StringComparison.Ordinal);
        Assert.Contains("Blazor", text, StringComparison.Ordinal);
        Assert.Equal("ada", await client.Http.GetStringAsync("/read-name"));
    }

    [Fact]
    public async Task An_explicit_commit_still_works()
    {
        await using var host = await StartTestApp();
        using var client = host.Client();
        Assert.Equal("committed", await client.Http.GetStringAsync("/explicit-commit"));
    }

    [Fact]
    public async Task Header_mode_reads_a_bearer_token_and_returns_the_updated_one_in_a_response_header()
    {
        await using var host = await StartTestApp(o =>
        {
            o.Transport = SessionTransport.Header;
            o.HeaderName = "Authorization";
        });
        using var client = host.Client();
        var first = await client.Http.PostAsync("/name/api-client", null);
        Assert.False(first.Headers.Contains("Set-Cookie"));
        var token = Assert.Single(first.Headers.GetValues("X-Session-Token"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/read");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal("api-client", await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync());

        using var wrongScheme = new HttpRequestMessage(HttpMethod.Get, "/read");
        wrongScheme.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", token);
        Assert.Equal("anonymous", await (await client.Http.SendAsync(wrongScheme)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Header_mode_with_a_custom_header_answers_in_the_same_header()
    {
        await using var host = await StartTestApp(o => o.Transport = SessionTransport.Header);
        using var client = host.Client();
        var first = await client.Http.PostAsync("/increment", null);
        var token = Assert.Single(first.Headers.GetValues("X-Session"));
        using var second = new HttpRequestMessage(HttpMethod.Post, "/increment");
        second.Headers.Add("X-Session", token);
        Assert.Equal("2", await (await client.Http.SendAsync(second)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Header_mode_over_a_storage_that_names_its_own_cookie_reads_the_tokens_it_issues()
    {
        // The storage names its cookie itself ("sid"); the integration's Cookie.Name stays at its default.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(
            configuration: null,
            o => o.Transport = SessionTransport.Header,
            (_, _) => new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] } }));
        var app = builder.Build();
        app.MapPost("/login", (MemoryTestSession s) => { s.Name = "ada"; return "ok"; });
        app.MapGet("/who", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var login = await client.Http.PostAsync("/login", null);
        var token = Assert.Single(login.Headers.GetValues("X-Session"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/who");
        request.Headers.Add("X-Session", token);
        Assert.Equal("ada", await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("cookie, default", true)]
    [InlineData("cookie, option off", false)]
    [InlineData("header mode", false)]
    [InlineData("memory storage", true)]
    public async Task Signing_out_asks_the_browser_to_clear_its_cache_and_nothing_else_does(string shape, bool clears)
    {
        var builder = KestrelHost.CreateBuilder();
        WebApplication app;
        if (shape == "memory storage")
        {
            builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
            app = builder.Build();
            app.MapPost("/login", (MemoryTestSession s) => { s.SignIn(x => x.Name = "ada"); return "ok"; });
            app.MapGet("/who", (MemoryTestSession s) => s.Name ?? "anonymous");
            app.MapPost("/logout", (MemoryTestSession s) => { s.SignOut(); return "ok"; });
            app.MapPost("/logout-with-notice", (MemoryTestSession s) => { s.SignOut(); s.Name = "signed out"; return "ok"; });
            app.MapPost("/logout-clearing-cookies", (HttpContext c, MemoryTestSession s) => { c.Response.Headers["Clear-Site-Data"] = "\"cookies\""; s.SignOut(); return "ok"; });
        }
        else
        {
            builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
            {
                o.Cookie.Secrets = [Secret];
                o.ClearBrowserCacheOnSignOut = shape != "cookie, option off";
                o.Transport = shape == "header mode" ? SessionTransport.Header : SessionTransport.Cookie;
            });
            app = builder.Build();
            app.MapPost("/login", (TestSession s) => { s.SignIn(x => x.Name = "ada"); return "ok"; });
            app.MapGet("/who", (TestSession s) => s.Name ?? "anonymous");
            app.MapPost("/logout", (TestSession s) => { s.SignOut(); return "ok"; });
            app.MapPost("/logout-with-notice", (TestSession s) => { s.SignOut(); s.Message = "Signed out"; return "ok"; });
            app.MapPost("/logout-clearing-cookies", (HttpContext c, TestSession s) => { c.Response.Headers["Clear-Site-Data"] = "\"cookies\""; s.SignOut(); return "ok"; });
        }

        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        string? token = null;

        async Task<HttpResponseMessage> Send(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path);
            if (token is not null)
            {
                request.Headers.Add("X-Session", token);
            }

            var response = await client.Http.SendAsync(request);
            if (response.Headers.TryGetValues("X-Session", out var values))
            {
                token = values.Single();
            }

            return response;
        }

        static string? ClearSiteData(HttpResponseMessage response) => response.Headers.TryGetValues("Clear-Site-Data", out var values) ? string.Join(", ", values) : null;

        // Signing in and reading send nothing of the kind.
        Assert.Null(ClearSiteData(await Send(HttpMethod.Post, "/login")));
        Assert.Null(ClearSiteData(await Send(HttpMethod.Get, "/who")));

        // Signing out does (also when the response starts a new session with a notice), keeping the app's own types.
        Assert.Equal(clears ? "\"cache\"" : null, ClearSiteData(await Send(HttpMethod.Post, "/logout")));
        await Send(HttpMethod.Post, "/login");
        Assert.Equal(clears ? "\"cache\"" : null, ClearSiteData(await Send(HttpMethod.Post, "/logout-with-notice")));
        await Send(HttpMethod.Post, "/login");
        Assert.Equal(clears ? "\"cookies\", \"cache\"" : "\"cookies\"", ClearSiteData(await Send(HttpMethod.Post, "/logout-clearing-cookies")));
        Assert.Equal("anonymous", await (await Send(HttpMethod.Get, "/who")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_in_regenerates_the_id_and_sign_out_destroys_the_server_record()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/visit", (MemoryTestSession s) => { s.Name = "visitor"; return "ok"; });
        app.MapPost("/login", (MemoryTestSession s) => { s.SignIn(x => x.Name = "ada"); return "ok"; });
        app.MapPost("/logout", (MemoryTestSession s) => { s.SignOut(); return "ok"; });
        app.MapGet("/who", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        var storage = host.App.Services.GetRequiredService<MemorySessionStorage>();
        using var client = host.Client();

        await client.Http.PostAsync("/visit", null);
        var beforeLogin = client.Cookie("session")!;
        await client.Http.PostAsync("/login", null);
        var afterLogin = client.Cookie("session")!;
        Assert.NotEqual(beforeLogin, afterLogin);
        Assert.Equal(1, storage.Count);

        using var attacker = host.Client();
        attacker.Cookies.Add(host.Address, new Cookie("session", beforeLogin));
        Assert.Equal("anonymous", await attacker.Http.GetStringAsync("/who"));
        Assert.Equal("ada", await client.Http.GetStringAsync("/who"));

        var logout = await client.Http.PostAsync("/logout", null);
        var deletion = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(Assert.Single(logout.Headers.GetValues("Set-Cookie")));
        Assert.Equal("session", deletion.Name.Value);
        Assert.Equal("", deletion.Value.Value);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow);
        Assert.Equal(0, storage.Count);
        Assert.Null(client.Cookie("session"));
        using var replay = host.Client();
        replay.Cookies.Add(host.Address, new Cookie("session", afterLogin));
        Assert.Equal("anonymous", await replay.Http.GetStringAsync("/who"));
    }

    private static int CommitsLogged(CollectingLoggerProvider logs) => logs.Entries.Count(e => e.Id is { Id: 2001, Name: "SessionCommitted" });

    [Fact]
    public async Task Every_commit_is_logged_once_with_or_without_a_cookie_and_a_read_logs_none()
    {
        var builder = KestrelHost.CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, MemoryTestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/who", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        int Committed() => CommitsLogged(logs);

        var first = await client.Http.PostAsync("/name/ada", null);
        Assert.True(first.Headers.Contains("Set-Cookie"));
        Assert.Equal(1, Committed());

        // The memory storage keeps the id: changing the content sends no cookie, and is still a commit.
        var second = await client.Http.PostAsync("/name/grace", null);
        Assert.False(second.Headers.Contains("Set-Cookie"));
        Assert.Equal(2, Committed());
        Assert.Contains(logs.Entries, e => e.Id.Id == 2001 && e.Message.Contains("/name/grace", StringComparison.Ordinal));

        Assert.Equal("grace", await client.Http.GetStringAsync("/who"));
        Assert.Equal(2, Committed());
    }

    [Fact]
    public async Task A_commit_whose_headers_an_exception_handler_cleared_is_sent_again_and_logged_once()
    {
        var builder = KestrelHost.CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("error page");
        }));

        // The endpoint commits inside the pipeline; a middleware then fails before the response starts, and the
        // exception handler clears the headers that commit set.
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Path.StartsWithSegments("/name-then-fail", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("after the endpoint");
            }
        });
        app.MapPost("/name-then-fail/{name}", (string name, MemoryTestSession s) => { s.Name = name; return Results.Redirect("/who"); });
        app.MapGet("/who", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var failed = await client.Http.PostAsync("/name-then-fail/ada", null);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.True(failed.Headers.Contains("Set-Cookie"));
        Assert.Equal(1, CommitsLogged(logs));
        Assert.Equal("ada", await client.Http.GetStringAsync("/who"));
        Assert.Equal(1, CommitsLogged(logs));
    }

    [Fact]
    public async Task Invalid_options_stop_the_app_at_start_up_with_a_clear_message()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = ["too short"]);
        var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options: Cookie:Secrets", error.Message); // names the schema and the setting
        Assert.Contains("at least 32 bytes", error.Message);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("Cookie:MaxAge", "3650000")]
    [InlineData("Cookie:AbsoluteLifetime", "3650000")]
    public async Task A_lifetime_too_long_for_a_date_stops_the_app_at_start_up_instead_of_failing_every_commit(string setting, string days)
    {
        // A bare number is days: "forever" written as 3,650,000 days passed validation and every commit was a 500.
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration["Sessions:Cookie:Secrets:0"] = Secret;
        builder.Configuration["Sessions:" + setting] = days;
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 36500 days", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("IdleTimeout", "01:00:00")]
    [InlineData("AbsoluteLifetime", "08:00:00")]
    [InlineData("MaxSessions", "500")]
    public async Task A_server_side_lifetime_set_on_a_cookie_storage_schema_stops_the_app_at_start_up(string setting, string value)
    {
        // The cookie storage keeps nothing on the server: without the check the app would start and keep sessions for
        // the cookie's 14 days (up to 30), whatever "IdleTimeout" says.
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Cookie:Secrets:0"] = Secret,
            ["Sessions:" + setting] = value,
        });
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains($"TestSession session options: {setting} is {value}, but it applies to server-side storages only", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cookie:MaxAge", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();

        // The same settings are what the memory storage runs on.
        var memory = KestrelHost.CreateBuilder();
        memory.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Cookie:Secrets:0"] = Secret,
            ["Sessions:" + setting] = value,
        });
        memory.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(memory.Configuration.GetSection("Sessions"));
        var memoryApp = memory.Build();
        memoryApp.MapGet("/", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(memoryApp);
        using var client = host.Client();
        Assert.Equal("anonymous", await client.Http.GetStringAsync("/"));
    }

    [Fact]
    public async Task A_single_string_secret_in_configuration_is_the_secret_and_replaces_a_list_from_another_source()
    {
        // appsettings.json holds a list (a placeholder); the environment gives one string (Sessions__Cookie__Secrets),
        // which the binder alone would drop for a list: the app must run on the environment's secret.
        var real = CookieSessionOptions.GenerateSecret();
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Cookie:Secrets:0"] = Secret });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sessions:Cookie:Secrets"] = real });
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, TestSession s) => s.Name = name);
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/name/ada", null);

        var withReal = new CookieSessionStorage(new CookieSessionOptions { Secrets = [real] });
        Assert.Equal("ada", (await TestSession.LoadAsync(withReal, "session=" + client.Cookie("session"))).Name);
        var withPlaceholder = new CookieSessionStorage(new CookieSessionOptions { Secrets = [Secret] });
        Assert.Null((await TestSession.LoadAsync(withPlaceholder, "session=" + client.Cookie("session"))).Name);
    }

    [Fact]
    public async Task With_no_secret_the_start_up_error_says_how_configuration_spells_one()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options: Cookie:Secrets: At least one secret is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cookie:Secrets:0", error.Message, StringComparison.Ordinal);
        Assert.Contains("__Cookie__Secrets__0", error.Message, StringComparison.Ordinal);
        Assert.Contains("GenerateSecret()", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Secrets_come_from_configuration()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Cookie:Name"] = "from-config",
            ["Sessions:Cookie:Secrets:0"] = Secret,
            ["Sessions:Cookie:MaxAge"] = "01:00:00",
        });
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, TestSession s) => { s.Name = name; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.PostAsync("/name/ada", null);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var cookie = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(setCookie);
        Assert.Equal("from-config", cookie.Name.Value);
        Assert.Equal(TimeSpan.FromHours(1), cookie.MaxAge);
    }

    [Fact]
    public async Task Data_Protection_can_protect_the_cookie_instead_of_explicit_secrets()
    {
        await using var host = await StartTestApp(o =>
        {
            o.Cookie.Secrets = [];
            o.UseDataProtection = true;
        });
        using var client = host.Client();
        await client.Http.PostAsync("/name/ada", null);
        Assert.Equal("ada", await client.Http.GetStringAsync("/read"));

        // The value is a Data Protection payload, which the secret-based storage cannot open.
        var value = client.Cookie("session")!;
        var secretBased = new CookieSessionStorage(new CookieSessionOptions { Secrets = [Secret] });
        Assert.Equal(0, (await SessionStore.LoadAsync(secretBased, "session=" + value)).Count);

        using var tamperer = host.Client();
        tamperer.Cookies.Add(host.Address, new Cookie("session", value[..(value.Length / 2)] + (value[value.Length / 2] == 'A' ? 'B' : 'A') + value[(value.Length / 2 + 1)..]));
        Assert.Equal("anonymous", await tamperer.Http.GetStringAsync("/read"));
    }

    [Fact]
    public async Task An_unreachable_session_store_answers_503_not_500()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton<UnavailableStorage>();
        builder.Services.AddRemasteredSession<UnavailableSession, UnavailableStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/", (UnavailableSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task An_outage_met_after_the_response_started_goes_to_the_app_and_is_logged_as_such_not_as_a_503()
    {
        var builder = KestrelHost.CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddSingleton<UnavailableStorage>();
        builder.Services.AddRemasteredSession<UnavailableSession, UnavailableStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/late", async (HttpContext context) =>
        {
            await context.Response.WriteAsync("head;");
            await context.Response.Body.FlushAsync();
            try
            {
                await context.GetSessionAsync<UnavailableSession>();
            }
            catch (SessionStoreUnavailableException)
            {
                await context.Response.WriteAsync("unavailable");
            }
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var response = await client.Http.GetAsync("/late");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("head;unavailable", await response.Content.ReadAsStringAsync());
        Assert.Contains(logs.Entries, e => e.Id is { Id: 2008, Name: "SessionStoreUnavailableAfterResponseStarted" } && e.Message.Contains("/late", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 2002);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_error_page_that_meets_an_outage_answers_503_and_the_other_schemas_changes_are_saved(bool outageSchemaFirst)
    {
        // The endpoint changes the cookie session and fails for a reason of its own; the error page takes both
        // sessions, and the second one's store is down. ASP.NET Core's exception handler then passes the endpoint's
        // exception on (its page failed): a 503 with Retry-After, not an empty 500, whichever schema was registered first.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton<UnavailableStorage>();
        if (outageSchemaFirst)
        {
            builder.Services.AddRemasteredSession<UnavailableSession, UnavailableStorage>(o => o.Cookie.Name = "down");
        }

        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        if (!outageSchemaFirst)
        {
            builder.Services.AddRemasteredSession<UnavailableSession, UnavailableStorage>(o => o.Cookie.Name = "down");
        }

        var logs = new CollectingLoggerProvider();
        builder.Logging.AddProvider(logs);
        var app = builder.Build();
        app.UseExceptionHandler("/error");
        app.MapPost("/name-then-fail/{name}", (string name, TestSession s) =>
        {
            s.Name = name;
            throw new InvalidOperationException("the endpoint failed");
        });
        app.Map("/error", (TestSession s, UnavailableSession down) => $"error page for {s.Name} and {down.Name}");
        app.MapGet("/read", (TestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var response = await client.Http.PostAsync("/name-then-fail/ada", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("5", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("ada", await client.Http.GetStringAsync("/read")); // the cookie schema's change went out with the 503
        Assert.Contains(logs.Entries, e => e.Id.Id == 2006 && e.Message.Contains("/name-then-fail/ada", StringComparison.Ordinal) && e.Message.Contains("InvalidOperationException", StringComparison.Ordinal));

        // The outage is logged for the path the client asked for, not the error page's.
        var outage = Assert.Single(logs.Entries, e => e.Id.Id == 2002);
        Assert.Contains("/name-then-fail/ada", outage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_code_page_that_meets_an_outage_answers_503_logged_for_the_path_the_client_asked_for()
    {
        var builder = KestrelHost.CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddSingleton<UnavailableStorage>();
        builder.Services.AddRemasteredSession<UnavailableSession, UnavailableStorage>(o => o.Cookie.Name = "down");
        var app = builder.Build();
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.MapGet("/missing-thing", () => Results.NotFound());
        app.MapGet("/status/{code}", (int code, UnavailableSession down) => $"status {code} for {down.Name}");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        var response = await client.Http.GetAsync("/missing-thing");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var outage = Assert.Single(logs.Entries, e => e.Id.Id == 2002);
        Assert.Contains("/missing-thing", outage.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/status/", outage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_storage_factory_needs_no_cookie_secrets_of_the_integration()
    {
        // The factory builds a storage with secrets of its own (as a Redis storage has): the integration's options
        // have none, and the app starts.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(
            configuration: null,
            configure: o => o.Cookie.Name = "own",
            storageFactory: (_, _) => new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "own", Secrets = [Secret] } }));
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, MemoryTestSession s) => { s.Name = name; return "ok"; });
        app.MapGet("/read", (MemoryTestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        await client.Http.PostAsync("/name/ada", null);
        Assert.Equal("ada", await client.Http.GetStringAsync("/read"));
    }

    [Fact]
    public async Task A_storage_factory_registration_still_refuses_weak_secrets_it_is_given()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(
            configuration: null,
            configure: o => o.Cookie.Secrets = ["changeme"],
            storageFactory: (provider, options) => provider.CreateCookieSessionStorage(options));
        var app = builder.Build();
        app.MapGet("/read", (TestSession s) => s.Name ?? "anonymous");
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options: Cookie:Secrets", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task A_storage_factory_that_builds_from_options_without_secrets_stops_the_app_at_start_up()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(
            configuration: null,
            configure: null,
            storageFactory: (provider, options) => provider.CreateCookieSessionStorage(options));
        var app = builder.Build();
        app.MapGet("/read", (TestSession s) => s.Name ?? "anonymous");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("TestSession's CookieSessionStorage could not be built", error.Message, StringComparison.Ordinal);
        Assert.Contains("At least one secret is required", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Fact]
    public async Task Many_parallel_clients_each_keep_their_own_session()
    {
        await using var host = await StartTestApp();
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(async i =>
        {
            using var client = host.Client();
            await client.Http.PostAsync($"/name/user{i}", null);
            string last = "";
            for (var n = 0; n < 10; n++)
            {
                last = await (await client.Http.PostAsync("/increment", null)).Content.ReadAsStringAsync();
            }

            return (i, name: await client.Http.GetStringAsync("/read"), count: last);
        }));
        Assert.All(results, r =>
        {
            Assert.Equal($"user{r.i}", r.name);
            Assert.Equal("10", r.count);
        });
    }
}
