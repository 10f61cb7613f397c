using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Remastered.Sessions;
using Remastered.Sessions.AspNetCore;
using Remastered.Sessions.Sample;

// The sample's HTTP contract as a Native AOT binary:
//   dotnet publish samples/Remastered.Sessions.AotSample -c Release -o artifacts/aot-sample
//   artifacts/aot-sample/Remastered.Sessions.AotSample [--storage cookie|memory|redis] [--redis host:port] [--urls http://127.0.0.1:5000]
var builder = WebApplication.CreateSlimBuilder(args);
string storageKind;
try
{
    storageKind = SampleSessions.StorageKind(builder.Configuration);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

// Minimal APIs under AOT serialize with source-generated metadata only.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AotSampleJson.Default));
builder.Services.AddAntiforgery();
SampleSessions.Add(builder.Services, builder.Configuration, storageKind, AppContext.BaseDirectory, "remastered-aot-sample:");

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
