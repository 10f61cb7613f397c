namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>
/// The recipes of aspnetcore.md's "Testing an app that uses sessions", as a test project would use them: the app's own
/// registration first, the test's replacement after it (what ConfigureTestServices does), then requests on Kestrel.
/// </summary>
public sealed class TestingRecipeTests
{
    private const string AppSecret = "the-apps-own-secret-0123456789abcdefghijklm";

    private static WebApplicationBuilder AppBuilder()
    {
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [AppSecret]);
        return builder;
    }

    private static async Task<KestrelHost> Start(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapPost("/name/{name}", (string name, TestSession session) => session.Name = name);
        app.MapGet("/name", (TestSession session) => session.Name ?? "none");
        return await KestrelHost.StartAsync(app);
    }

    [Fact]
    public async Task A_storage_registered_under_the_schemas_key_after_the_app_replaces_the_apps_storage()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [CookieSessionOptions.GenerateSecret()] });
        var builder = AppBuilder();
        builder.Services.AddKeyedSingleton<CookieSessionStorage>(typeof(TestSession), storage);
        await using var host = await Start(builder);
        using var client = host.Client();

        await client.Http.PostAsync("/name/Ada", null);
        Assert.Equal("Ada", await client.Http.GetStringAsync("/name"));

        // The test's storage reads what the app stored; the app's own secret does not.
        var stored = await TestSession.LoadAsync(storage, "session=" + client.Cookie("session"));
        Assert.Equal("Ada", stored.Name);
        var appStorage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [AppSecret] });
        Assert.Null((await TestSession.LoadAsync(appStorage, "session=" + client.Cookie("session"))).Name);
    }

    [Fact]
    public async Task Post_configuring_the_schemas_options_changes_the_secret_the_app_uses()
    {
        var secret = CookieSessionOptions.GenerateSecret();
        var builder = AppBuilder();
        builder.Services.PostConfigure<RemasteredSessionOptions>(typeof(TestSession).FullName, o => o.Cookie.Secrets = [secret]);
        await using var host = await Start(builder);
        using var client = host.Client();

        await client.Http.PostAsync("/name/Grace", null);
        var mine = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [secret] });
        Assert.Equal("Grace", (await TestSession.LoadAsync(mine, "session=" + client.Cookie("session"))).Name);
    }

    [Fact]
    public async Task Without_http_a_session_from_a_storage_with_no_header_is_new_and_its_commit_reloads()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [CookieSessionOptions.GenerateSecret()] });
        var session = await TestSession.LoadAsync(storage, header: null);
        Assert.Null(session.Name);
        session.SignIn(s => s.Name = "Ada");
        session.Message = "Welcome";

        var setCookie = await session.CommitAsync();
        var next = await TestSession.LoadAsync(storage, setCookie!.Split(';')[0]);
        Assert.Equal("Ada", next.Name);
        Assert.Equal("Welcome", next.Message);
    }
}
