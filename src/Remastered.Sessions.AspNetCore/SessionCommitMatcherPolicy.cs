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
/// <c>BindAsync</c> (its project does not reference this package), and the service resolves it synchronously: a
/// network storage would block a thread per request. The wrapper loads such schemas asynchronously before the handler
/// runs, so that the service finds them loaded.
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

    /// <summary>The loaders of the registered schemas the endpoint's handler takes as parameters (minimal APIs).</summary>
    private Func<HttpContext, ValueTask>[] SchemasTakenBy(Endpoint endpoint)
    {
        if (_registrations.Length == 0 || endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler)
        {
            return [];
        }

        var parameters = handler.GetParameters();
        return _registrations.Where(r => parameters.Any(p => p.ParameterType == r.Schema)).Select(r => r.Load).ToArray();
    }

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
