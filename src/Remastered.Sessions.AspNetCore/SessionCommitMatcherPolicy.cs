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
internal sealed class SessionCommitMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    private readonly ConditionalWeakTable<Endpoint, Endpoint> _wrapped = new();

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
                candidates.ReplaceEndpoint(i, _wrapped.GetValue(endpoint, Wrap), candidates[i].Values);
            }
        }

        return Task.CompletedTask;
    }

    private static Endpoint Wrap(Endpoint endpoint)
    {
        var run = endpoint.RequestDelegate!;
        RequestDelegate wrapped = context =>
        {
            var running = run(context);
            return running.IsCompletedSuccessfully ? CommitAsync(context) : AwaitThenCommit(running, context);
        };
        return endpoint is RouteEndpoint route
            ? new RouteEndpoint(wrapped, route.RoutePattern, route.Order, route.Metadata, route.DisplayName)
            : new Endpoint(wrapped, endpoint.Metadata, endpoint.DisplayName);
    }

    private static async Task AwaitThenCommit(Task running, HttpContext context)
    {
        await running.ConfigureAwait(false);
        await CommitAsync(context).ConfigureAwait(false);
    }

    private static Task CommitAsync(HttpContext context)
        => context.Features.Get<SessionCommitBoundary>() is { } boundary ? boundary.BeforeBodyAsync() : Task.CompletedTask;
}
