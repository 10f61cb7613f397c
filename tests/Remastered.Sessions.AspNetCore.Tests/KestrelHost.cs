using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 (a free port) and clients with their own cookie jars.</summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    private KestrelHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public static async Task<KestrelHost> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new KestrelHost(app, new Uri(address));
    }

    /// <summary>Builds an app listening on 127.0.0.1 with a free port, logging quietly.</summary>
    public static WebApplicationBuilder CreateBuilder(string? environment = null)
    {
        var builder = environment is null ? WebApplication.CreateBuilder() : WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    public Browserish Client(bool followRedirects = true) => new(Address, followRedirects);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>An HttpClient with a cookie container, as a browser keeps cookies.</summary>
internal sealed class Browserish : IDisposable
{
    public Browserish(Uri address, bool followRedirects)
    {
        Cookies = new CookieContainer();
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = address };
        Address = address;
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http { get; }

    public Uri Address { get; }

    public string? Cookie(string name) => Cookies.GetCookies(Address)[name]?.Value;

    public void Dispose() => Http.Dispose();
}
