using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Remastered.Sessions.Sample;
using Remastered.Sessions.Tests.Shared;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>The sample app's HTTP contract, on Kestrel, with a client that submits forms as a browser does.</summary>
public sealed partial class SampleAppTests
{
    private static async Task<KestrelHost> StartSample(string storage)
    {
        var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--storage", storage], b => b.Logging.ClearProviders());
        return await KestrelHost.StartAsync(app);
    }

    [Theory]
    [InlineData("cookie")]
    [InlineData("memory")]
    public async Task Login_cart_and_logout_follow_the_contract(string storage)
    {
        await using var host = await StartSample(storage);
        await SampleHttpContract.LoginCartAndLogoutAsync(host.Address);
    }

    [Fact]
    public async Task A_login_issues_a_new_session_id_on_the_memory_storage()
    {
        await using var host = await StartSample("memory");
        using var client = host.Client(followRedirects: false);
        await SampleHttpContract.Submit(client.Http, "/cart", ("sku", "before-login"));
        var before = client.Cookie("session");
        await SampleHttpContract.Submit(client.Http, "/login", ("name", "Ada"));
        Assert.NotEqual(before, client.Cookie("session"));
        var api = JsonDocument.Parse(await client.Http.GetStringAsync("/api/session")).RootElement;
        Assert.Equal(["before-login"], api.GetProperty("cart").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("\"quoted\"")]
    public async Task A_tampered_or_garbage_cookie_is_an_anonymous_visitor_never_a_5xx(string value)
    {
        await using var host = await StartSample("cookie");
        using var client = host.Client();
        client.Cookies.Add(host.Address, new Cookie("session", value));
        var page = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("anonymous", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/api/session")).StatusCode);
    }

    [Fact]
    public async Task A_tampered_copy_of_a_real_cookie_is_anonymous()
    {
        await using var host = await StartSample("cookie");
        using var client = host.Client(followRedirects: false);
        await SampleHttpContract.Submit(client.Http, "/login", ("name", "Ada"));
        var real = client.Cookie("session")!;
        using var attacker = host.Client();
        var flipped = real[..10] + (real[10] == 'A' ? 'B' : 'A') + real[11..];
        attacker.Cookies.Add(host.Address, new Cookie("session", flipped));
        Assert.Contains("anonymous", await attacker.Http.GetStringAsync("/"));
    }

    [Fact]
    public async Task Mvc_controllers_razor_pages_and_HttpContext_see_the_same_session()
    {
        await using var host = await StartSample("cookie");
        using var client = host.Client();
        await SampleHttpContract.Submit(client.Http, "/login", ("name", "Grace"));
        await SampleHttpContract.Submit(client.Http, "/cart", ("sku", "S1"));

        Assert.Equal("[\"S1\"]", await client.Http.GetStringAsync("/mvc/cart"));
        Assert.Equal("true", await client.Http.GetStringAsync("/mvc/cart/same-instance"));
        var summary = await client.Http.GetStringAsync("/summary");
        Assert.Contains("<strong id=\"user\">Grace</strong>", summary);
        Assert.Contains("<span id=\"cart-count\">1</span>", summary);
        Assert.Equal("Grace", await client.Http.GetStringAsync("/api/session-from-context"));
    }

    [Fact]
    public async Task Asked_for_telemetry_the_sample_exports_the_session_meter_and_traces()
    {
        var app = SampleApp.Create(["--urls", "http://127.0.0.1:0", "--telemetry", "console"], b => b.Logging.ClearProviders());
        await using var host = await KestrelHost.StartAsync(app);
        Assert.NotNull(host.App.Services.GetService(typeof(OpenTelemetry.Metrics.MeterProvider)));
        Assert.NotNull(host.App.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
        using var client = host.Client();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.Http.GetAsync("/")).StatusCode);
    }
}
