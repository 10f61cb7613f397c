using System.Net;
using System.Text.Json;
using Remastered.Sessions.Redis.Tests;
using Remastered.Sessions.Tests.Shared;
using Xunit.Abstractions;

namespace Remastered.Sessions.NativeAot.Tests;

/// <summary>The Native AOT sample: published without trim or AOT warnings, and the sample's HTTP contract on every storage.</summary>
[Collection(NativeSampleCollection.Name)]
public sealed class NativeSampleTests(NativeSampleFixture sample, ITestOutputHelper output)
{
    [Fact]
    public void Publishing_with_native_aot_reports_no_trim_or_aot_warning()
    {
        Assert.Equal(0, sample.PublishExitCode);
        Assert.Empty(sample.TrimAndAotDiagnostics);
        var size = new FileInfo(sample.BinaryPath).Length;
        output.WriteLine($"native binary: {size / 1024.0 / 1024.0:F1} MiB, published in {sample.PublishDuration.TotalSeconds:F0} s");
        // A self-contained native executable, not a framework-dependent app host of a few hundred kilobytes.
        Assert.InRange(size, 5L * 1024 * 1024, 100L * 1024 * 1024);
        Assert.False(File.Exists(Path.Combine(sample.OutputDirectory, "Remastered.Sessions.AotSample.dll")), "a native publish has no IL assembly");
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task The_native_binary_follows_the_sample_contract(string storage)
    {
        await using var running = await sample.StartAsync("--storage", storage);
        output.WriteLine($"{storage}: answered {running.StartupTime.TotalMilliseconds:F0} ms after start");
        await SampleHttpContract.LoginCartAndLogoutAsync(running.Address);
        await SampleHttpContract.TamperedCookiesAreAnonymousAsync(running.Address);
        if (storage == "memory")
        {
            await SampleHttpContract.LoginIssuesANewIdAsync(running.Address);
        }

        // A handler that awaits HttpContext.GetSessionAsync keeps its body under the minimal-API source generator.
        var (client, _) = SampleHttpContract.Client(running.Address);
        using (client)
        {
            using (var response = await client.GetAsync("/api/session-from-context"))
            {
                Assert.Equal("anonymous", await response.Content.ReadAsStringAsync());
                // A string is sent as text by the generated request delegate: the session must not give every endpoint a
                // validation filter (its filtered path sends strings without a Content-Type).
                Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            }

            await SampleHttpContract.Submit(client, "/login", ("name", "Grace"));
            Assert.Equal("Grace", await client.GetStringAsync("/api/session-from-context"));
        }

        Assert.False(running.HasExited);
        Assert.DoesNotContain("fail:", running.Output);
    }

    [Fact]
    public async Task The_native_binary_follows_the_sample_contract_on_redis()
    {
        var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        try
        {
            await using var running = await sample.StartAsync("--storage", "redis", "--redis", redis.Endpoint);
            await SampleHttpContract.LoginCartAndLogoutAsync(running.Address);
            await SampleHttpContract.LoginIssuesANewIdAsync(running.Address);
            await SampleHttpContract.TamperedCookiesAreAnonymousAsync(running.Address);

            // Sessions really live in Redis: the server holds the sample's keys.
            using var connection = redis.Connect();
            var keys = connection.GetServer(redis.Endpoint).Keys(pattern: "remastered-aot-sample:*").ToList();
            Assert.NotEmpty(keys);

            // And a Redis outage is a 503, not a 500, then service resumes.
            await SampleHttpContract.StoreOutageIs503ThenRecoversAsync(running.Address, redis.StopAsync, redis.StartAsync);
        }
        finally
        {
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_session_inspector_works_natively_in_development_and_is_absent_otherwise()
    {
        await using (var production = await sample.StartAsync("--storage", "cookie"))
        {
            using var client = new HttpClient { BaseAddress = production.Address };
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/_session")).StatusCode);
        }

        await using var development = await sample.StartAsync("--storage", "cookie", "--environment", "Development");
        var (http, _) = SampleHttpContract.Client(development.Address);
        using var ___ = http;
        await SampleHttpContract.Submit(http, "/login", ("name", "Ada"));
        var root = JsonDocument.Parse(await http.GetStringAsync("/_session?format=json")).RootElement;
        var entries = root.GetProperty("schemas")[0].GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal("Ada", entries.Single(e => e.GetProperty("key").GetString() == "name").GetProperty("value").GetString());
        Assert.Equal("removed-by-next-app-request", entries.Single(e => e.GetProperty("key").GetString() == "flash").GetProperty("flash").GetString());
    }
}
