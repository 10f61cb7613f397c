using Microsoft.Playwright;

namespace Remastered.Sessions.Browser.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's own browser download cannot work here, so the system browser
/// is launched by path; scripts/test.sh installs it (apt-get install chromium) when missing.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] Arguments = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private IPlaywright? _playwright;
    private IBrowser? _withBackForwardCache;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>
    /// Chromium as a user runs it: with the back/forward cache, which Playwright turns off by default
    /// (<c>--disable-back-forward-cache</c>). Started on first use.
    /// </summary>
    public async Task<IBrowser> WithBackForwardCacheAsync()
        => _withBackForwardCache ??= await _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
            IgnoreDefaultArgs = ["--disable-back-forward-cache"],
        });

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (scripts/test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // No sandbox as root; no background traffic, since this machine reaches no network but loopback.
            Args = Arguments,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        if (_withBackForwardCache is not null)
        {
            await _withBackForwardCache.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Chromium";
}
