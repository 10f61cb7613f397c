using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.Sample;
using Xunit.Abstractions;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// The sample app with <c>--storage redis</c>: shared sessions across instances, outages, and a bounded load test through
/// minimal APIs, Razor Pages and an MVC controller (these take the session from dependency injection).
/// </summary>
public sealed partial class SampleOnRedisTests(RedisServerFixture redis, ITestOutputHelper output) : IClassFixture<RedisServerFixture>
{
    private async Task<(WebApplication App, Uri Address)> StartSample(string prefix, EventLog? log = null)
    {
        var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--storage", "redis", "--redis", redis.Endpoint, "--redis-prefix", prefix], b =>
        {
            b.Logging.ClearProviders();
            if (log is not null)
            {
                b.Logging.AddProvider(log);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }

    private static HttpClient Client(Uri address, CookieContainer? cookies = null)
        => new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address };

    private static async Task<string> Token(HttpClient client)
        => WebUtility.HtmlDecode(TokenField().Match(await client.GetStringAsync("/")).Groups[1].Value);

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string token, params (string, string)[] fields)
        => client.PostAsync(path, new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), new("__RequestVerificationToken", token)]));

    [Fact]
    public async Task The_sample_on_redis_follows_the_http_contract()
    {
        var (app, address) = await StartSample("sample:" + Guid.NewGuid().ToString("N")[..8] + ":");
        await using var _ = app;
        await Remastered.Sessions.Tests.Shared.SampleHttpContract.LoginCartAndLogoutAsync(address);
        await Remastered.Sessions.Tests.Shared.SampleHttpContract.LoginIssuesANewIdAsync(address);
        await Remastered.Sessions.Tests.Shared.SampleHttpContract.TamperedCookiesAreAnonymousAsync(address);
    }

    [Fact]
    public async Task Two_instances_of_the_sample_share_sessions_through_redis()
    {
        var prefix = "sample:" + Guid.NewGuid().ToString("N")[..8] + ":";
        var (one, addressOne) = await StartSample(prefix);
        var (two, addressTwo) = await StartSample(prefix);
        await using var _ = one;
        await using var __ = two;
        var cookies = new CookieContainer();
        using var onOne = Client(addressOne, cookies);
        var token = await Token(onOne);
        Assert.Equal(HttpStatusCode.SeeOther, (await Post(onOne, "/login", token, ("name", "Ada"))).StatusCode);
        await Post(onOne, "/cart", token, ("sku", "SKU-1"));

        // The same browser cookie sent to the other instance (same host, different port: cookies ignore ports).
        using var onTwo = Client(addressTwo, cookies);
        var api = JsonDocument.Parse(await onTwo.GetStringAsync("/api/session")).RootElement;
        Assert.Equal("Ada", api.GetProperty("name").GetString());
        Assert.Equal(["SKU-1"], api.GetProperty("cart").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task While_redis_is_down_the_sample_answers_503_and_recovers_afterwards()
    {
        var own = new RedisServerFixture();
        await own.InitializeAsync();
        try
        {
            var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--storage", "redis", "--redis", own.Endpoint], b => b.Logging.ClearProviders());
            await app.StartAsync();
            await using var _ = app;
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
            await Remastered.Sessions.Tests.Shared.SampleHttpContract.StoreOutageIs503ThenRecoversAsync(address, own.StopAsync, own.StartAsync);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Load_test_hundreds_of_concurrent_sessions_lose_no_write()
    {
        const int Sessions = 300;
        const int ItemsPerSession = 4;
        var prefix = "load:" + Guid.NewGuid().ToString("N")[..8] + ":";
        var log = new EventLog();
        var (app, address) = await StartSample(prefix, log);
        await using var _ = app;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        using var limit = new SemaphoreSlim(64);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // bounded in time as well as in count
        var clock = Stopwatch.StartNew();

        async Task<HttpResponseMessage> Timed(Func<Task<HttpResponseMessage>> send)
        {
            var started = Stopwatch.GetTimestamp();
            var response = await send();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async i =>
        {
            await limit.WaitAsync(stop.Token);
            try
            {
                using var client = Client(address);
                var token = await Token(client);
                await Timed(() => Post(client, "/login", token, ("name", $"user{i}")));
                for (var n = 0; n < ItemsPerSession; n++)
                {
                    var response = await Timed(() => Post(client, "/cart", token, ("sku", $"u{i}-{n}")));
                    Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
                }

                var apiResponse = await Timed(() => client.GetAsync("/api/session"));
                var apiText = await apiResponse.Content.ReadAsStringAsync();
                Assert.True(apiResponse.IsSuccessStatusCode && apiText.Length > 0, $"GET /api/session answered {(int)apiResponse.StatusCode} with '{apiText}'");
                var api = JsonDocument.Parse(apiText).RootElement;

                // Razor Pages and the MVC controller take the session from dependency injection: a page model's and a controller's
                // constructor, a page's @inject.
                var page = await Timed(() => client.GetAsync("/summary"));
                var pageText = await page.Content.ReadAsStringAsync();
                Assert.True(page.IsSuccessStatusCode && pageText.Contains($"<span id=\"cart-count\">{ItemsPerSession}</span>", StringComparison.Ordinal), $"GET /summary answered {(int)page.StatusCode}");
                var injected = await Timed(() => client.GetAsync("/greeting"));
                var injectedText = await injected.Content.ReadAsStringAsync();
                Assert.True(injected.IsSuccessStatusCode && injectedText.Contains($"<span id=\"cart-count\">{ItemsPerSession}</span>", StringComparison.Ordinal), $"GET /greeting answered {(int)injected.StatusCode}");
                var controller = await Timed(() => client.GetAsync("/mvc/cart"));
                Assert.True(controller.IsSuccessStatusCode, $"GET /mvc/cart answered {(int)controller.StatusCode}");
                Assert.Equal(ItemsPerSession, JsonDocument.Parse(await controller.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
                return (i, name: api.GetProperty("name").GetString(), cart: api.GetProperty("cart").EnumerateArray().Select(e => e.GetString()!).ToArray());
            }
            finally
            {
                limit.Release();
            }
        }));
        clock.Stop();

        var sorted = latencies.Order().ToArray();
        var p50 = sorted[sorted.Length / 2];
        var p99 = sorted[(int)(sorted.Length * 0.99)];
        output.WriteLine($"{Sessions} sessions, {sorted.Length} requests in {clock.Elapsed.TotalSeconds:F1} s: {sorted.Length / clock.Elapsed.TotalSeconds:F0} req/s, p50 {p50:F1} ms, p99 {p99:F1} ms (64 concurrent clients, loopback Redis)");

        Assert.All(results, r =>
        {
            Assert.Equal($"user{r.i}", r.name);
            Assert.Equal(Enumerable.Range(0, ItemsPerSession).Select(n => $"u{r.i}-{n}"), r.cart);
        });

        // No endpoint of the sample (minimal APIs, the Razor Pages, the controller) loaded the session by blocking.
        Assert.Equal(0, log.Count(2005));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
