using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.AspNetCore;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// With <c>DetectConflicts</c>, a request whose automatic commit finds the key changed by another request gets the
/// <see cref="SessionConflictException"/> in the application's exception handling (here mapped to 409), before its
/// response starts: nothing of it is written, the other request's change stands, and a retry succeeds.
/// </summary>
public sealed class ConflictOverHttpTests : IAsyncLifetime
{
    private const string Secret = "conflict-tests-secret-0123456789abcdefghij";
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task A_conflicting_commit_reaches_the_exception_handler_and_writes_nothing()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new RedisSessionStorage(_redis.Connect(), new RedisSessionOptions
        {
            Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] },
            KeyPrefix = "conflict:" + Guid.NewGuid().ToString("N")[..8] + ":",
            DetectConflicts = true,
        }));
        builder.Services.AddRemasteredSession<RedisAppSession, RedisSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()!.Error;
            context.Response.StatusCode = exception is SessionConflictException ? StatusCodes.Status409Conflict : 500;
            await context.Response.WriteAsync(exception.GetType().Name);
        }));

        using var loaded = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        app.MapPost("/start", (RedisAppSession s) => { s.Cart = [new CartLine("a", 1)]; return "started"; });
        app.MapPost("/slow/{sku}", async (string sku, RedisAppSession s) =>
        {
            _ = s.Cart;
            loaded.Release();
            await release.WaitAsync();
            s.Cart!.Add(new CartLine(sku, 1));
            return Results.Text("added " + sku);
        });
        app.MapPost("/fast/{sku}", (string sku, RedisAppSession s) => { s.Cart!.Add(new CartLine(sku, 1)); return Results.Redirect("/cart"); });
        app.MapGet("/cart", (RedisAppSession s) => string.Join(",", (s.Cart ?? []).Select(l => l.Sku)));
        await app.StartAsync();
        await using var running = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address };
        Assert.Equal("started", await (await client.PostAsync("/start", null)).Content.ReadAsStringAsync());

        var slow = client.PostAsync("/slow/late", null);
        await loaded.WaitAsync();
        var fast = await client.PostAsync("/fast/first", null);
        Assert.Equal(HttpStatusCode.Redirect, fast.StatusCode);
        // A commit that changes only server-side content sends no cookie, and is still never cached.
        Assert.False(fast.Headers.Contains("Set-Cookie"));
        Assert.Equal("no-cache, no-store", fast.Headers.NonValidated["Cache-Control"].ToString());
        release.Release();
        var conflicted = await slow;

        Assert.Equal(HttpStatusCode.Conflict, conflicted.StatusCode);
        Assert.Equal(nameof(SessionConflictException), await conflicted.Content.ReadAsStringAsync());
        Assert.Equal("a,first", await client.GetStringAsync("/cart"));

        // Reloaded and applied again, the change goes through.
        var retry = client.PostAsync("/slow/late", null);
        await loaded.WaitAsync();
        release.Release();
        Assert.Equal("added late", await (await retry).Content.ReadAsStringAsync());
        Assert.Equal("a,first,late", await client.GetStringAsync("/cart"));
    }
}
