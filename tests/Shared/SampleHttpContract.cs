using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Remastered.Sessions.Tests.Shared;

/// <summary>
/// The sample's HTTP contract, checked over real HTTP against any running instance: the JIT sample on Kestrel in
/// process, or the Native AOT binary in a process of its own, on any storage. Forms are submitted as a browser does,
/// with the antiforgery field of the page.
/// </summary>
public static partial class SampleHttpContract
{
    /// <summary>A client with its own cookie jar that does not follow redirects (so 303s can be checked).</summary>
    public static (HttpClient Client, CookieContainer Cookies) Client(Uri address)
    {
        var cookies = new CookieContainer();
        return (new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address }, cookies);
    }

    /// <summary>Posts a form of the home page with its hidden antiforgery field.</summary>
    public static async Task<HttpResponseMessage> Submit(HttpClient client, string action, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync("/");
        var token = TokenField().Match(page);
        Assert.True(token.Success, "the home page has no antiforgery field");
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        form.Add(new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value)));
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    /// <summary>The text of the page's <c>id="flash"</c> element, or an empty string.</summary>
    public static string Flash(string page) => FlashElement().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    /// <summary>
    /// <c>GET /</c> (anonymous, no session cookie), <c>POST /login</c> (303, "Welcome, {name}!" once), <c>POST /cart</c>,
    /// <c>GET /api/session</c> (<c>{name, cart}</c>), <c>POST /logout</c> ("Signed out", anonymous, empty cart).
    /// </summary>
    public static async Task LoginCartAndLogoutAsync(Uri address, string cookieName = "session")
    {
        var (client, cookies) = Client(address);
        using var _ = client;
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("anonymous", await home.Content.ReadAsStringAsync());
        Assert.DoesNotContain(home.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith(cookieName + "=", StringComparison.Ordinal));

        var login = await Submit(client, "/login", ("name", "Ada"));
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.ToString());
        Assert.NotNull(cookies.GetCookies(address)[cookieName]);

        var afterLogin = await client.GetStringAsync("/");
        Assert.Contains("Ada", afterLogin);
        Assert.Equal("Welcome, Ada!", Flash(afterLogin));
        Assert.Equal("", Flash(await client.GetStringAsync("/")));

        Assert.Equal(HttpStatusCode.SeeOther, (await Submit(client, "/cart", ("sku", "SKU-1"))).StatusCode);
        Assert.Equal("Added SKU-1", Flash(await client.GetStringAsync("/")));
        await Submit(client, "/cart", ("sku", "SKU-2"));
        var api = JsonDocument.Parse(await client.GetStringAsync("/api/session")).RootElement;
        Assert.Equal("Ada", api.GetProperty("name").GetString());
        Assert.Equal(["SKU-1", "SKU-2"], api.GetProperty("cart").EnumerateArray().Select(e => e.GetString()));

        Assert.Equal(HttpStatusCode.SeeOther, (await Submit(client, "/logout")).StatusCode);
        var afterLogout = await client.GetStringAsync("/");
        Assert.Equal("Signed out", Flash(afterLogout));
        Assert.Contains("anonymous", afterLogout);
        var empty = JsonDocument.Parse(await client.GetStringAsync("/api/session")).RootElement;
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("name").ValueKind);
        Assert.Equal(0, empty.GetProperty("cart").GetArrayLength());
    }

    /// <summary>Garbage and a tampered copy of a real session cookie are an anonymous visitor, never a 5xx.</summary>
    public static async Task TamperedCookiesAreAnonymousAsync(Uri address, string cookieName = "session")
    {
        var (client, cookies) = Client(address);
        using var _ = client;
        await Submit(client, "/login", ("name", "Ada"));
        var real = cookies.GetCookies(address)[cookieName]!.Value;
        foreach (var value in new[] { "garbage", real[..10] + (real[10] == 'A' ? 'B' : 'A') + real[11..], real[..^4], new string('A', 3000) })
        {
            var (attacker, jar) = Client(address);
            using var __ = attacker;
            jar.Add(address, new Cookie(cookieName, value));
            var page = await attacker.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("anonymous", await page.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync("/api/session")).StatusCode);
        }
    }

    /// <summary>On a server-side storage, signing in issues a new session id and keeps the cart.</summary>
    public static async Task LoginIssuesANewIdAsync(Uri address, string cookieName = "session")
    {
        var (client, cookies) = Client(address);
        using var _ = client;
        await Submit(client, "/cart", ("sku", "before-login"));
        var before = cookies.GetCookies(address)[cookieName]!.Value;
        await Submit(client, "/login", ("name", "Ada"));
        Assert.NotEqual(before, cookies.GetCookies(address)[cookieName]!.Value);
        var api = JsonDocument.Parse(await client.GetStringAsync("/api/session")).RootElement;
        Assert.Equal(["before-login"], api.GetProperty("cart").EnumerateArray().Select(e => e.GetString()));
    }

    /// <summary>
    /// The store going away and coming back: a signed-in client gets 503 with <c>Retry-After</c> (never a 500) while it
    /// is down, and 200 again, by itself, within 30 seconds of its return.
    /// </summary>
    public static async Task StoreOutageIs503ThenRecoversAsync(Uri address, Func<Task> stopStore, Func<Task> startStore)
    {
        var (client, _) = Client(address);
        using var _ = client;
        await Submit(client, "/login", ("name", "Ada"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/session")).StatusCode);

        await stopStore();
        var down = await client.GetAsync("/api/session");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.NotNull(down.Headers.RetryAfter);

        await startStore();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await client.GetAsync("/api/session")).StatusCode;
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"unexpected {(int)status} while the store came back");
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\">")]
    private static partial Regex TokenField();

    [GeneratedRegex("<p id=\"flash\"[^>]*>([^<]*)</p>")]
    private static partial Regex FlashElement();
}
