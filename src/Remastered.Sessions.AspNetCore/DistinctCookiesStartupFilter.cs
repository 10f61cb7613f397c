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
        foreach (var registration in registrations.DistinctBy(r => r.Schema))
        {
            var settings = options.Get(registration.OptionsName);
            var name = settings.Transport == SessionTransport.Header
                ? "header " + settings.HeaderName.ToLowerInvariant()
                : "cookie " + (StorageUnwrapping.CookieName(registration.Storage(services)) ?? settings.Cookie.Name);
            if (seen.TryGetValue(name, out var other))
            {
                throw new InvalidOperationException(
                    $"The session schemas {other.Name} and {registration.Schema.Name} both use the {name}, so each would overwrite the other's session. "
                    + "Give each schema its own cookie name (options.Cookie.Name, or the Cookie.Name of its storage's options).");
            }

            seen[name] = registration.Schema;
        }

        return next;
    }
}
