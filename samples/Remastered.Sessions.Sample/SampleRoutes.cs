using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Remastered.Sessions.AspNetCore;

namespace Remastered.Sessions.Sample;

/// <summary>
/// The sample's minimal-API routes, shared by the JIT sample and the Native AOT sample (the JIT sample adds a Razor
/// Page and an MVC controller on the same session).
/// </summary>
internal static class SampleRoutes
{
    private static readonly IResult SeeOtherHome = new SeeOther("/");

    /// <summary>Maps <c>GET /</c>, <c>POST /login</c>, <c>POST /cart</c>, <c>POST /logout</c>, <c>GET /api/session</c>, <c>GET /api/session-from-context</c> and, in Development, the session inspector at <c>/_session</c>.</summary>
    /// <param name="app">The application.</param>
    public static void Map(WebApplication app)
    {
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
            return SeeOtherHome;
        });

        app.MapPost("/cart", ([FromForm] string sku, AppSession session) =>
        {
            session.Cart = [.. session.Cart ?? [], sku];
            session.Message = $"Added {sku}";
            return SeeOtherHome;
        });

        app.MapPost("/logout", (AppSession session) =>
        {
            session.SignOut();
            session.Message = "Signed out";
            return SeeOtherHome;
        });

        app.MapGet("/api/session", (AppSession session) => TypedResults.Json(new SessionView(session.Name, session.Cart ?? []), SampleJson.Default.SessionView));

        // Without naming the storage: this overload also binds in handlers that the minimal-API source generator
        // (Native AOT) compiles, where the schema's generated code is not visible.
        app.MapGet("/api/session-from-context", async (HttpContext context) => (await context.GetSessionAsync<AppSession>()).Name ?? "anonymous");

        // Development only: the request's own session, decrypted.
        app.MapSessionInspector("/_session");
    }

    /// <summary>303 See Other: after a POST, the browser follows with a GET.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}

/// <summary>The JSON of <c>GET /api/session</c>.</summary>
/// <param name="Name">The signed-in name, or null.</param>
/// <param name="Cart">The cart's SKUs.</param>
public sealed record SessionView(string? Name, IReadOnlyList<string> Cart);

/// <summary>Source-generated JSON metadata for the sample's API (camelCase, as ASP.NET Core's web defaults): trim and AOT safe.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SessionView))]
internal sealed partial class SampleJson : JsonSerializerContext;
