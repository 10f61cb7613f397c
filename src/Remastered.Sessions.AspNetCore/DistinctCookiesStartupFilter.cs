using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Stops the application at start-up when two session schemas would write the same cookie (or read the same header):
/// each would overwrite the other's session on every response; or when a header-mode schema shares its cookie name
/// (under which its tokens are sealed) with another schema: each would accept the other's tokens.
/// </summary>
internal sealed class DistinctCookiesStartupFilter(IServiceProvider services, IEnumerable<SessionRegistration> registrations, IOptionsMonitor<RemasteredSessionOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var seen = new Dictionary<string, (Type Schema, bool Header)>(StringComparer.Ordinal);
        foreach (var registration in registrations)
        {
            var settings = options.Get(registration.OptionsName);
            var header = settings.Transport == SessionTransport.Header;
            if (header)
            {
                // Header names are case-insensitive; the token comes in one header and goes out in another (the same
                // one unless set apart), and two schemas sharing either would lose one session's token.
                Claim("request header " + settings.HeaderName.ToLowerInvariant(), registration, header, "its own header (options.HeaderName)");
                Claim("response header " + settings.EffectiveResponseHeaderName.ToLowerInvariant(), registration, header, "its own response header (options.ResponseHeaderName)");
            }

            // A header-mode token is sealed under the cookie name too (it is the cookie's value, carried in a header):
            // under one name and secret, a token one schema issued would open as the other's session.
            Claim("cookie " + (StorageUnwrapping.CookieName(registration.Storage(services)) ?? settings.Cookie.Name), registration, header, "its own cookie name (options.Cookie.Name, or the Cookie.Name of its storage's options)");
        }

        return next;

        void Claim(string name, SessionRegistration registration, bool header, string fix)
        {
            if (seen.TryGetValue(name, out var other))
            {
                var consequence = name.StartsWith("cookie ", StringComparison.Ordinal) && (other.Header || header)
                    ? "so a token issued to one would open as the other's session (a header-mode token is sealed under its cookie name)"
                    : "so each would overwrite the other's session";
                throw new InvalidOperationException(
                    $"The session schemas {other.Schema.Name} and {registration.Schema.Name} both use the {name}, {consequence}. Give each schema {fix}.");
            }

            seen[name] = (registration.Schema, header);
        }
    }
}
