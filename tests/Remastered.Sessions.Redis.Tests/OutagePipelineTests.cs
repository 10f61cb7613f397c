using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.AspNetCore;
using Remastered.Sessions.Sample;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>An MVC controller of the test application.</summary>
[ApiController]
[Route("mvc")]
public sealed class OutageController(RedisAppSession session) : ControllerBase
{
    /// <summary>Reads the session.</summary>
    [HttpGet]
    public ActionResult<int?> Get() => session.UserId;
}

/// <summary>An <c>IExceptionHandler</c> that answers every exception with a 500 problem, as apps register them.</summary>
public sealed class CatchEverything(IProblemDetailsService problems) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new() { HttpContext = httpContext, Exception = exception });
    }
}

/// <summary>
/// Redis stopped under real pipelines on Kestrel: whatever the app does with exceptions (the developer exception page,
/// <c>UseExceptionHandler</c> with a path or a lambda, an <c>IExceptionHandler</c> with ProblemDetails), in minimal
/// APIs, MVC and Razor Pages, and when the session is first touched inside the handler, the answer is 503 with
/// <c>Retry-After</c>, fast, and service resumes when Redis returns.
/// </summary>
public sealed class OutagePipelineTests : IAsyncLifetime
{
    private const string Secret = "outage-tests-secret-0123456789abcdefghijkl";
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    private readonly EventLog _log = new();

    private async Task<(WebApplication App, HttpClient Client)> Start(string shape)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = shape == "developer exception page" ? "Development" : "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_log);
        var connection = _redis.Connect();
        builder.Services.AddSingleton(new RedisSessionStorage(connection, new RedisSessionOptions
        {
            Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] },
            KeyPrefix = "outage:" + Guid.NewGuid().ToString("N")[..8] + ":",
        }));
        builder.Services.AddRemasteredSession<RedisAppSession, RedisSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        if (shape == "IExceptionHandler with ProblemDetails")
        {
            builder.Services.AddProblemDetails();
            builder.Services.AddExceptionHandler<CatchEverything>();
        }

        if (shape == "ProblemDetails only")
        {
            builder.Services.AddProblemDetails();
        }

        if (shape == "MVC controller")
        {
            builder.Services.AddControllers().AddApplicationPart(typeof(OutageController).Assembly);
        }

        var app = builder.Build();
        switch (shape)
        {
            case "UseExceptionHandler(path)":
                app.UseExceptionHandler("/error");
                app.MapGet("/error", () => Results.Problem("Something went wrong."));
                break;
            case "UseExceptionHandler(path) whose page reads the session":
                app.UseExceptionHandler("/error");
                app.MapGet("/error", (RedisAppSession session) => Results.Problem($"Something went wrong for {session.UserId}."));
                break;
            case "UseExceptionHandler(lambda)":
                app.UseExceptionHandler(error => error.Run(async context =>
                {
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    await context.Response.WriteAsync("Sorry.");
                }));
                break;
            case "IExceptionHandler with ProblemDetails":
            case "ProblemDetails only":
                app.UseExceptionHandler();
                break;
        }

        app.MapGet("/set", (RedisAppSession session) => { session.UserId = 1; return "set"; });
        if (shape == "session touched inside the handler")
        {
            app.MapGet("/read", async (HttpContext context) => (await context.GetSessionAsync<RedisAppSession, RedisSessionStorage>()).UserId?.ToString() ?? "none");
        }
        else if (shape == "MVC controller")
        {
            app.MapControllers();
        }
        else
        {
            app.MapGet("/read", (RedisAppSession session) => session.UserId?.ToString() ?? "none");
        }

        app.Lifetime.ApplicationStopped.Register(connection.Dispose);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        return (app, client);
    }

    [Theory]
    [InlineData("developer exception page")]
    [InlineData("UseExceptionHandler(path)")]
    [InlineData("UseExceptionHandler(path) whose page reads the session")]
    [InlineData("UseExceptionHandler(lambda)")]
    [InlineData("IExceptionHandler with ProblemDetails")]
    [InlineData("ProblemDetails only")]
    [InlineData("session touched inside the handler")]
    [InlineData("MVC controller")]
    public async Task An_unreachable_store_is_a_fast_503_with_Retry_After_and_service_resumes(string shape)
    {
        var (app, client) = await Start(shape);
        await using var _ = app;
        using var __ = client;
        var read = shape == "MVC controller" ? "/mvc" : "/read";
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/set")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(read)).StatusCode);

        await _redis.StopAsync();
        try
        {
            var down = await client.GetAsync(read);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("5", down.Headers.GetValues("Retry-After").Single());
            if (shape is "IExceptionHandler with ProblemDetails" or "ProblemDetails only")
            {
                // The problem details ASP.NET Core writes say what the response says, not the exception handler's 500.
                Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
                using var problem = System.Text.Json.JsonDocument.Parse(await down.Content.ReadAsStringAsync());
                Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
                Assert.Equal("Service Unavailable", problem.RootElement.GetProperty("title").GetString());
            }

            // One error event per failed request, whatever re-runs the pipeline.
            Assert.Equal(1, _log.Count(2002));

            // While the store is known to be down, requests do not wait for the client's timeout.
            var clock = Stopwatch.StartNew();
            var again = await client.GetAsync(read);
            clock.Stop();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, again.StatusCode);
            Assert.True(clock.ElapsedMilliseconds < 1000, $"the second request during the outage took {clock.ElapsedMilliseconds} ms");
        }
        finally
        {
            await _redis.StartAsync();
        }

        // Redis came back empty (the test server keeps nothing on disk): success is any answer that is not an error.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await client.GetAsync(read)).StatusCode;
        }
        while ((int)status >= 500 && DateTime.UtcNow < deadline);
        Assert.True((int)status < 300, $"after the outage: {(int)status}");
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task The_sample_answers_503_on_every_kind_of_endpoint_and_logs_it_once(string environment)
    {
        var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--environment", environment, "--storage", "redis", "--redis", _redis.Endpoint], b =>
        {
            b.Logging.ClearProviders();
            b.Logging.AddProvider(_log);
        });
        await app.StartAsync();
        await using var _ = app;
        Assert.Equal(environment, app.Environment.EnvironmentName);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };
        // Sign in, so that every request carries a session id the storage must look up.
        var page = await client.GetStringAsync("/");
        var token = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        var login = await client.PostAsync("/login", new FormUrlEncodedContent([new("name", "Ada"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);

        await _redis.StopAsync();
        try
        {
            var paths = new[] { "/", "/api/session", "/summary", "/mvc/cart" };
            foreach (var (path, index) in paths.Select((p, i) => (p, i)))
            {
                var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path}: {(int)response.StatusCode}");
                Assert.True(response.Headers.Contains("Retry-After"), path);
                Assert.True(_log.Count(2002) == index + 1, $"{path}: event 2002 logged {_log.Count(2002) - index} times");
            }
        }
        finally
        {
            await _redis.StartAsync();
        }
    }
}
