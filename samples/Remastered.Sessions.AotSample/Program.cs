using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Remastered.Sessions;
using Remastered.Sessions.AspNetCore;
using Remastered.Sessions.Redis;
using Remastered.Sessions.Sample;
using StackExchange.Redis;

// The sample's HTTP contract as a Native AOT binary:
//   dotnet publish samples/Remastered.Sessions.AotSample -c Release -o artifacts/aot-sample
//   artifacts/aot-sample/Remastered.Sessions.AotSample [--storage cookie|memory|redis] [--redis host:port] [--urls http://127.0.0.1:5000]
var builder = WebApplication.CreateSlimBuilder(args);
var storageKind = (builder.Configuration["storage"] ?? "cookie").ToLowerInvariant();
if (storageKind is not ("cookie" or "memory" or "redis"))
{
    Console.Error.WriteLine($"Unknown --storage '{storageKind}': use cookie, memory or redis.");
    return 2;
}

if (storageKind == "redis")
{
    var redisOptions = ConfigurationOptions.Parse(builder.Configuration["redis"] ?? "127.0.0.1:6379");
    redisOptions.AbortOnConnectFail = false;
    // A command for a server that is down fails at once (a 503 with Retry-After) instead of queueing for the 5 s timeout.
    redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
    builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
}

// Minimal APIs under AOT serialize with source-generated metadata only.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AotSampleJson.Default));
builder.Services.AddAntiforgery();
builder.Services.AddRemasteredSession<AppSession, JsonSessionStorage>(
    builder.Configuration.GetSection("Sessions"),
    options =>
    {
        if (!options.UseDataProtection && options.Cookie.Secrets.Count == 0)
        {
            options.Cookie.Secrets.Add(DevelopmentSecret.LoadOrCreate(Path.Combine(AppContext.BaseDirectory, ".sample-secret")));
        }
    },
    (services, options) => storageKind switch
    {
        "memory" => JsonSessionStorage.OverObjects(services.CreateMemorySessionStorage(options)),
        "redis" => JsonSessionStorage.Over(new RedisSessionStorage(
            services.GetRequiredService<IConnectionMultiplexer>(),
            new RedisSessionOptions
            {
                Cookie = services.CreateSessionCookieOptions(options),
                IdleTimeout = options.IdleTimeout,
                AbsoluteLifetime = options.AbsoluteLifetime,
                KeyPrefix = builder.Configuration["redis-prefix"] ?? "remastered-aot-sample:",
            },
            services.GetService<ILogger<RedisSessionStorage>>(),
            services.GetService<TimeProvider>())),
        _ => JsonSessionStorage.Over(services.CreateCookieSessionStorage(options)),
    });

var app = builder.Build();
app.UseAntiforgery();

app.MapGet("/", (AppSession session, HttpContext context, IAntiforgery antiforgery) =>
    Results.Content(SamplePage.Render(session, antiforgery.GetAndStoreTokens(context)), "text/html; charset=utf-8"));

app.MapPost("/login", ([FromForm] string name, AppSession session) =>
{
    name = name.Trim();
    session.SignIn(s =>
    {
        s.Name = name;
        s.Message = $"Welcome, {name}!";
    });
    return SeeOtherHome();
});

app.MapPost("/cart", ([FromForm] string sku, AppSession session) =>
{
    session.Cart = [.. session.Cart ?? [], sku];
    session.Message = $"Added {sku}";
    return SeeOtherHome();
});

app.MapPost("/logout", (AppSession session) =>
{
    session.SignOut();
    session.Message = "Signed out";
    return SeeOtherHome();
});

app.MapGet("/api/session", (AppSession session) => new SessionView(session.Name, session.Cart ?? []));

// Without naming the storage: this overload also binds in handlers that the minimal-API source generator compiles.
app.MapGet("/api/session-from-context", async (HttpContext context) => (await context.GetSessionAsync<AppSession>()).Name ?? "anonymous");
app.MapSessionInspector("/_session");
await app.RunAsync();
return 0;

// 303 See Other: after a POST, the browser follows with a GET.
static IResult SeeOtherHome() => TypedResults.Extensions.SeeOther("/");

/// <summary>The JSON of <c>GET /api/session</c>.</summary>
/// <param name="Name">The signed-in name, or null.</param>
/// <param name="Cart">The cart's SKUs.</param>
internal sealed record SessionView(string? Name, IReadOnlyList<string> Cart);

/// <summary>Source-generated JSON metadata for the sample's API (camelCase, as ASP.NET Core's web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SessionView))]
internal sealed partial class AotSampleJson : JsonSerializerContext;

/// <summary>The 303 result.</summary>
internal static class SeeOtherResultExtensions
{
    /// <summary>303 See Other to <paramref name="location"/>.</summary>
    public static IResult SeeOther(this IResultExtensions _, string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
