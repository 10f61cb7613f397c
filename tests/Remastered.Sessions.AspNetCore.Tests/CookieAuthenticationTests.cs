using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>The session next to ASP.NET Core's cookie authentication, as aspnetcore.md describes it.</summary>
public sealed class CookieAuthenticationTests
{
    private const string Secret = "integration-tests-secret-0123456789abcdef";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Signing_in_and_out_of_both_in_either_order_sends_both_cookies_and_the_cache_clearing(bool sessionFirst)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization();
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], CookieAuthenticationDefaults.AuthenticationScheme));
        app.MapPost("/login", async (HttpContext context, MemoryTestSession session) =>
        {
            if (sessionFirst)
            {
                session.SignIn(s => s.Name = "ada");
            }

            await context.SignInAsync(principal);
            if (!sessionFirst)
            {
                session.SignIn(s => s.Name = "ada");
            }

            return "ok";
        });
        app.MapPost("/logout", async (HttpContext context, MemoryTestSession session) =>
        {
            if (sessionFirst)
            {
                session.SignOut();
            }

            await context.SignOutAsync();
            if (!sessionFirst)
            {
                session.SignOut();
            }

            return "ok";
        });
        app.MapGet("/who", (HttpContext context, MemoryTestSession session) => $"{context.User.Identity?.Name ?? "-"}/{session.Name ?? "-"}").RequireAuthorization();
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client(followRedirects: false);

        var login = await client.Http.PostAsync("/login", null);
        var cookies = login.Headers.GetValues("Set-Cookie").Select(c => c.Split('=')[0]).ToList();
        Assert.Contains("session", cookies);
        Assert.Contains(".AspNetCore.Cookies", cookies);
        Assert.False(login.Headers.Contains("Clear-Site-Data"));
        Assert.Equal("ada/ada", await client.Http.GetStringAsync("/who"));

        var logout = await client.Http.PostAsync("/logout", null);
        var deleted = logout.Headers.GetValues("Set-Cookie").Where(c => c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)).Select(c => c.Split('=')[0]).ToList();
        Assert.Contains("session", deleted);
        Assert.Contains(".AspNetCore.Cookies", deleted);
        Assert.Equal("\"cache\"", Assert.Single(logout.Headers.GetValues("Clear-Site-Data")));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/who")).StatusCode); // the challenge: to the login page
    }
}
