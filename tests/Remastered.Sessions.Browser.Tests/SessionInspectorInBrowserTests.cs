using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Remastered.Sessions.Sample;

namespace Remastered.Sessions.Browser.Tests;

/// <summary>
/// The sample's session inspector (<c>/_session</c>) in Chromium. The screenshot of every run is kept as a test
/// artifact (TestResults/screenshots/session-inspector.png next to the test binaries); docs/images holds a copy.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SessionInspectorInBrowserTests(BrowserFixture browser)
{
    private static async Task<(WebApplication App, string Address)> StartSample(string environment)
    {
        var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--environment", environment], builder => builder.Logging.ClearProviders());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, address);
    }

    private static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name + ".png");
    }

    [Fact]
    public async Task In_development_the_inspector_shows_the_session_a_pending_flash_and_the_cookie_budget()
    {
        var (app, address) = await StartSample("Development");
        await using var _ = app;
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 560 } });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(address);
            await page.FillAsync("input[name=name]", "Ada");
            await page.ClickAsync("#login");
            await Assertions.Expect(page.Locator("#flash")).ToHaveTextAsync("Welcome, Ada!");
            await page.FillAsync("input[name=sku]", "SKU-1");
            await page.ClickAsync("#add");
            await Assertions.Expect(page.Locator("#flash")).ToHaveTextAsync("Added SKU-1");

            // Post the next form without following its redirect, so that its flash is still waiting for a page.
            var tokenName = await page.Locator("form[action='/cart'] input[type=hidden]").GetAttributeAsync("name");
            var tokenValue = await page.Locator("form[action='/cart'] input[type=hidden]").GetAttributeAsync("value");
            var posted = await context.APIRequest.PostAsync(address + "/cart", new APIRequestContextOptions
            {
                Form = context.APIRequest.CreateFormData().Set("sku", "SKU-2").Set(tokenName!, tokenValue!),
                MaxRedirects = 0,
            });
            Assert.Equal(303, posted.Status);

            await page.GotoAsync(address + "/_session");
            var schema = page.Locator("section.schema");
            await Assertions.Expect(schema.Locator("h2")).ToHaveTextAsync(typeof(AppSession).FullName!);
            await Assertions.Expect(schema.Locator("tr[data-key=name] td.json")).ToHaveTextAsync("\"Ada\"");
            await Assertions.Expect(schema.Locator("tr[data-key=name] td.size")).ToHaveTextAsync("5 B");
            await Assertions.Expect(schema.Locator("tr[data-key=cart] td.json")).ToHaveTextAsync("[\"SKU-1\",\"SKU-2\"]");
            await Assertions.Expect(schema.Locator("tr[data-key=flash] td.json")).ToHaveTextAsync("\"Added SKU-2\"");
            await Assertions.Expect(schema.Locator("tr[data-key=flash] td.flash")).ToContainTextAsync("the next app request that loads the session removes it");
            await Assertions.Expect(schema.Locator(".storage")).ToHaveTextAsync("JsonSessionStorage over CookieSessionStorage");

            // The bar: the cookie the browser holds, against 4096 bytes.
            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == "session");
            var sent = ("session=" + cookie.Value).Length;
            await Assertions.Expect(schema.Locator(".cookie-size")).ToHaveTextAsync(sent.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(sent.ToString(System.Globalization.CultureInfo.InvariantCulture), await schema.Locator("[role=meter]").GetAttributeAsync("aria-valuenow"));
            var barWidth = await schema.Locator(".bar").BoundingBoxAsync();
            var fillWidth = await schema.Locator(".bar .fill").BoundingBoxAsync();
            Assert.InRange(fillWidth!.Width / barWidth!.Width, (sent / 4096.0) - 0.02, (sent / 4096.0) + 0.02);
            await Assertions.Expect(schema.Locator(".created")).ToContainTextAsync("UTC");
            await Assertions.Expect(schema.Locator(".absolute-expiry")).ToContainTextAsync("in 29 d");

            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("session-inspector"), FullPage = true });

            // Looking consumed nothing: the app's next page still shows the flash, and then it is gone.
            await page.GotoAsync(address);
            await Assertions.Expect(page.Locator("#flash")).ToHaveTextAsync("Added SKU-2");
            await page.GotoAsync(address + "/_session");
            await Assertions.Expect(page.Locator("tr[data-key=flash]")).ToHaveCountAsync(0);
        }
        catch
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath("session-inspector-failure"), FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task Outside_development_the_browser_gets_404()
    {
        var (app, address) = await StartSample("Production");
        await using var _ = app;
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(address);
        await page.FillAsync("input[name=name]", "Ada");
        await page.ClickAsync("#login");
        await Assertions.Expect(page.Locator("#flash")).ToHaveTextAsync("Welcome, Ada!");
        // With the signed-in browser's cookies: nothing is mapped (Chromium shows its own error page for an empty 404).
        var response = await context.APIRequest.GetAsync(address + "/_session");
        Assert.Equal(404, response.Status);
        Assert.DoesNotContain("Ada", await response.TextAsync());
    }
}
