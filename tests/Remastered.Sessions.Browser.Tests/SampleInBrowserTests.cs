using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Remastered.Sessions.Sample;

namespace Remastered.Sessions.Browser.Tests;

/// <summary>The sample app in a real Chromium: what a person sees, and what the browser keeps.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SampleInBrowserTests(BrowserFixture browser)
{
    private static async Task<(WebApplication App, string Address)> StartSample(X509Certificate2? certificate = null)
    {
        var app = SampleApp.Create(certificate is null ? ["--urls", "http://127.0.0.1:0"] : [], builder =>
        {
            builder.Logging.ClearProviders();
            if (certificate is not null)
            {
                builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Runs a browser scenario; on failure, saves a screenshot under TestResults/screenshots.</summary>
    private async Task InBrowser(Func<IPage, IBrowserContext, Task> scenario, bool ignoreHttpsErrors = false, [CallerMemberName] string name = "")
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = ignoreHttpsErrors });
        var page = await context.NewPageAsync();
        try
        {
            await scenario(page, context);
        }
        catch
        {
            var directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name + ".png"), FullPage = true });
            throw;
        }
    }

    /// <summary>
    /// Clicks a form button and waits until the browser has followed the 303 and shows the page the submission leads to,
    /// recognised by its flash message (every form of the sample flashes one).
    /// </summary>
    private static async Task Submit(IPage page, string button, string expectedFlash)
    {
        await page.ClickAsync(button);
        await Assertions.Expect(page.Locator("#flash")).ToHaveTextAsync(expectedFlash);
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private static async Task<string?> FlashText(IPage page)
        => await page.Locator("#flash").CountAsync() == 0 ? null : await page.Locator("#flash").InnerTextAsync();

    [Fact]
    public async Task Login_flash_once_cart_across_reloads_and_logout()
    {
        var (app, address) = await StartSample();
        await using var _ = app;
        await InBrowser(async (page, context) =>
        {
            await page.GotoAsync(address);
            Assert.Equal("anonymous", await page.Locator("#user").InnerTextAsync());
            Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "session");

            await page.FillAsync("input[name=name]", "Ada");
            await Submit(page, "#login", "Welcome, Ada!");
            Assert.Equal("Welcome, Ada!", await FlashText(page));
            Assert.Equal("Ada", await page.Locator("#user").InnerTextAsync());

            await page.ReloadAsync();
            Assert.Null(await FlashText(page));
            Assert.Equal("Ada", await page.Locator("#user").InnerTextAsync());

            await page.FillAsync("input[name=sku]", "SKU-1");
            await Submit(page, "#add", "Added SKU-1");
            Assert.Equal("Added SKU-1", await FlashText(page));
            await page.FillAsync("input[name=sku]", "SKU-2");
            await Submit(page, "#add", "Added SKU-2");
            await page.ReloadAsync();
            await page.ReloadAsync();
            Assert.Equal("2", await page.Locator("#cart-count").InnerTextAsync());

            await Submit(page, "#logout", "Signed out");
            Assert.Equal("Signed out", await FlashText(page));
            Assert.Equal("anonymous", await page.Locator("#user").InnerTextAsync());
            Assert.Equal("0", await page.Locator("#cart-count").InnerTextAsync());
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_signing_out_the_Back_button_shows_no_page_of_the_signed_in_session(bool backForwardCache)
    {
        // /api/session reads the session and sends no Cache-Control (the application's choice): without the sign-out's
        // Clear-Site-Data the browser shows it again from its HTTP cache or back/forward cache, signed in.
        var (app, address) = await StartSample();
        await using var _ = app;
        await using var context = await (backForwardCache ? await browser.WithBackForwardCacheAsync() : browser.Browser).NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(address);
        await page.FillAsync("input[name=name]", "Ada");
        await Submit(page, "#login", "Welcome, Ada!");
        await page.GotoAsync(address.TrimEnd('/') + "/api/session");
        Assert.Contains("\"Ada\"", await page.InnerTextAsync("body"), StringComparison.Ordinal);
        await page.GotoAsync(address);
        await Submit(page, "#logout", "Signed out");

        // Back to the JSON page (through the home page before the sign-out).
        for (var step = 0; step < 4 && !page.Url.EndsWith("/api/session", StringComparison.Ordinal); step++)
        {
            await page.GoBackAsync(new PageGoBackOptions { WaitUntil = WaitUntilState.Commit });
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }

        Assert.EndsWith("/api/session", page.Url, StringComparison.Ordinal);
        var shown = await page.InnerTextAsync("body");
        Assert.DoesNotContain("Ada", shown, StringComparison.Ordinal);
        Assert.Contains("\"name\":null", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_plain_http_the_cookie_is_HttpOnly_SameSite_Lax_and_not_Secure()
    {
        var (app, address) = await StartSample();
        await using var _ = app;
        await InBrowser(async (page, context) =>
        {
            await page.GotoAsync(address);
            await page.FillAsync("input[name=name]", "Ada");
            await Submit(page, "#login", "Welcome, Ada!");
            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "session");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
            Assert.False(cookie.Secure);
            Assert.Equal("/", cookie.Path);
            Assert.Equal("", await page.EvaluateAsync<string>("document.cookie.split('; ').filter(c => c.startsWith('session=')).join('')"));
        });
    }

    [Fact]
    public async Task Over_https_the_cookie_is_Secure_HttpOnly_and_SameSite_Lax()
    {
        using var certificate = CreateLocalhostCertificate();
        var (app, address) = await StartSample(certificate);
        await using var _ = app;
        Assert.StartsWith("https://", address);
        await InBrowser(async (page, context) =>
        {
            await page.GotoAsync(address);
            await page.FillAsync("input[name=name]", "Ada");
            await Submit(page, "#login", "Welcome, Ada!");
            Assert.Equal("Welcome, Ada!", await FlashText(page));
            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "session");
            Assert.True(cookie.Secure);
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        }, ignoreHttpsErrors: true);
    }

    [Fact]
    public async Task A_tampered_cookie_in_the_browser_shows_an_anonymous_page()
    {
        var (app, address) = await StartSample();
        await using var _ = app;
        await InBrowser(async (page, context) =>
        {
            await page.GotoAsync(address);
            await page.FillAsync("input[name=name]", "Ada");
            await Submit(page, "#login", "Welcome, Ada!");
            var real = Assert.Single(await context.CookiesAsync(), c => c.Name == "session");
            await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = "session", Value = "X" + real.Value[1..], Url = address }]);
            var response = await page.ReloadAsync();
            Assert.Equal(200, response!.Status);
            Assert.Equal("anonymous", await page.Locator("#user").InnerTextAsync());
        });
    }

    private static X509Certificate2 CreateLocalhostCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
