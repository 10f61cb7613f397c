using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

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
/// <c>BindAsync</c> (its project does not reference this package), and so does an MVC controller that takes one in
/// its constructor or action; the service resolves it synchronously, so a network storage would block a thread per
/// request (under load, enough to starve the thread pool). The wrapper loads such schemas asynchronously before the
/// endpoint runs, in the order the code takes them, so that the service finds them loaded.
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
    /// (the controller is created first), then the action's parameters.
    /// </summary>
    private Func<HttpContext, ValueTask>[] SchemasTakenBy(Endpoint endpoint)
    {
        if (_registrations.Length == 0)
        {
            return [];
        }

        IEnumerable<Type> taken;
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            taken = handler.GetParameters().Select(p => p.ParameterType);
        }
        else if (ControllerAction(endpoint) is var (controller, action))
        {
            taken = ConstructorParameterTypes(controller).Concat(action.GetParameters().Select(p => p.ParameterType));
        }
        else
        {
            return [];
        }

        return taken
            .Select(type => Array.Find(_registrations, r => r.Schema == type))
            .OfType<SessionRegistration>()
            .Distinct()
            .Select(r => r.Load)
            .ToArray();
    }

    /// <summary>
    /// The controller type and action method of an endpoint MVC made for a controller action, from the
    /// <c>ControllerActionDescriptor</c> in its metadata; found by name, so that this package does not depend on MVC and
    /// applications without it never load MVC's assembly.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "Only reached for MVC controller endpoints; MVC finds controllers and actions by reflection and is not trim-compatible itself. A trimmed-away property reads as null and nothing is preloaded (the session then loads when it is resolved).")]
    private static (Type Controller, MethodInfo Action)? ControllerAction(Endpoint endpoint)
    {
        foreach (var item in endpoint.Metadata)
        {
            for (var type = item.GetType(); type is not null; type = type.BaseType)
            {
                if (type.FullName == "Microsoft.AspNetCore.Mvc.Controllers.ControllerActionDescriptor")
                {
                    var descriptor = item.GetType();
                    return descriptor.GetProperty("ControllerTypeInfo")?.GetValue(item) is Type controller
                        && descriptor.GetProperty("MethodInfo")?.GetValue(item) is MethodInfo action
                        ? (controller, action)
                        : null;
                }
            }
        }

        return null;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "MVC activates controllers through their public constructors by reflection and is not trim-compatible itself; constructors trimmed away take no session, and nothing is preloaded for them.")]
    private static IEnumerable<Type> ConstructorParameterTypes(Type controller)
        => controller.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.ParameterType);

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
