using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

public sealed class CookieBudgetTests
{
    [Fact]
    public async Task The_RMS012_estimate_is_an_upper_bound_close_to_the_real_cookie()
    {
        const int estimate = 4290; // what the analyzer reports for this schema (see SessionSchemaAnalyzerTests)
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = ["generator-tests-secret-0123456789abcdefgh"], MaxCookieSize = 8192 });
        var session = await TokensSession.LoadAsync(storage, null);
        foreach (var property in typeof(TokensSession).GetProperties().Where(p => p.Name.StartsWith("Token", StringComparison.Ordinal)))
        {
            property.SetValue(session, Guid.NewGuid());
        }

        var setCookie = (await session.CommitAsync())!;
        Assert.InRange(setCookie.Length, estimate - 60, estimate);
    }
}
