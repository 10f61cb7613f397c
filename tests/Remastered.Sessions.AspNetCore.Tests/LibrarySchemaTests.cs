using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Remastered.Sessions.TestSchemas;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>An MVC controller that takes a library schema in its constructor, and one action that takes it again.</summary>
[ApiController]
[Route("library-mvc")]
public sealed class LibrarySessionController(LibrarySession session) : ControllerBase
{
    [HttpPost("visit")]
    public string Visit()
    {
        session.Visits++;
        (session.Items ??= []).Add("m" + session.Visits);
        return session.Visits.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [HttpGet("items")]
    public string Items([FromServices] LibrarySession fromAction) => string.Join(",", fromAction.Items ?? []) + (ReferenceEquals(fromAction, session) ? "" : " (two instances)");
}

/// <summary>A controller whose only use of the schema is an action parameter.</summary>
[ApiController]
[Route("library-action")]
public sealed class LibraryActionController : ControllerBase
{
    [HttpPost("visit")]
    public string Visit([FromServices] LibrarySession session)
    {
        session.Visits++;
        return session.Visits.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A controller with two constructors, MVC told to use the one without the session: nothing to load for it.
/// </summary>
[ApiController]
[Route("library-chosen")]
public sealed class LibraryChosenConstructorController : ControllerBase
{
    private readonly LibrarySession? _session;

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public LibraryChosenConstructorController()
    {
    }

    public LibraryChosenConstructorController(LibrarySession session) => _session = session;

    [HttpGet]
    public string Get() => _session is null ? "no session" : "session";
}

/// <summary>
/// Schemas declared in a class library that does not reference the ASP.NET Core integration get no generated
/// <c>BindAsync</c>, so a minimal-API handler taking one receives it from dependency injection, whose factory is
/// synchronous. On a network storage that blocked a thread per request (a new user's Redis app answered 503 under 200
/// parallel requests with Redis healthy). The endpoint wrapper now loads such schemas asynchronously first.
/// </summary>
public sealed class LibrarySchemaTests
{
    private const string Secret = "library-schema-tests-secret-0123456789abc";

    [Fact]
    public async Task A_handler_taking_a_library_schema_on_an_asynchronous_storage_never_loads_it_by_blocking()
    {
        var (builder, storage) = CreateBuilder();
        var app = builder.Build();
        app.MapPost("/visit", (LibrarySession session) =>
        {
            session.Visits++;
            (session.Items ??= []).Add("v" + session.Visits);
            return session.Visits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        app.MapGet("/items", (HttpContext context, LibrarySession session) => string.Join(",", session.Items ?? []));
        await using var host = await KestrelHost.StartAsync(app);

        using var user = host.Client();
        for (var i = 1; i <= 3; i++)
        {
            var response = await user.Http.PostAsync("/visit", null);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("v1,v2,v3", await user.Http.GetStringAsync("/items"));

        await ManyAtOnceNeverBlockAsync(host, "/visit", storage);
    }

    [Fact]
    public async Task A_controller_taking_a_library_schema_in_its_constructor_on_an_asynchronous_storage_never_loads_it_by_blocking()
    {
        // A new user's MVC controller with constructor injection on Redis starved the thread pool under 100
        // connections: the schema loaded synchronously inside controller activation, a blocked thread per request.
        var (builder, storage) = CreateBuilder(controllers: true);
        var app = builder.Build();
        app.MapControllers();
        await using var host = await KestrelHost.StartAsync(app);

        using var user = host.Client();
        for (var i = 1; i <= 3; i++)
        {
            var response = await user.Http.PostAsync("/library-mvc/visit", null);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("m1,m2,m3", await user.Http.GetStringAsync("/library-mvc/items"));

        await ManyAtOnceNeverBlockAsync(host, "/library-mvc/visit", storage);
    }

    [Fact]
    public async Task An_action_taking_a_library_schema_as_a_parameter_never_loads_it_by_blocking_and_a_constructor_mvc_does_not_use_loads_nothing()
    {
        var (builder, storage) = CreateBuilder(controllers: true);
        var app = builder.Build();
        app.MapControllers();
        await using var host = await KestrelHost.StartAsync(app);

        using var user = host.Client();
        Assert.Equal("no session", await user.Http.GetStringAsync("/library-chosen"));
        Assert.Equal(0, storage.Reads);
        for (var i = 1; i <= 2; i++)
        {
            var response = await user.Http.PostAsync("/library-action/visit", null);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        }

        await ManyAtOnceNeverBlockAsync(host, "/library-action/visit", storage);
    }

    [Fact]
    public async Task A_resolution_the_endpoint_does_not_show_blocks_and_is_logged_once_per_endpoint()
    {
        var (builder, storage) = CreateBuilder();
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        var app = builder.Build();
        app.MapPost("/visit", (LibrarySession session) => ++session.Visits);
        app.MapPost("/inside", (HttpContext context) => ++context.RequestServices.GetRequiredService<LibrarySession>().Visits).WithDisplayName("resolved inside");
        await using var host = await KestrelHost.StartAsync(app);

        using var user = host.Client();
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(2 * i - 1, int.Parse(await (await user.Http.PostAsync("/visit", null)).Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(2 * i, int.Parse(await (await user.Http.PostAsync("/inside", null)).Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        // Three blocking loads (the storage sees the DI engine on the stack at least for the first: later ones may run
        // through code DI compiled), one warning.
        Assert.InRange(storage.BlockingReads, 1, 3);
        var warning = Assert.Single(logs.Entries, e => e.Id.Id == 2005);
        Assert.Equal("SessionLoadBlocked", warning.Id.Name);
        Assert.Contains("LibrarySession was resolved from dependency injection for resolved inside", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>An app over <see cref="SlowStorage"/> with <see cref="LibrarySession"/> registered, and MVC if asked.</summary>
    private static (WebApplicationBuilder Builder, SlowStorage Storage) CreateBuilder(bool controllers = false)
    {
        var storage = new SlowStorage(new CookieSessionStorage(new CookieSessionOptions { Name = "lib", Secrets = [Secret] }));
        var builder = KestrelHost.CreateBuilder();
        builder.Services.AddSingleton(storage);
        builder.Services.AddRemasteredSession<LibrarySession, SlowStorage>(o => o.Cookie.Secrets = [Secret]);
        if (controllers)
        {
            builder.Services.AddControllers().AddApplicationPart(typeof(LibrarySessionController).Assembly);
        }

        return (builder, storage);
    }

    /// <summary>Forty new users post at once, each with its own session: all answered, none loaded by blocking.</summary>
    private static async Task ManyAtOnceNeverBlockAsync(KestrelHost host, string path, SlowStorage storage)
    {
        var clients = Enumerable.Range(0, 40).Select(_ => host.Client()).ToList();
        try
        {
            var answers = await Task.WhenAll(clients.Select(c => c.Http.PostAsync(path, null)));
            Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.OK, a.StatusCode));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.True(storage.Reads >= 40, $"reads: {storage.Reads}");
        Assert.Equal(0, storage.BlockingReads);
    }
}
