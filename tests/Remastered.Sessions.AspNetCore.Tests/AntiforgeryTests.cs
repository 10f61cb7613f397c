using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>
/// A page that shows a flash and renders a form (post-redirect-get with antiforgery, as Razor Pages and MVC forms do):
/// the session's no-store and antiforgery's no-cache agree, so antiforgery has nothing to override and logs nothing.
/// </summary>
public sealed class AntiforgeryTests
{
    [Fact]
    public async Task A_page_showing_a_flash_and_rendering_a_form_draws_no_antiforgery_warning()
    {
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddAntiforgery();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [CookieSessionOptions.GenerateSecret()]);
        var app = builder.Build();
        app.UseAntiforgery();
        app.MapPost("/save", (TestSession s) =>
        {
            s.Message = "Saved!";
            return Results.Redirect("/form");
        }).DisableAntiforgery();
        app.MapGet("/form", (TestSession s, IAntiforgery antiforgery, HttpContext context) =>
        {
            // What a form tag helper does as the page renders, after the page read the flash.
            var message = s.Message ?? "";
            var tokens = antiforgery.GetAndStoreTokens(context);
            return $"{message}|{tokens.RequestToken?.Length > 0}";
        });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        await client.Http.PostAsync("/save", null);
        using var shown = await client.Http.GetAsync("/form");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal("Saved!|True", await shown.Content.ReadAsStringAsync());
        // DefaultAntiforgery's event 8: "The 'Cache-Control' and 'Pragma' headers have been overridden ...".
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("have been overridden", StringComparison.Ordinal));
        Assert.Equal("no-cache, no-store", shown.Headers.NonValidated["Cache-Control"].ToString());
        Assert.Equal("no-cache", shown.Headers.Pragma.ToString());
        Assert.Equal("|True", await client.Http.GetStringAsync("/form"));
    }
}
