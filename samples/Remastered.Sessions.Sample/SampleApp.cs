using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
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

        SampleRoutes.Map(app);
        app.MapRazorPages();
        app.MapControllers();
        return app;
    }
}
