using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Attaches a lazy session to every request, commits it as the response starts, and turns an unreachable session
/// store into 503 Service Unavailable.
/// </summary>
internal sealed class SessionMiddleware<TSchema, TStorage>(RequestDelegate next, IServiceProvider services, IOptionsMonitor<RemasteredSessionOptions> options, IHostEnvironment environment, ILogger<SessionMiddleware<TSchema, TStorage>> logger)
    where TSchema : class, ISessionSchema<TSchema, TStorage>
{
    private readonly bool _warnInsecure = !environment.IsDevelopment();
    private Action<string?>? _warnInsecureOnce;
    private int _warnedInsecure;

    private readonly RemasteredSessionOptions _options = options.Get(RemasteredSessionServiceCollectionExtensions.OptionsName<TSchema>());

    // The schema's own storage, else one registered for the whole application; built as the app starts.
    private readonly TStorage storage = FindStorage(services)
        ?? throw new InvalidOperationException($"No {typeof(TStorage).Name} is registered for {typeof(TSchema).Name}: register one (services.AddSingleton) or pass a storageFactory to AddRemasteredSession.");

    /// <summary>The schema's own storage, else one registered for the whole application, else <see langword="null"/>.</summary>
    internal static TStorage? FindStorage(IServiceProvider services)
    {
        try
        {
            return services.GetKeyedService<TStorage>(typeof(TSchema)) ?? services.GetService<TStorage>();
        }
        catch (ArgumentException exception)
        {
            // A storageFactory that builds from options it was not given secrets for, say: name the schema.
            throw new InvalidOperationException($"{typeof(TSchema).Name}'s {typeof(TStorage).Name} could not be built: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Outside Development, say once when a session cookie goes out without <c>Secure</c>: over plain HTTP under
    /// SameAsRequest (usually a TLS-terminating proxy without forwarded headers, event 2003), or over HTTPS because a
    /// setting turns it off (event 2011).
    /// </summary>
    private void WarnInsecureOnce(string? turnedOffBy)
    {
        if (Interlocked.Exchange(ref _warnedInsecure, 1) == 0)
        {
            var cookieName = StorageUnwrapping.CookieName(storage) ?? _options.Cookie.Name;
            if (turnedOffBy is null)
            {
                SessionLog.CookieNotSecure(logger, cookieName);
            }
            else
            {
                SessionLog.CookieSecureTurnedOff(logger, cookieName, turnedOffBy);
            }
        }
    }

    /// <summary>
    /// An app under a path base whose cookie covers the whole host (Path=/) shares that cookie's name with every other
    /// application there: say so once, with the first cookie it sends from under the path base.
    /// </summary>
    private void WarnPathBaseOnce(string cookieName, string cookiePath, PathString pathBase)
    {
        if (Interlocked.Exchange(ref _warnedPathBase, 1) == 0)
        {
            SessionLog.CookiePathOutsidePathBase(logger, cookieName, cookiePath, pathBase.Value!, RemasteredSessionOptions.NameRequiresSecure(cookieName) && cookieName.StartsWith("__Host-", StringComparison.Ordinal)
                ? "Give the cookie a name of its own (a __Host- cookie must keep Path=/)."
                : "Give the cookie a name of its own, or set Cookie:Path to " + pathBase.Value + ".");
        }
    }

    private int _warnedPathBase;
    private Action<string, string, PathString>? _warnPathBaseOnce;

    public async Task InvokeAsync(HttpContext context)
    {
        var state = new SessionRequestState<TSchema, TStorage>(context, storage, _options, logger, _warnInsecure ? _warnInsecureOnce ??= WarnInsecureOnce : null, _warnedPathBase == 0 ? _warnPathBaseOnce ??= WarnPathBaseOnce : null);
        context.Features.Set<ISessionFeature<TSchema>>(state);
        context.Response.OnStarting(static s => ((SessionRequestState<TSchema, TStorage>)s).OnResponseStartingAsync(), state);
        try
        {
            await next(context).ConfigureAwait(false);

            // Bytes a middleware outside any endpoint wrote without flushing are still held by the boundary: commit and
            // hand them to the server before it completes the response.
            if (!context.Response.HasStarted && context.Features.Get<SessionCommitBoundary>() is { } boundary)
            {
                await boundary.CommitAsync().ConfigureAwait(false);
            }
        }
        catch (SessionStoreUnavailableException exception) when (!context.Response.HasStarted
            && (state.StoreUnavailable is not null || context.Features.Get<SessionStoreOutageFeature>() is null))
        {
            // (Another schema's outage, which that schema's state has marked, goes on to its own middleware further
            // out: answering it here would log it twice and drop this schema's committed cookie.)
            // No exception handler inside took it: answer 503 ourselves. (With one, the state turns its answer into a
            // 503 as the response starts.)
            state.MarkUnavailable(exception);
            context.Response.Clear();
            state.WriteUnavailable();
        }
        catch (Exception exception) when (!context.Response.HasStarted && state.StoreUnavailable is not null && !context.RequestAborted.IsCancellationRequested
            && exception is not (OperationCanceledException or BadHttpRequestException))
        {
            // The store was unreachable in this request and the request then failed for another reason: typically an
            // error page that loads this session, for an exception of the endpoint's (the exception handler passes
            // the endpoint's exception on when its page fails). The outage is why nothing could answer: 503, as when
            // the outage is the exception itself, rather than an empty 500. The other schemas commit as usual. (A
            // request the client aborted, or a bad request, which no retry would help, is left to the server.)
            // The exception handler has logged the exception it passes on: then the event only refers to it.
            var handled = ReferenceEquals(context.Features.Get<IExceptionHandlerFeature>()?.Error, exception);
            SessionLog.FailedDuringOutage(logger, SessionLog.RequestedPath(context), exception.GetType().Name, handled ? null : exception);
            context.Features.Get<IHttpActivityFeature>()?.Activity.AddException(exception);
            context.Response.Clear();
            state.WriteUnavailable();
        }
    }
}
