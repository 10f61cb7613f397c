using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.AspNetCore;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>A controller that takes the session in its constructor, as MVC apps usually do.</summary>
[ApiController]
[Route("load-mvc")]
public sealed class CartLoadController(RedisAppSession session) : ControllerBase
{
    /// <summary>Adds a line to the cart in place.</summary>
    [HttpPost("add/{sku}")]
    public int Add(string sku)
    {
        (session.Cart ??= []).Add(new CartLine(sku, 1));
        return session.Cart.Count;
    }

    /// <summary>The cart's lines.</summary>
    [HttpGet]
    public string Lines() => string.Join(",", (session.Cart ?? []).Select(l => l.Sku));
}

/// <summary>
/// A new user's MVC app with constructor injection on Redis answered 503 to most requests under 100 connections with
/// Redis healthy: each controller activation loaded the session synchronously, a blocked thread per request, until the
/// thread pool starved and Redis calls timed out. Schemas a controller takes are now loaded asynchronously before it is
/// created; a burst of concurrent users on a real redis-server all get their answers and keep their carts.
/// </summary>
public sealed class ControllerLoadTests : IAsyncLifetime
{
    private const string Secret = "controller-load-tests-secret-0123456789ab";
    private readonly RedisServerFixture _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task A_hundred_concurrent_users_of_a_controller_taking_the_session_in_its_constructor_all_get_their_carts()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var connection = _redis.Connect();
        builder.Services.AddSingleton(new RedisSessionStorage(connection, new RedisSessionOptions
        {
            Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] },
            KeyPrefix = "load:" + Guid.NewGuid().ToString("N")[..8] + ":",
        }));
        builder.Services.AddRemasteredSession<RedisAppSession, RedisSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        builder.Services.AddControllers().AddApplicationPart(typeof(CartLoadController).Assembly);
        await using var app = builder.Build();
        app.MapControllers();
        app.Lifetime.ApplicationStopped.Register(connection.Dispose);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var users = Enumerable.Range(0, 100).Select(_ => new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = address }).ToList();
        try
        {
            var answers = await Task.WhenAll(users.Select(async (user, i) =>
            {
                var first = await user.PostAsync($"/load-mvc/add/a{i}", null);
                var second = await user.PostAsync($"/load-mvc/add/b{i}", null);
                var lines = await user.GetAsync("/load-mvc");
                return (i, first.StatusCode, second.StatusCode, lines.StatusCode, Lines: await lines.Content.ReadAsStringAsync());
            }));

            Assert.All(answers, a =>
            {
                Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (a.Item2, a.Item3, a.Item4));
                Assert.Equal($"a{a.i},b{a.i}", a.Lines);
            });
        }
        finally
        {
            users.ForEach(u => u.Dispose());
        }
    }
}
