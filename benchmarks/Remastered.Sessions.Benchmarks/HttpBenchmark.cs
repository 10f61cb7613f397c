using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.AspNetCore;
using Remastered.Sessions.Redis;
using StackExchange.Redis;

namespace Remastered.Sessions.Benchmarks;

[Session<CookieSessionStorage>]
public partial class HttpCookieSession
{
    [SessionKey] public partial int Visits { get; set; }
}

[Session<MemorySessionStorage>]
public partial class HttpMemorySession
{
    [SessionKey] public partial int Visits { get; set; }
}

[Session<RedisSessionStorage>]
public partial class HttpRedisSession
{
    [SessionKey] public partial int Visits { get; set; }
}

/// <summary>
/// Requests per second and p99 over HTTP: each contender is its own app on Kestrel (127.0.0.1), driven by wrk (Debian
/// package) with 2 threads and 32 connections, each connection keeping its own session cookie. Every route does the same
/// session work: read a counter, write it back plus one. Redis contenders share one redis-server started here.
/// </summary>
internal static partial class HttpBenchmark
{
    private const string Secret = "benchmark-secret-0123456789abcdefghijklmnop";

    // Each wrk connection keeps the session cookie it was given; non-2xx answers are counted by status.
    private const string Script = """
        local threads = {}
        setup = function(thread) table.insert(threads, thread) end
        cookie = nil
        ok = 0
        unavailable = 0
        other = 0
        request = function()
          if cookie then wrk.headers["Cookie"] = cookie end
          return wrk.format("GET", wrk.path)
        end
        response = function(status, headers, body)
          if status == 200 then ok = ok + 1 elseif status == 503 then unavailable = unavailable + 1 else other = other + 1 end
          local set = headers["Set-Cookie"] or headers["set-cookie"]
          if set then cookie = string.match(set, "^[^;]+") end
        end
        done = function(summary, latency, requests)
          local o, u, x = 0, 0, 0
          for _, t in ipairs(threads) do o = o + t:get("ok"); u = u + t:get("unavailable"); x = x + t:get("other") end
          io.write(string.format("statuses: 200=%d 503=%d other=%d\n", o, u, x))
        end
        """;

    public static async Task RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        using var redis = new RedisProcess();
        var script = Path.Combine(Path.GetTempPath(), "remastered-wrk.lua");
        await File.WriteAllTextAsync(script, Script);

