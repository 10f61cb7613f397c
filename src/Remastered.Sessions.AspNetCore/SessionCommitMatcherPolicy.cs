using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Runs the selected endpoint, then commits the request's sessions if the endpoint answered without writing a body (a
/// redirect, a 204): still inside the application's pipeline, so a failed commit reaches its exception handling while
/// the response can be replaced. The endpoint keeps its metadata, route pattern and display name; only its request
/// delegate is wrapped (once per endpoint), so <c>HttpContext.GetEndpoint()</c> is that wrapper, not the instance of
/// the endpoint data source.
/// </summary>
/// <remarks>
/// A minimal-API handler that takes a schema as a parameter gets it from dependency injection when the schema has no
/// <c>BindAsync</c> (its project does not reference this package), and so do an MVC controller that takes one in its
/// constructor or action and a Razor Page that takes one in its model's constructor or an <c>@inject</c>. The service
/// resolves it synchronously, so a network storage would block a thread per request (under load, enough to starve
/// the thread pool). The wrapper loads such schemas asynchronously before the endpoint runs, in the order the code
/// takes them, so that the service finds them loaded.
/// </remarks>
internal sealed class SessionCommitMatcherPolicy(IEnumerable<SessionRegistration> registrations) : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly ConditionalWeakTable<Endpoint, Endpoint> _wrapped = new();
    private readonly SessionRegistration[] _registrations = registrations.ToArray();
    private ConditionalWeakTable<Endpoint, Endpoint>.CreateValueCallback? _wrap;

    /// <summary>After every other policy, so that the endpoint wrapped is the one that will run.</summary>
    public override int Order => int.MaxValue;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            // Route endpoints and plain endpoints only: a subclass of another type keeps its identity (and commits as the
            // response starts).
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint is { RequestDelegate: not null } endpoint
                && (endpoint.GetType() == typeof(RouteEndpoint) || endpoint.GetType() == typeof(Endpoint)))
            {
                candidates.ReplaceEndpoint(i, _wrapped.GetValue(endpoint, _wrap ??= Wrap), candidates[i].Values);
            }
        }

        return Task.CompletedTask;
    }

    private Endpoint Wrap(Endpoint endpoint)
    {
        var run = endpoint.RequestDelegate!;
        var loads = SchemasTakenBy(endpoint);
        RequestDelegate wrapped = loads.Length == 0
            ? context =>
            {
                var running = run(context);
                return running.IsCompletedSuccessfully ? CommitAsync(context) : AwaitThenCommit(running, context);
            }
            : context => LoadRunCommitAsync(loads, run, context);
        return endpoint is RouteEndpoint route
            ? new RouteEndpoint(wrapped, route.RoutePattern, route.Order, route.Metadata, route.DisplayName)
            : new Endpoint(wrapped, endpoint.Metadata, endpoint.DisplayName);
    }

    /// <summary>
    /// The loaders of the registered schemas the endpoint's code takes from dependency injection, in the order it takes
    /// them: a minimal-API handler's parameters; for an MVC controller action, the controller's constructor parameters
    /// (the controller is created first), then the action's parameters; for a Razor Page, its page model's (or
    /// page's) constructor parameters, then the page's <c>@inject</c> properties.
    /// </summary>
    private Func<HttpContext, ValueTask>[] SchemasTakenBy(Endpoint endpoint)
    {
        if (_registrations.Length == 0)
        {
            return [];
        }

        try
        {
            var taken = endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler
                ? handler.GetParameters().Select(p => p.ParameterType)
                : TypesTakenByMvc(endpoint);
            return taken
                .Select(type => Array.Find(_registrations, r => r.Schema == type))
                .OfType<SessionRegistration>()
                .DistinctBy(r => r.Schema)
                .Select(r => r.Load)
                .ToArray();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Reflection over the user's types (a type that fails to load, say) must not break the endpoint: without the
            // preload, the session still loads when it is resolved.
            return [];
        }
    }

    /// <summary>
    /// The service types an MVC controller action or Razor Page takes, from the <c>ControllerActionDescriptor</c> or
    /// <c>CompiledPageActionDescriptor</c> in the endpoint's metadata; read by name, so that this package does not
    /// depend on MVC and applications without it never load MVC's assemblies.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only reached for MVC controller and Razor Page endpoints; MVC finds controllers, pages and their members by reflection and is not trim-compatible itself. A member trimmed away reads as absent and nothing is preloaded for it (the session then loads when it is resolved).")]
    private static IEnumerable<Type> TypesTakenByMvc(Endpoint endpoint)
    {
        foreach (var item in endpoint.Metadata)
        {
            var descriptor = item.GetType();
            for (var type = descriptor; type is not null; type = type.BaseType)
            {
                switch (type.FullName)
                {
                    case "Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor":
                        var controller = descriptor.GetProperty("ControllerTypeInfo")?.GetValue(item) as Type;
                        var action = descriptor.GetProperty("MethodInfo")?.GetValue(item) as MethodInfo;
                        return ConstructorParameterTypes(controller).Concat(action?.GetParameters().Select(p => p.ParameterType) ?? []);
                    case "Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor":
                        var handlerType = descriptor.GetProperty("HandlerTypeInfo")?.GetValue(item) as Type;
                        var page = descriptor.GetProperty("PageTypeInfo")?.GetValue(item) as Type;
                        return ConstructorParameterTypes(handlerType).Concat(InjectedPropertyTypes(page));
                }
            }
        }

        return [];
    }

    /// <summary>
    /// The parameter types of the constructor MVC activates a controller or page model with: the one marked
    /// <c>[ActivatorUtilitiesConstructor]</c> if there is one, otherwise every public constructor's (the activator
    /// picks among them by what it can resolve).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "MVC activates controllers and page models through their public constructors by reflection and is not trim-compatible itself; constructors trimmed away take no session, and nothing is preloaded for them.")]
    private static IEnumerable<Type> ConstructorParameterTypes(Type? type)
    {
        var constructors = type?.GetConstructors() ?? [];
        var marked = Array.FindAll(constructors, c => c.IsDefined(typeof(ActivatorUtilitiesConstructorAttribute), inherit: false));
        return (marked.Length == 1 ? marked : constructors).SelectMany(c => c.GetParameters()).Select(p => p.ParameterType);
    }

    /// <summary>
    /// The types of a Razor Page's <c>@inject</c> properties (marked <c>[RazorInject]</c> by the Razor compiler), found
    /// from the attributes' metadata, so that no attribute of the page's own properties is constructed here.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Razor Pages sets @inject properties by reflection and is not trim-compatible itself; properties trimmed away take no session.")]
    private static IEnumerable<Type> InjectedPropertyTypes(Type? page)
        => page?.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(p => p.GetCustomAttributesData().Any(a => a.AttributeType.Name == "RazorInjectAttribute"))
            .Select(p => p.PropertyType) ?? [];

    private static async Task LoadRunCommitAsync(Func<HttpContext, ValueTask>[] loads, RequestDelegate run, HttpContext context)
    {
        foreach (var load in loads)
        {
            await load(context).ConfigureAwait(false);
        }

        await run(context).ConfigureAwait(false);
        await CommitAsync(context).ConfigureAwait(false);
    }

    private static async Task AwaitThenCommit(Task running, HttpContext context)
    {
        await running.ConfigureAwait(false);
        await CommitAsync(context).ConfigureAwait(false);
    }

    private static Task CommitAsync(HttpContext context)
        => context.Features.Get<SessionCommitBoundary>() is { } boundary ? boundary.BeforeBodyAsync() : Task.CompletedTask;
}
