using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Remastered.Sessions.AspNetCore;

namespace Remastered.Sessions.Sample;

/// <summary>The sample web app: sign in, a cart and flash messages on top of a typed session.</summary>
public static class SampleApp
{
    /// <summary>
    /// Builds the app from command-line arguments: <c>--storage cookie|memory|redis</c>, <c>--redis host:port</c>
    /// (default 127.0.0.1:6379), <c>--redis-prefix</c> (key prefix, default <c>remastered-sample:</c>), <c>--urls</c>.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Lets tests adjust the builder (logging, configuration) before the app is built.</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The application name pins MVC and Razor Pages discovery to this assembly, also when a test host starts it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(SampleApp).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var storageKind = SampleSessions.StorageKind(builder.Configuration);

        // --telemetry console: the session metrics and traces, printed by OpenTelemetry's console exporter.
        if (builder.Configuration["telemetry"] == "console")
        {
            builder.Services.AddOpenTelemetry()
                .WithMetrics(metrics => metrics.AddMeter(SessionTelemetry.Name).AddConsoleExporter())
                .WithTracing(tracing => tracing.AddSource(SessionTelemetry.Name).AddConsoleExporter());
        }

        builder.Services.AddAntiforgery();
        builder.Services.AddRazorPages();
        builder.Services.AddControllers();
        SampleSessions.Add(builder.Services, builder.Configuration, storageKind, builder.Environment.ContentRootPath, "remastered-sample:");

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

        app.MapGet("/api/session", (AppSession session) => Results.Json(new SessionView(session.Name, session.Cart ?? [])));
        app.MapGet("/api/session-from-context", async (HttpContext context) =>
            (await context.GetSessionAsync<AppSession, JsonSessionStorage>()).Name ?? "anonymous");
        app.MapRazorPages();
        app.MapControllers();
        // Development only: the request's own session, decrypted, at /_session.
        app.MapSessionInspector("/_session");
        return app;
    }

    /// <summary>The JSON of <c>GET /api/session</c>.</summary>
    /// <param name="Name">The signed-in name, or null.</param>
    /// <param name="Cart">The cart's SKUs.</param>
    public sealed record SessionView(string? Name, IReadOnlyList<string> Cart);

    private static readonly IResult SeeOtherHome = new SeeOther("/");

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