        var contenders = new (string Name, Func<WebApplication> Build)[]
        {
            ("no session", () => App(b => { }, app => app.MapGet("/", () => "ok"))),
            ("Remastered cookie, integration", () => App(
                b => b.Services.AddRemasteredSession<HttpCookieSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]),
                app => app.MapGet("/", (HttpCookieSession s) => { s.Visits++; return "ok"; }))),
            ("Remastered cookie, by hand", () => App(b => { }, app =>
            {
                var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret], Secure = false });
                app.MapGet("/", async (HttpContext context) =>
                {
                    var session = await HttpCookieSession.LoadAsync(storage, context.Request.Headers.Cookie);
                    session.Visits++;
                    var header = await session.CommitAsync();
                    if (header is not null)
                    {
                        context.Response.Headers.SetCookie = header;
                    }

                    return "ok";
                });
            })),
            ("Remastered cookie, integration, metrics listened to", () => App(
                b => b.Services.AddRemasteredSession<HttpCookieSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]),
                app => app.MapGet("/", (HttpCookieSession s) => { s.Visits++; return "ok"; }))),
            ("Remastered memory, integration", () => App(
                b => b.Services.AddRemasteredSession<HttpMemorySession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]),
                app => app.MapGet("/", (HttpMemorySession s) => { s.Visits++; return "ok"; }))),
            ("ASP.NET Core session, memory cache", () => App(
                b => { b.Services.AddDistributedMemoryCache(); b.Services.AddSession(); },
                app => { app.UseSession(); app.MapGet("/", AspNetCoreSessionWork); })),
            ("Remastered Redis, integration", () => App(
                b =>
                {
                    var connection = ConnectionMultiplexer.Connect(redis.Endpoint + ",abortConnect=false");
                    b.Services.AddSingleton(new RedisSessionStorage(connection, new RedisSessionOptions { Cookie = new CookieSessionOptions { Name = "sid", Secrets = [Secret] }, KeyPrefix = "http-bench:" }));
                    b.Services.AddRemasteredSession<HttpRedisSession, RedisSessionStorage>(o => { o.Cookie.Name = "sid"; o.Cookie.Secrets = [Secret]; });
                },
                app => app.MapGet("/", (HttpRedisSession s) => { s.Visits++; return "ok"; }))),
            ("ASP.NET Core session, RedisCache", () => App(
                b => { b.Services.AddStackExchangeRedisCache(o => o.Configuration = redis.Endpoint + ",abortConnect=false"); b.Services.AddSession(); },
                app => { app.UseSession(); app.MapGet("/", AspNetCoreSessionWork); })),
        };

        // --http <seconds> --rounds <n> [name endings, '|'-separated]: alternate the matching contenders n times and report medians,
        // so that a few-percent difference is not lost in the drift of a shared machine between two long runs.
        var roundsAt = Array.IndexOf(args, "--rounds");
        if (roundsAt >= 0)
        {
            var rounds = int.Parse(args[roundsAt + 1], CultureInfo.InvariantCulture);
            // The contenders to compare, '|'-separated name parts; by default the cookie integration against by hand.
            var filter = (args.Length > roundsAt + 2 ? args[roundsAt + 2] : "cookie, integration|cookie, by hand").Split('|');
            await RunRoundsAsync(contenders.Where(c => filter.Any(f => c.Name.EndsWith(f, StringComparison.OrdinalIgnoreCase))).ToArray(), script, seconds, rounds);
            return;
        }

        var results = new List<(string Name, double Rps, double P99Ms)>();
        foreach (var (name, build) in contenders)
        {
            await using var app = build();
            await app.StartAsync();
            var url = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
            // The one contender measured while a MeterListener records every instrument of the library's meter.
            using var listener = name.Contains("metrics listened", StringComparison.Ordinal) ? ListenToMeter() : null;
            await Wrk(url, script, 2); // warm-up
            var (rps, p99, output) = await Wrk(url, script, seconds);
            Console.WriteLine($"{name}: {rps:F0} requests/s, p99 {p99:F2} ms");
            results.Add((name, rps, p99));
            await app.StopAsync();
        }

        Console.WriteLine();
        Console.WriteLine("| contender | requests/s | p99 (ms) | requests/s vs ASP.NET Core session (same store) | p99 vs same |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        double Find(string n) => results.Single(r => r.Name == n).Rps;
        double FindP(string n) => results.Single(r => r.Name == n).P99Ms;
        foreach (var (name, rps, p99) in results)
        {
            var baseline = name.Contains("Redis", StringComparison.Ordinal) ? "ASP.NET Core session, RedisCache"
                : name.Contains("memory", StringComparison.Ordinal) ? "ASP.NET Core session, memory cache"
                : name.Contains("metrics listened", StringComparison.Ordinal) ? "Remastered cookie, integration"
                : name.Contains("by hand", StringComparison.Ordinal) || name.Contains("integration", StringComparison.Ordinal) ? "Remastered cookie, by hand" : null;
            var ratio = baseline is null ? "" : (rps / Find(baseline)).ToString("F2", CultureInfo.InvariantCulture) + "x";
            var pratio = baseline is null ? "" : (p99 / FindP(baseline)).ToString("F2", CultureInfo.InvariantCulture) + "x";
            Console.WriteLine($"| {name} | {rps:F0} | {p99:F2} | {ratio} | {pratio} |");
        }

        // A Redis outage in the middle of a run: only 503s while it is down, then recovery.
        await using (var outage = contenders.Single(c => c.Name == "Remastered Redis, integration").Build())
        {
            await outage.StartAsync();
            var url = outage.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
            var run = Wrk(url, script, 9);
            await Task.Delay(3000);
            redis.Dispose();
            await Task.Delay(3000);
            using var restarted = new RedisProcess(redis.Port);
            var (_, _, output) = await run;
            Console.WriteLine();
            Console.WriteLine("Redis stopped 3 s into a 9 s run and restarted 3 s later:");
            Console.WriteLine("  " + Statuses().Match(output).Value);
            using var client = new HttpClient();
            var after = await client.GetAsync(url);
            Console.WriteLine($"  after the restart: {(int)after.StatusCode}");
            await outage.StopAsync();
        }
    }

    private static async Task RunRoundsAsync((string Name, Func<WebApplication> Build)[] contenders, string script, int seconds, int rounds)
    {
        var apps = new List<(string Name, WebApplication App, string Url)>();
        foreach (var (name, build) in contenders)
        {
            var app = build();
            await app.StartAsync();
            var url = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/";
            await Wrk(url, script, 2); // warm-up
            apps.Add((name, app, url));
        }

        var samples = apps.ToDictionary(a => a.Name, _ => new List<(double Rps, double P99)>());
        for (var round = 0; round < rounds; round++)
        {
            // Each round in a different order, so that no contender always runs right after another.
            foreach (var (name, _, url) in round % 2 == 0 ? apps : Enumerable.Reverse(apps))
            {
                using var listener = name.Contains("metrics listened", StringComparison.Ordinal) ? ListenToMeter() : null;
                var (rps, p99, _) = await Wrk(url, script, seconds);
                samples[name].Add((rps, p99));
                Console.WriteLine($"round {round + 1}, {name}: {rps:F0} requests/s, p99 {p99:F2} ms");
            }
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var reference = apps.Select(a => a.Name).FirstOrDefault(n => n.Contains("by hand", StringComparison.Ordinal)) ?? apps[^1].Name;
        Console.WriteLine();
        Console.WriteLine($"Medians of {rounds} alternating rounds of {seconds} s; ratios against \"{reference}\" (median of the per-round ratios):");
        Console.WriteLine("| contender | requests/s | p99 (ms) | requests/s ratio | p99 ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, _, _) in apps)
        {
            var mine = samples[name];
            var theirs = samples[reference];
            var ratio = Median(mine.Select((m, i) => m.Rps / theirs[i].Rps));
            var pratio = Median(mine.Select((m, i) => m.P99 / theirs[i].P99));
            Console.WriteLine($"| {name} | {Median(mine.Select(m => m.Rps)):F0} | {Median(mine.Select(m => m.P99)):F2} | {ratio:F2}x | {pratio:F2}x |");
        }

        foreach (var (_, app, _) in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static System.Diagnostics.Metrics.MeterListener ListenToMeter()
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SessionTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        long sink = 0;
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref sink, value));
        listener.SetMeasurementEventCallback<int>((_, value, _, _) => Interlocked.Add(ref sink, value));
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref sink));
        listener.Start();
        return listener;
    }

    private static async Task AspNetCoreSessionWork(HttpContext context)
    {
        await context.Session.LoadAsync();
        var visits = context.Session.GetInt32("visits") ?? 0;
        context.Session.SetInt32("visits", visits + 1);
        await context.Response.WriteAsync("ok");
    }

    private static WebApplication App(Action<WebApplicationBuilder> services, Action<WebApplication> routes)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        services(builder);
        var app = builder.Build();
        routes(app);
        return app;
    }

    private static async Task<(double Rps, double P99Ms, string Output)> Wrk(string url, string script, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-t2", "-c32", $"-d{seconds}s", "--latency", "-s", script, url })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk is missing: apt-get install wrk");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99().Match(output);
        var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = p99.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        return (rps, ms, output);
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99();

    [GeneratedRegex(@"statuses: [^\n]*")]
    private static partial Regex Statuses();
}
