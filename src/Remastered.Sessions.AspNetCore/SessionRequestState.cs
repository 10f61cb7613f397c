using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// One request's session: loaded on first use (a request that never touches the session decrypts nothing), committed
/// just before the response starts when something changed, then sealed.
/// </summary>
internal sealed class SessionRequestState<TSchema, TStorage>(HttpContext context, TStorage storage, RemasteredSessionOptions options, ILogger logger, Action<string?>? onInsecureCookie = null, Action<string, string, PathString>? onCookieOutsidePathBase = null)
    : ISessionFeature<TSchema>, IPipelineCommit
    where TSchema : class, ISessionSchema<TSchema, TStorage>
{
    internal const string SealedMessage =
        "The response has already started, so session changes can no longer be sent to the client. Change the session before writing the response body.";

    internal const string LoadedLateMessage =
        "This session was first loaded after its request's response had started, so it is read-only: no change could reach the client. "
        + "Load it before the response body is written: in MVC, take it in the controller's constructor or the action, not first in a view, view component or filter that runs after the body began; "
        + "in a streaming endpoint, before its first write. Interactive Blazor components and SignalR hubs run inside a connection whose response began when it opened (and see the session as it was then): "
        + "change the session in an ordinary request instead (a form post, an API endpoint).";

    // The load in flight, shared by callers of the same request (a Task: a ValueTask must not be awaited twice).
    private Task<TSchema>? _loading;
    private TSchema? _session;
    private bool _inspectOnly;

    /// <summary>
    /// Set when the store could not be reached for this request. Whatever handles the exception (the developer
    /// exception page, <c>UseExceptionHandler</c>, an <c>IExceptionHandler</c>), the response is made a 503.
    /// </summary>
    public SessionStoreUnavailableException? StoreUnavailable { get; private set; }

    public bool IsLoaded => _session is not null;

    public ValueTask<TSchema> GetAsync()
    {
        if (_session is not null)
        {
            return ValueTask.FromResult(_session);
        }

        if (_loading is { } pending)
        {
            return new ValueTask<TSchema>(pending);
        }

        // Read into a local: the load may complete on another thread (and clear the field) at any moment.
        var loading = LoadAsync();
        if (loading.IsCompleted)
        {
            return loading;
        }

        var task = loading.AsTask();
        _loading = task;
        return new ValueTask<TSchema>(task);
    }

    /// <summary>
    /// The session for the development inspector. The request then commits nothing: flashes stay for the app's next
    /// request and the expiry is not renewed, so looking at a session never changes it.
    /// </summary>
    public async ValueTask<SessionInspection> InspectAsync()
    {
        var session = await GetAsync().ConfigureAwait(false);
        _inspectOnly = true;
        return session.Inspect();
    }

    private async ValueTask<TSchema> LoadAsync()
    {
        TSchema session;
        try
        {
            session = await TSchema.LoadAsync(storage, ReadHeader(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException exception)
        {
            _loading = null;
            MarkUnavailable(exception);
            throw;
        }

        if (context.Response.HasStarted)
        {
            // Freshly loaded, a session is dirty only for what loading changed: flash values to consume, a cookie to
            // renew or re-issue. None of it can be sent now; sealing keeps the flash values for a later request.
            if (session.IsDirty)
            {
                SessionLog.LoadedAfterResponseStarted(logger, typeof(TSchema).Name, context.Request.Path);
            }

            session.Seal(LoadedLateMessage);
        }
        else
        {
            // From here the session commits inside the application's pipeline, before the response starts.
            SessionCommitBoundary.Enlist(context, this);

            // Every commit is sent with the response, the application's own CommitAsync/DestroyAsync included.
            session.Committed += OnCommitted;

            // A response computed from someone's session is theirs: never stored in the shared output cache, whatever
            // policy the endpoint has (the cache does not vary by cookie).
            if (context.Features.Get<Microsoft.AspNetCore.OutputCaching.IOutputCacheFeature>() is { } outputCache)
            {
                outputCache.Context.AllowCacheStorage = false;
            }

            // Caches that decide before the response starts (UseResponseCaching, at the first write of the body) must know
            // now, whatever Cache-Control a filter set before a view read the session: the response depends on the
            // session's header, and one whose loading changed the session (a flash consumed, a cookie renewed) commits.
            // (Again at the pipeline commit and as the response starts: MVC's [ResponseCache] replaces Vary after
            // model binding.) Under the lock Enlist takes: two schemas may load on two threads at once.
            var dirty = session.IsDirty;
            lock (context)
            {
                AddVary();
                if (dirty)
                {
                    context.Response.Headers.CacheControl = CacheHeaders.NoStore;
                    context.Response.Headers.Pragma = "no-cache";
                }
            }
        }

        _session = session;
        _loading = null;
        return session;
    }

    public async Task DiscardUncommittedAsync()
    {
        if (_session is not { } session || _inspectOnly || _commitFailed || context.Response.HasStarted)
        {
            return;
        }

        // A value changed in place into something unstorable counts as dirty (IsDirty does not throw for it).
        if (session.IsDirty)
        {
            await DiscardAfterFailureAsync(session, reason: "another session of the request could not be saved").ConfigureAwait(false);
        }
    }

    /// <summary>Reads the session again as stored; if even that fails, nothing more is committed in this request.</summary>
    private async Task DiscardAfterFailureAsync(TSchema session, string reason)
    {
        try
        {
            await session.DiscardChangesAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception reloadFailure)
        {
            // Not even the stored session could be read again: the changes that failed must not go out with the error
            // response; reads still work, changes throw.
            _commitFailed = true;
            session.Seal(CommitFailedMessage + reason);
            if (reloadFailure is SessionStoreUnavailableException unavailable)
            {
                MarkUnavailable(unavailable);
            }
        }
    }

    public Task CommitInPipelineAsync()
    {
        if (StoreUnavailable is not null || _session is null || _inspectOnly || _commitFailed || context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        AddVary();

        // A store that went down between the load and this commit: thrown like a failed load, so the body the endpoint
        // wrote is dropped and the answer is the 503 (the exception handler's, or the middleware's), not a success
        // body under a 503 status.
        var commit = CommitAsync(_session);
        if (commit.IsCompletedSuccessfully)
        {
            return StoreUnavailable is { } outage ? Task.FromException(outage) : Task.CompletedTask;
        }

        return RaiseOutageAfter(commit);

        async Task RaiseOutageAfter(Task pending)
        {
            await pending.ConfigureAwait(false);
            if (StoreUnavailable is { } outage)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outage);
            }
        }
    }

    /// <summary>Runs as the response starts: commits a changed session into the response headers, then seals it.</summary>
    public async Task OnResponseStartingAsync()
    {
        if (StoreUnavailable is not null)
        {
            WriteUnavailable();
            return;
        }

        var session = _session;
        if (session is null)
        {
            return;
        }

        if (!_inspectOnly && !_commitFailed)
        {
            AddVary();
            await CommitAsync(session).ConfigureAwait(false);
            if (StoreUnavailable is not null)
            {
                return;
            }

            // Committed inside the pipeline, and the headers cleared since (an exception handler's response): send again.
            RestoreSentHeaders();
        }

        session.Seal(SealedMessage);
    }

    internal const string CommitFailedMessage = "This request's session changes could not be saved, and the session could not be read again: ";

    // Set when a failed commit could not be followed by a reload: nothing more is committed in this request.
    private bool _commitFailed;

    // What the last commit of this request sent, so that it can be sent again if a later handler clears the headers.
    private string? _sentHeader;
    private SessionCookie? _sentCookie;
    private bool _sentNoStore;
    private bool _sentClearCache;

    private async Task CommitAsync(TSchema session)
    {
        try
        {
            // Asking serializes the typed values changed in place; one that cannot be stored counts as a change, and the
            // commit below throws SessionValueNotStorableException for it.
            if (!session.IsDirty)
            {
                return;
            }

            // What it sends reaches OnCommitted.
            await session.CommitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (SessionStoreUnavailableException exception)
        {
            // The change could not be saved: tell the client to retry instead of answering as if it had been.
            MarkUnavailable(exception);
            WriteUnavailable();
            session.Seal(SealedMessage);
            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Too large, not storable, a conflict: the request's changes are dropped (the session reads as stored
            // again), and the exception goes on: inside the pipeline to the application's exception handling, whose
            // response commits only what it changes itself; as the response starts (a session first touched while a
            // view renders), out of the write that started it, and an error page that still runs does not try the
            // same changes again.
            SessionLog.CommitFailed(logger, SessionLog.RequestedPath(context), exception);
            await DiscardAfterFailureAsync(session, exception.Message).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Told of each successful commit of this request's session, the middleware's or the application's own
    /// (<c>CommitAsync</c>, <c>DestroyAsync</c>): what it sent goes out with the response.
    /// </summary>
    private void OnCommitted(SessionCommit commit)
    {
        // Never after the response started: the session is sealed then, and a sealed session does not commit.
        var (header, cookie) = (commit.Header, commit.Cookie);
        if (header is null && !commit.EndedSession)
        {
            // Nothing new to send (the client's header says it, or the write was refused): what an earlier commit of the
            // request sent, if any, still stands.
            (header, cookie) = (_sentHeader, _sentCookie);
        }

        // A response that commits a session (or consumes a flash) must never be served to someone else from a cache.
        // A second commit in one request (a change after the first): what it sends replaces what the first one sent.
        var previousName = _sentHeader is null ? null : SessionCookieName;
        _sentNoStore = true;
        // Ending the session: the browser's caches may hold its pages (read before, without no-store).
        _sentClearCache |= commit.EndedSession && options.ClearBrowserCacheOnSignOut && options.Transport == SessionTransport.Cookie;
        _sentHeader = header;
        _sentCookie = header is null ? null : cookie;
        if (previousName is not null)
        {
            RemoveSessionHeader(previousName);
        }

        // Once per commit, whether or not it sends a cookie (a server-side storage whose content changed sends none).
        SessionLog.Committed(logger, context.Request.Path);
        SendCommitted();
    }

    private void SendCommitted()
    {
        if (_sentNoStore)
        {
            context.Response.Headers.CacheControl = CacheHeaders.NoStore;
            context.Response.Headers.Pragma = "no-cache";
        }

        if (_sentClearCache)
        {
            AddClearSiteDataCache();
        }

        if (_sentHeader is { } header)
        {
            WriteHeader(header, _sentCookie);
        }
    }

    /// <summary>
    /// After a commit inside the pipeline, a handler may have cleared the response (an exception handler's does): what
    /// the commit sent is sent again as the response starts.
    /// </summary>
    private void RestoreSentHeaders()
    {
        if (_sentHeader is not null ? !SessionHeaderPresent() : _sentNoStore && !context.Response.Headers.ContainsKey(HeaderNames.CacheControl))
        {
            SendCommitted();
        }
    }

    /// <summary>Adds the session's request header to the response's <c>Vary</c>, keeping what is there.</summary>
    private void AddVary()
    {
        var header = options.Transport == SessionTransport.Cookie ? HeaderNames.Cookie : options.HeaderName;
        var vary = context.Response.Headers.Vary;
        foreach (var value in vary)
        {
            foreach (var range in value.AsSpan().Split(','))
            {
                var name = value.AsSpan()[range].Trim();
                if (name.Equals(header, StringComparison.OrdinalIgnoreCase) || name.SequenceEqual("*"))
                {
                    return;
                }
            }
        }

        context.Response.Headers.Vary = StringValues.Concat(vary, header);
    }

    /// <summary>Adds <c>"cache"</c> to the response's <c>Clear-Site-Data</c>, keeping what the application put there.</summary>
    private void AddClearSiteDataCache()
    {
        const string ClearSiteData = "Clear-Site-Data";
        string? existing = context.Response.Headers[ClearSiteData];
        if (string.IsNullOrEmpty(existing))
        {
            context.Response.Headers[ClearSiteData] = "\"cache\"";
        }
        else if (!existing.Contains("\"cache\"", StringComparison.OrdinalIgnoreCase) && !existing.Contains("\"*\"", StringComparison.Ordinal))
        {
            context.Response.Headers[ClearSiteData] = existing + ", \"cache\"";
        }
    }

    // The cookie's own name: a storage from dependency injection names its cookie itself, and header text of a storage's
    // own carries it before the '='.
    private string SessionCookieName => _sentCookie?.Name ?? CookieNameOf(_sentHeader) ?? options.Cookie.Name;

    // Read as TokenOf reads the value: with ASP.NET Core's own Set-Cookie parser.
    private static string? CookieNameOf(string? setCookie)
        => SetCookieHeaderValue.TryParse(setCookie, out var cookie) ? cookie.Name.ToString() : null;

    private bool SessionHeaderPresent()
    {
        if (options.Transport == SessionTransport.Header)
        {
            return context.Response.Headers.ContainsKey(options.EffectiveResponseHeaderName);
        }

        var name = SessionCookieName;
        foreach (var value in context.Response.Headers.SetCookie)
        {
            if (IsCookieNamed(value, name))
            {
                return true;
            }
        }

        return false;
    }

    private void RemoveSessionHeader(string name)
    {
        if (options.Transport == SessionTransport.Header)
        {
            context.Response.Headers.Remove(options.EffectiveResponseHeaderName);
            return;
        }

        context.Response.Headers.SetCookie = context.Response.Headers.SetCookie.Where(v => !IsCookieNamed(v, name)).ToArray();
    }

    private static bool IsCookieNamed(string? setCookie, string name)
        => setCookie is not null && setCookie.Length > name.Length && setCookie[name.Length] == '='
            && setCookie.StartsWith(name, StringComparison.Ordinal);

    public void MarkUnavailable(SessionStoreUnavailableException exception)
    {
        if (StoreUnavailable is null)
        {
            StoreUnavailable = exception;
            context.Features.Set(SessionStoreOutageFeature.Instance);
            if (context.Response.HasStarted)
            {
                SessionLog.StoreUnavailableAfterResponseStarted(logger, SessionLog.RequestedPath(context), exception);
            }
            else
            {
                SessionLog.StoreUnavailable(logger, SessionLog.RequestedPath(context), exception);
            }
        }
    }

    /// <summary>503 with <c>Retry-After</c>, before the response starts, whatever status a handler chose.</summary>
    public void WriteUnavailable()
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = CacheHeaders.NoStore;
    }

    private string? ReadHeader()
    {
        if (options.Transport == SessionTransport.Cookie)
        {
            var cookie = context.Request.Headers.Cookie;
            return cookie.Count switch
            {
                0 => null,
                1 => cookie[0],
                _ => string.Join("; ", cookie.ToArray()),
            };
        }

        string? token = context.Request.Headers[options.HeaderName];
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (string.Equals(options.HeaderName, HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase))
        {
            const string Bearer = "Bearer ";
            if (!token.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            token = token[Bearer.Length..].Trim();
        }

        // The storages read cookie syntax; a token is the value of the storage's cookie (a storage from dependency
        // injection names its own; the integration's Cookie.Name otherwise).
        return (StorageUnwrapping.CookieName(storage) ?? options.Cookie.Name) + "=" + token;
    }

    /// <summary>
    /// Sends what the commit produced: the library's storages describe their cookie as data, written here through
    /// <c>Response.Cookies</c> (or its value as the token header); a custom storage's header text is sent as it is.
    /// </summary>
    private void WriteHeader(string header, SessionCookie? cookie)
    {
        if (options.Transport == SessionTransport.Header)
        {
            context.Response.Headers[options.EffectiveResponseHeaderName] = cookie is not null ? (cookie.IsDeletion ? string.Empty : cookie.Value) : TokenOf(header);
            return;
        }

        if (cookie is null)
        {
            context.Response.Headers.Append(HeaderNames.SetCookie, header);
            return;
        }

        // A __Host- or __Secure- cookie, and a SameSite=None one, is refused by browsers without Secure: it always gets
        // it (over plain HTTP only localhost keeps such a cookie, which is as good as it gets).
        var secure = cookie.Secure && (RemasteredSessionOptions.NameRequiresSecure(cookie.Name) || cookie.SameSite == CookieSameSite.None
            || options.SecurePolicy switch
            {
                CookieSecurePolicy.Always => true,
                CookieSecurePolicy.None => false,
                _ => context.Request.IsHttps,
            });
        if (!secure && onInsecureCookie is not null && !cookie.IsDeletion)
        {
            // Over plain HTTP under SameAsRequest the usual cause is a proxy; over HTTPS, a setting that turns it off.
            if (context.Request.IsHttps)
            {
                onInsecureCookie(cookie.Secure ? "SecurePolicy = None" : "Cookie:Secure = false");
            }
            else if (cookie.Secure && options.SecurePolicy == CookieSecurePolicy.SameAsRequest)
            {
                onInsecureCookie(null);
            }
        }

        // (UsePathBase runs inside the pipeline, after the session middleware: the path base is known only now.)
        if (onCookieOutsidePathBase is not null && !cookie.IsDeletion && context.Request.PathBase.HasValue
            && !new PathString(cookie.Path).StartsWithSegments(context.Request.PathBase, StringComparison.Ordinal))
        {
            onCookieOutsidePathBase(cookie.Name, cookie.Path, context.Request.PathBase);
        }

        var cookieOptions = new CookieOptions
        {
            // The session is what the application runs on (sign-in, cart, flash): a cookie-consent policy
            // (UseCookiePolicy with CheckConsentNeeded) must not drop it, as it never did when the header was written
            // directly.
            IsEssential = true,
            Path = cookie.Path,
            Domain = cookie.Domain,
            Secure = secure,
            HttpOnly = cookie.HttpOnly,
            SameSite = cookie.SameSite switch
            {
                CookieSameSite.None => Microsoft.AspNetCore.Http.SameSiteMode.None,
                CookieSameSite.Lax => Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                CookieSameSite.Strict => Microsoft.AspNetCore.Http.SameSiteMode.Strict,
                _ => Microsoft.AspNetCore.Http.SameSiteMode.Unspecified,
            },
            // A browser-session cookie (Cookie:Persistent = false) is sent without either.
            MaxAge = cookie.IsPersistent ? cookie.MaxAge : null,
            Expires = cookie.IsPersistent ? cookie.Expires : null,
        };
        if (cookie.IsDeletion)
        {
            context.Response.Cookies.Delete(cookie.Name, cookieOptions);
        }
        else
        {
            context.Response.Cookies.Append(cookie.Name, cookie.Value, cookieOptions);
        }
    }

    /// <summary>
    /// Header mode over a custom storage that hands over header text only: the value of the cookie it describes, read
    /// with ASP.NET Core's <see cref="SetCookieHeaderValue"/> (the text itself when it is not a cookie).
    /// </summary>
    private static string TokenOf(string header)
        => SetCookieHeaderValue.TryParse(header, out var cookie) ? cookie.Value.ToString() : header;
}

/// <summary>
/// The request feature under which a schema's session is found, keyed by the schema alone, so that code that does not
/// name the storage (<see cref="HttpContextSessionExtensions.GetSessionAsync{TSchema}(HttpContext)"/>) finds it.
/// </summary>
/// <typeparam name="TSchema">The schema.</typeparam>
internal interface ISessionFeature<TSchema>
    where TSchema : class
{
    ValueTask<TSchema> GetAsync();

    ValueTask<SessionInspection> InspectAsync();
}

/// <summary>The <c>Cache-Control</c> value of responses that change or reveal a session.</summary>
internal static class CacheHeaders
{
    /// <summary>
    /// <c>no-store</c>, with <c>no-cache</c> as ASP.NET Core's antiforgery writes it on pages with a form: the same value,
    /// so a page that shows a flash and renders a form draws no "Cache-Control overridden" warning from antiforgery
    /// (it warns when the header it finds lacks <c>no-cache</c>).
    /// </summary>
    public const string NoStore = "no-cache, no-store";
}
