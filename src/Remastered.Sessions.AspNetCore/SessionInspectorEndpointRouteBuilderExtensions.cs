using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Maps the development session inspector.</summary>
public static class SessionInspectorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// In the Development environment, maps a page at <paramref name="pattern"/> that shows the current request's
    /// session of every registered schema: each key with its JSON, size and flash status, the cookie's size against
    /// the browser's 4096-byte budget, the storage, and the expiry times. Add <c>?format=json</c> for the same as
    /// JSON. Viewing it changes nothing: the inspected session is not committed, so flashes stay for the app's next
    /// request. Outside Development nothing is mapped unless <see cref="SessionInspectorOptions.AllowOutsideDevelopment"/>
    /// is set.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="pattern">The route, <c>/_session</c> by default.</param>
    /// <param name="configure">Adjusts the inspector's options.</param>
    /// <returns>The endpoint's builder (to add authorization, say); conventions are ignored when nothing is mapped.</returns>
    /// <example>
    /// <code>
    /// app.MapSessionInspector(); // https://localhost:5001/_session in Development
    /// </code>
    /// </example>
    public static IEndpointConventionBuilder MapSessionInspector(this IEndpointRouteBuilder endpoints, string pattern = "/_session", Action<SessionInspectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        var options = new SessionInspectorOptions();
        configure?.Invoke(options);
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment() && !options.AllowOutsideDevelopment)
        {
            return NothingMapped.Instance;
        }

        var inspector = new SessionInspectorEndpoint(endpoints.ServiceProvider);
        // Never stored by the output cache, whatever the app's base policy: the page is one user's decrypted session and
        // carries no Set-Cookie that would keep a cache from sharing it.
        return endpoints.MapGet(pattern, inspector.InvokeAsync)
            .WithDisplayName("Remastered.Sessions inspector")
            .WithMetadata(new OutputCacheAttribute { NoStore = true })
            .ExcludeFromDescription();
    }

    private sealed class NothingMapped : IEndpointConventionBuilder
    {
        public static readonly NothingMapped Instance = new();

        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }
}
