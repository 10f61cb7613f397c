using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Outside Development, warns once at start-up (event 2009) about each configured secret that reads like text a person
/// chose: the storage refuses short, repetitive and low-entropy secrets, but an alphabet or a phrase passes that check
/// and is guessable all the same. A warning, not a refusal: the text cannot prove how a secret was made.
/// </summary>
internal sealed class ChosenSecretsStartupFilter(
    IHostEnvironment environment,
    ILoggerFactory loggers,
    IEnumerable<SessionRegistration> registrations,
    IOptionsMonitor<RemasteredSessionOptions> options) : IStartupFilter
{
    // Words of placeholders and hand-made secrets; six letters or more, so that a random base64 secret contains one
    // with a chance under one in a million.
    private static readonly string[] Words = ["secret", "password", "passwd", "example", "changeme", "replace", "placeholder", "default", "sample", "session", "letmein"];

    // Each row both ways.
    private static readonly string[] KeyboardRows = ["qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa", "zxcvbnm", "mnbvcxz"];

    private const int RunLength = 6;

    // In hex (what `openssl rand -hex 32` gives) a run of six digits is common enough by chance (about one secret in
    // twenty thousand), so all-hex secrets need eight.
    private const int HexRunLength = 8;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        if (!environment.IsDevelopment())
        {
            var logger = loggers.CreateLogger("Remastered.Sessions.AspNetCore.Secrets");
            foreach (var registration in registrations)
            {
                var settings = options.Get(registration.OptionsName);
                if (settings.UseDataProtection || settings.Cookie?.HasCustomProtector == true)
                {
                    continue; // the key ring or another protector encrypts; configured secrets are not used
                }

                var secrets = settings.Cookie?.Secrets ?? [];
                for (var i = 0; i < secrets.Count; i++)
                {
                    if (secrets[i] is { } secret && LooksChosen(secret, out var reason))
                    {
                        SessionLog.SecretLooksChosen(logger, registration.Schema.Name, i, reason);
                    }
                }
            }
        }

        return next;
    }

    /// <summary>
    /// Whether <paramref name="secret"/> holds a run of consecutive characters, a keyboard row or a common word. The
    /// reason never quotes the secret: logs must not carry any of it.
    /// </summary>
    internal static bool LooksChosen(string secret, out string reason)
    {
        var text = secret.ToLowerInvariant();
        foreach (var word in Words)
        {
            if (text.Contains(word, StringComparison.Ordinal))
            {
                reason = "it contains a common word";
                return true;
            }
        }

        foreach (var row in KeyboardRows)
        {
            for (var start = 0; start + RunLength <= row.Length; start++)
            {
                if (text.Contains(row.AsSpan(start, RunLength), StringComparison.Ordinal))
                {
                    reason = "it contains a run of keys along a keyboard row";
                    return true;
                }
            }
        }

        // Ascending or descending runs of letters or digits, as typed: "abcdef", "456789", "ZYXWVU".
        var runLength = secret.All(char.IsAsciiHexDigit) ? HexRunLength : RunLength;
        int up = 1, down = 1;
        for (var i = 1; i < secret.Length; i++)
        {
            var alike = char.IsAsciiLetterOrDigit(secret[i]) && char.IsAsciiLetterOrDigit(secret[i - 1]);
            up = alike && secret[i] == secret[i - 1] + 1 ? up + 1 : 1;
            down = alike && secret[i] == secret[i - 1] - 1 ? down + 1 : 1;
            if (up >= runLength || down >= runLength)
            {
                reason = "it contains a run of consecutive letters or digits";
                return true;
            }
        }

        reason = string.Empty;
        return false;
    }
}
