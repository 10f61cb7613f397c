using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Remastered.Sessions.AspNetCore.Tests;

public sealed record ValidatedLine([property: Range(1, 10)] int Quantity, [property: Required] string Sku);

[Session<CookieSessionStorage>]
public partial class ValidatedCartSession
{
    [SessionKey] public partial List<ValidatedLine>? Lines { get; set; }
}

[Session<MemorySessionStorage>]
public partial class SecondValidatedSession
{
    [SessionKey] public partial int Count { get; set; }
}

/// <summary>The request's own input, with the session beside it (as [AsParameters] types group them).</summary>
public readonly record struct CartRequest(ValidatedCartSession Session, [Range(1, 10)] int? Add);

/// <summary>
/// .NET 10's request validation (AddValidation) checks request input: never the session, whose stored values are not
/// the client's to correct (a value outside its annotations would otherwise answer 400 on every request, listing the
/// session's content).
/// </summary>
public sealed class RequestValidationTests
{
    [Fact]
    public async Task Request_validation_checks_the_requests_input_but_never_walks_the_session()
    {
        var builder = Builder(addValidation: true);
        builder.Services.AddRemasteredSession<ValidatedCartSession, CookieSessionStorage>(o => o.Cookie.Secrets = [CookieSessionOptions.GenerateSecret()]);
        var app = builder.Build();
        // A value the annotations refuse, stored by the app itself (a rule that changed since, say).
        app.MapPost("/store-out-of-range", (ValidatedCartSession session) => { session.Lines = [new ValidatedLine(99, "A-1")]; return "stored"; });
        app.MapPost("/cart", ([AsParameters] CartRequest request) => $"lines={request.Session.Lines?.Count ?? 0} add={request.Add}");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();

        await client.Http.PostAsync("/store-out-of-range", null);
        var response = await client.Http.PostAsync("/cart?add=2", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body == "lines=1 add=2", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The request's own input is still validated.
        var invalid = await client.Http.PostAsync("/cart?add=50", null);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var problem = await invalid.Content.ReadAsStringAsync();
        Assert.Contains("Add", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("Session", problem, StringComparison.Ordinal);
    }
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_session_switches_request_validation_on_only_where_the_app_did(bool addValidation)
    {
        // A resolver in ValidationOptions is what makes ASP.NET Core add its validation filter to every minimal-API
        // endpoint: an app that never called AddValidation must not get one from the session.
        var builder = Builder(addValidation);
        builder.Services.AddRemasteredSession<ValidatedCartSession, CookieSessionStorage>(o => o.Cookie.Secrets = [CookieSessionOptions.GenerateSecret()]);
        builder.Services.AddRemasteredSession<SecondValidatedSession, MemorySessionStorage>();
        using var app = builder.Build();

#pragma warning disable ASP0029 // ValidationOptions is marked for evaluation in .NET 10.
        var resolvers = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Validation.ValidationOptions>>().Value.Resolvers;
#pragma warning restore ASP0029
        if (!addValidation)
        {
            Assert.Empty(resolvers);
            return;
        }

        // The app's resolvers stay, and each schema's "nothing to validate" answers ahead of them.
        Assert.True(resolvers.Count > 2, string.Join(", ", resolvers.Select(r => r.GetType().Name)));
        Assert.All(resolvers.Take(2), r => Assert.Equal("SessionValidationExclusion", r.GetType().Name));
        Assert.DoesNotContain(resolvers.Skip(2), r => r.GetType().Name == "SessionValidationExclusion");
    }
    // One call site of AddValidation in the project: ASP.NET Core's validation source generator emits one file per call
    // site under the same name, and fails with two.
    private static WebApplicationBuilder Builder(bool addValidation)
    {
        var builder = KestrelHost.CreateBuilder("Production");
        if (addValidation)
        {
            builder.Services.AddValidation();
        }

        return builder;
    }
}
