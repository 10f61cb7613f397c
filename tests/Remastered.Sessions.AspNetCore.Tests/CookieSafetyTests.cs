using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>Cookie prefixes, the missing-Secure warning, and options that cannot change behind the storage's back.</summary>
public sealed class CookieSafetyTests
{
    private const string Secret = "cookie-safety-secret-0123456789abcdefghijk";

    [Theory]
    [InlineData("__Host-s", "/", null, true, true)]
    [InlineData("__Host-s", "/app", null, true, false)]
    [InlineData("__Host-s", "/", "example.test", true, false)]
    [InlineData("__Host-s", "/", null, false, false)]
    [InlineData("__Secure-s", "/app", "example.test", true, true)]
    [InlineData("__Secure-s", "/", null, false, false)]
    public void Cookie_prefixes_are_validated_at_construction(string name, string path, string? domain, bool secure, bool valid)
    {
        var options = new CookieSessionOptions { Name = name, Path = path, Domain = domain, Secure = secure, Secrets = [Secret] };
        if (valid)
        {
            Assert.Equal(name, new CookieSessionStorage(options).CookieName);
        }
        else
        {
            Assert.Contains("prefix", Assert.Throws<ArgumentException>(() => new CookieSessionStorage(options)).Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cookie_Persistent_false_from_configuration_sends_a_browser_session_cookie(bool memory)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Cookie:Secrets:0"] = Secret,
            ["Sessions:Cookie:Persistent"] = "false",
        });
        if (memory)
        {
            builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(builder.Configuration.GetSection("Sessions"));
        }
        else
        {
            builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        }

        var app = builder.Build();
        app.MapPost("/name", (IServiceProvider services) =>
        {
            if (memory)
            {
                services.GetRequiredService<MemoryTestSession>().Name = "ada";
            }
            else
            {
                services.GetRequiredService<TestSession>().Name = "ada";
            }

            return "ok";
        });
        app.MapGet("/name", (IServiceProvider services) => memory ? services.GetRequiredService<MemoryTestSession>().Name : services.GetRequiredService<TestSession>().Name);
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        using var response = await client.Http.PostAsync("/name", null);
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("session=", setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain("max-age", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ada", await client.Http.GetStringAsync("/name"));
    }

    [Fact]
    public async Task A_SameSite_number_from_configuration_that_names_no_mode_stops_the_app_at_start_up()
    {
        // The binder accepts "99" for the enum; the cookie would then go out with no SameSite attribute at all.
        var builder = KestrelHost.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Cookie:Secrets:0"] = Secret,
            ["Sessions:Cookie:SameSite"] = "99",
        });
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(builder.Configuration.GetSection("Sessions"));
        var app = builder.Build();
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options: Cookie:SameSite: SameSite must be Lax, Strict or None; it was 99.", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("/shop", null, true)]
    [InlineData("/", ".example.test", true)]
    [InlineData("/", "example.test", true)]
    [InlineData("shop", null, false)] // browsers ignore a Path without '/' and use a default one
    [InlineData("/", "https://example.test/", false)] // a URL: browsers drop the cookie
    [InlineData("/", "example.test:8443", false)]
    [InlineData("/", "example.test/app", false)]
    public void A_Path_or_Domain_browsers_would_not_honour_is_refused_at_construction(string path, string? domain, bool valid)
    {
        var options = new CookieSessionOptions { Path = path, Domain = domain, Secrets = [Secret] };
        if (valid)
        {
            Assert.Equal(path, new CookieSessionStorage(options).Options.Path);
        }
        else
        {
            var error = Assert.Throws<ArgumentException>(() => new CookieSessionStorage(options));
            Assert.Contains("'" + (domain ?? path) + "'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_HTTPS_only_app_gets_the_Host_prefix_on_the_default_cookie_name()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => { o.Cookie.Secrets = [Secret]; o.SecurePolicy = CookieSecurePolicy.Always; });
        var app = builder.Build();
        app.MapGet("/", (TestSession s) => { s.Name = "ada"; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.GetAsync("/");
        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var cookie = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(setCookie);
        Assert.Equal("__Host-session", cookie.Name.Value);
        Assert.True(cookie.Secure);
        Assert.Equal("/", cookie.Path.Value);
        Assert.Null(cookie.Domain.Value);
    }

    [Theory]
    [InlineData("__Host-s", CookieSameSite.Lax)]
    [InlineData("__Secure-s", CookieSameSite.Lax)]
    [InlineData("__Secure-s", CookieSameSite.None)]
    [InlineData("session", CookieSameSite.None)]
    public async Task A_cookie_browsers_refuse_without_Secure_gets_Secure_even_over_plain_HTTP(string name, CookieSameSite sameSite)
    {
        // SameAsRequest would leave Secure out over HTTP, and every browser would drop a prefixed cookie; with it,
        // localhost keeps it. A deletion (sign-out) carries it too, or the browser would not delete the cookie.
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => { o.Cookie.Secrets = [Secret]; o.Cookie.Name = name; o.Cookie.SameSite = sameSite; });
        var app = builder.Build();
        app.MapGet("/", (TestSession s) => { s.Name = "ada"; return "ok"; });
        app.MapGet("/out", (TestSession s) => { s.Destroy(); return "bye"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var cookie = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(Assert.Single((await client.Http.GetAsync("/")).Headers.GetValues("Set-Cookie")));
        Assert.Equal(name, cookie.Name.Value);
        Assert.True(cookie.Secure);
        var deletion = Microsoft.Net.Http.Headers.SetCookieHeaderValue.Parse(Assert.Single((await client.Http.GetAsync("/out")).Headers.GetValues("Set-Cookie")));
        Assert.Equal(name, deletion.Name.Value);
        Assert.True(deletion.Expires < DateTimeOffset.UtcNow);
        Assert.True(deletion.Secure);
    }

    [Theory]
    [InlineData("__Host-s", CookieSameSite.Lax, "a cookie named '__Host-s'")]
    [InlineData("__Secure-s", CookieSameSite.Strict, "a cookie named '__Secure-s'")]
    [InlineData("session", CookieSameSite.None, "a SameSite=None cookie")]
    public async Task SecurePolicy_None_with_a_cookie_that_needs_Secure_stops_the_app_at_start_up(string name, CookieSameSite sameSite, string refused)
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Cookie.Name = name;
            o.Cookie.SameSite = sameSite;
            o.SecurePolicy = CookieSecurePolicy.None;
        });
        var app = builder.Build();
        app.MapGet("/", () => "never");
        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
        Assert.Contains("TestSession session options: SecurePolicy is None, but browsers refuse " + refused + " without Secure", error.Message, StringComparison.Ordinal);
        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Development", false)]
    public async Task A_cookie_sent_without_Secure_outside_Development_is_warned_about_once(string environment, bool warned)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/", (TestSession s) => { s.Counter = (s.Counter ?? 0) + 1; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.Http.GetAsync("/");
            Assert.DoesNotContain("Secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        }

        var warnings = logs.Entries.Where(e => e.Id.Id == 2003).ToList();
        Assert.Equal(warned ? 1 : 0, warnings.Count);
        if (warned)
        {
            Assert.Contains("UseForwardedHeaders", warnings[0].Message, StringComparison.Ordinal);
            Assert.Contains("XForwardedProto", warnings[0].Message, StringComparison.Ordinal);
            Assert.Contains("KnownProxies", warnings[0].Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("SecurePolicy = None")]
    [InlineData("Cookie:Secure = false")]
    public async Task A_cookie_sent_without_Secure_over_HTTPS_because_a_setting_turns_it_off_is_warned_about_with_that_setting(string setting)
    {
        // The request is HTTPS as the app sees it (a proxy's X-Forwarded-Proto, trusted from loopback): the cause is the
        // setting, not a proxy, and 2003's forwarded-headers advice would send the developer the wrong way.
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o => o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            if (setting == "SecurePolicy = None")
            {
                o.SecurePolicy = CookieSecurePolicy.None;
            }
            else
            {
                o.Cookie.Secure = false;
            }
        });
        var app = builder.Build();
        app.UseForwardedHeaders();
        app.MapGet("/", (TestSession s) => { s.Counter = (s.Counter ?? 0) + 1; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("X-Forwarded-Proto", "https");
            var response = await client.Http.SendAsync(request);
            Assert.DoesNotContain("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 2003);
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 2011).Message;
        Assert.StartsWith("Session cookie 'session' was sent without Secure over HTTPS because " + setting + " turns it off", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_insecure_cookie_warning_names_the_cookie_the_storage_writes()
    {
        // A storage from a factory (or dependency injection, as Redis is) names its own cookie; the integration's
        // options keep the default name, which is not what the response sets.
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<MemoryTestSession, MemorySessionStorage>(
            configuration: null,
            configure: null,
            storageFactory: (_, _) => new MemorySessionStorage(new MemorySessionOptions { Cookie = new CookieSessionOptions { Name = "rsid", Secrets = [Secret] } }));
        var app = builder.Build();
        app.MapGet("/", (MemoryTestSession s) => { s.Name = "ada"; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        var response = await client.Http.GetAsync("/");
        Assert.StartsWith("rsid=", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 2003);
        Assert.StartsWith("Session cookie 'rsid' was sent without Secure", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("/shop", false)]
    [InlineData("/shop/", false)]
    public async Task An_app_under_a_path_base_whose_cookie_covers_the_whole_host_is_warned_about_once(string? cookiePath, bool warned)
    {
        // Two apps on one host (/a, /b) each naming its cookie "session" with Path=/ overwrite each other's cookie.
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.Cookie.Path = cookiePath ?? "/";
        });
        var app = builder.Build();
        app.UsePathBase("/shop");
        app.MapGet("/", (TestSession s) => { s.Counter = (s.Counter ?? 0) + 1; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await client.Http.GetStringAsync("/shop/"));
        }

        var warnings = logs.Entries.Where(e => e.Id.Id == 2010).Select(e => e.Message).ToList();
        Assert.Equal(warned ? 1 : 0, warnings.Count);
        if (warned)
        {
            Assert.StartsWith("Session cookie 'session' has Path=/ while the app runs under the path base /shop", warnings[0], StringComparison.Ordinal);
            Assert.Contains("set Cookie:Path to /shop", warnings[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Under_a_path_base_a_Host_cookie_is_told_to_take_a_name_of_its_own_not_a_path()
    {
        // __Host- requires Path=/, so the path cannot be the remedy.
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o =>
        {
            o.Cookie.Secrets = [Secret];
            o.SecurePolicy = CookieSecurePolicy.Always;
        });
        var app = builder.Build();
        app.UsePathBase("/shop");
        app.MapGet("/", (TestSession s) => { s.Counter = 1; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        Assert.Equal("ok", await client.Http.GetStringAsync("/shop/"));
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 2010).Message;
        Assert.StartsWith("Session cookie '__Host-session' has Path=/", warning, StringComparison.Ordinal);
        Assert.Contains("Give the cookie a name of its own (a __Host- cookie must keep Path=/).", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("set Cookie:Path", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_at_the_root_of_its_host_is_not_warned_about_its_cookie_path()
    {
        var builder = KestrelHost.CreateBuilder("Production");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [Secret]);
        var app = builder.Build();
        app.MapGet("/", (TestSession s) => { s.Counter = 1; return "ok"; });
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        Assert.Equal("ok", await client.Http.GetStringAsync("/"));
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 2010);
    }

    [Fact]
    public async Task The_options_a_storage_exposes_are_a_copy_without_secrets_that_changes_nothing()
    {
        var given = new CookieSessionOptions { Name = "session", Secrets = [Secret], MaxAge = TimeSpan.FromHours(1) };
        var storage = new CookieSessionStorage(given);
        Assert.Empty(storage.Options.Secrets);
        storage.Options.Name = "changed";
        given.Name = "changed-too";
        given.Secrets.Clear();
        Assert.Equal("session", storage.CookieName);
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        Assert.StartsWith("session=", await store.CommitAsync(), StringComparison.Ordinal);
    }
}
