using CsCheck;

namespace Remastered.Sessions.AspNetCore.Tests;

/// <summary>
/// Secrets that pass the storage's length and entropy checks but read like text a person chose: warned about at
/// start-up outside Development (event 2009), never quoted in the log, never for generated secrets.
/// </summary>
public sealed class ChosenSecretsTests
{
    [Theory]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef")]
    [InlineData("qwertyuiopasdfghjklzxcvbnm1234567890")]
    [InlineData("replace-this-with-your-own-secret-value")]
    [InlineData("my-super-secret-session-key-2026!")]
    [InlineData("Password-for-the-shop-app-2026-production")]
    [InlineData("x7Kq9ZUT8mVv2R4wHp0L-987654-sJ3nYe5cAb")]
    public void Secrets_people_choose_are_recognised(string secret)
        => Assert.True(ChosenSecretsStartupFilter.LooksChosen(secret, out _), secret);

    [Fact]
    public void Generated_secrets_are_never_flagged()
    {
        // base64 (what GenerateSecret and `openssl rand -base64 32` give), base64url and hex (`openssl rand -hex 32`) of
        // 32 to 64 random bytes. By chance, about one base64 secret in a million holds a six-letter word or run, and
        // one hex secret in a million an eight-digit run (six would be one in twenty thousand: hex runs are longer);
        // a fixed seed keeps CI deterministic, and CsCheck prints the seed of any failure.
        Gen.Select(Gen.Byte.Array[32, 64], Gen.Int[0, 2]).Sample((bytes, form) =>
        {
            var secret = form switch
            {
                0 => Convert.ToBase64String(bytes),
                1 => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                _ => Convert.ToHexString(bytes),
            };
            Assert.False(ChosenSecretsStartupFilter.LooksChosen(secret, out var reason), $"{secret}: {reason}");
        }, iter: 20_000, seed: "0N0XIzNsQ0O2");
    }

    [Theory]
    [InlineData("5f0c3a9e012345b7d48e1c6a2f9b0d3e7a5c1b8f4e2d6a9c0b3f5e7d1a4c8b2e", false)] // a six-digit run: chance in hex
    [InlineData("5f0c3a9e01234567d48e1c6a2f9b0d3e7a5c1b8f4e2d6a9c0b3f5e7d1a4c8b2e", true)] // eight: not chance
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    public void In_hex_only_long_runs_count(string secret, bool chosen)
        => Assert.Equal(chosen, ChosenSecretsStartupFilter.LooksChosen(secret, out _));

    [Theory]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    [InlineData("Development", false)]
    public async Task Outside_development_each_chosen_secret_is_warned_about_at_start_up_without_quoting_it(string environment, bool warned)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz012345";
        const string Phrase = "replace-this-with-your-own-secret-value";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = CollectingLoggerProvider.ReplaceProviders(builder.Logging);
        builder.Services.AddRemasteredSession<TestSession, CookieSessionStorage>(o => o.Cookie.Secrets = [CookieSessionOptions.GenerateSecret(), Alphabet, Phrase]);
        var app = builder.Build();
        app.MapGet("/", (TestSession s) => s.Name ?? "anonymous");
        await using var host = await KestrelHost.StartAsync(app);
        using var client = host.Client();
        Assert.Equal("anonymous", await client.Http.GetStringAsync("/"));

        var warnings = logs.Entries.Where(e => e.Id.Id == 2009).Select(e => e.Message).ToList();
        if (!warned)
        {
            Assert.Empty(warnings);
            return;
        }

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, m => m.StartsWith("TestSession: the secret at Cookie:Secrets:1 reads like text a person chose (it contains a run of consecutive letters or digits)", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.StartsWith("TestSession: the secret at Cookie:Secrets:2 reads like text a person chose (it contains a common word)", StringComparison.Ordinal));
        Assert.All(warnings, m =>
        {
            Assert.DoesNotContain(Alphabet, m, StringComparison.Ordinal);
            Assert.DoesNotContain("abcdef", m, StringComparison.Ordinal);
            Assert.DoesNotContain(Phrase, m, StringComparison.Ordinal);
            Assert.Contains("GenerateSecret()", m, StringComparison.Ordinal);
        });
    }
}
