using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Stops the application at start-up when two session schemas would write the same cookie (or read the same header):
/// each would overwrite the other's session on every response.
/// </summary>
internal sealed class DistinctCookiesStartupFilter(IServiceProvider services, IEnumerable<SessionRegistration> registrations, IOptionsMonitor<RemasteredSessionOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var seen = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var settings = options.Get(registration.OptionsName);
            if (settings.Transport == SessionTransport.Header)
            {
                // Header names are case-insensitive; the token comes in one header and goes out in another (the same
                // one unless set apart), and two schemas sharing either would lose one session's token.
                Claim("request header " + settings.HeaderName.ToLowerInvariant(), registration, "its own header (options.HeaderName)");
                Claim("response header " + settings.EffectiveResponseHeaderName.ToLowerInvariant(), registration, "its own response header (options.ResponseHeaderName)");
            }
            else
            {
                Claim("cookie " + (StorageUnwrapping.CookieName(registration.Storage(services)) ?? settings.Cookie.Name), registration, "its own cookie name (options.Cookie.Name, or the Cookie.Name of its storage's options)");
            }
        }

        return next;

        void Claim(string name, SessionRegistration registration, string fix)
        {
            if (seen.TryGetValue(name, out var other))
            {
                throw new InvalidOperationException(
                    $"The session schemas {other.Name} and {registration.Schema.Name} both use the {name}, so each would overwrite the other's session. Give each schema {fix}.");
            }

            seen[name] = registration.Schema;
        }
    }
}
