using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Registers a generated session schema and its storage in one call.</summary>
public static class RemasteredSessionServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TSchema"/> over <typeparamref name="TStorage"/>: options (validated at start-up), the
    /// storage (built from the options for <see cref="CookieSessionStorage"/> and <see cref="MemorySessionStorage"/>;
    /// any other storage comes from dependency injection), the per-request session (inject <typeparamref name="TSchema"/>
    /// into minimal API handlers, controllers and pages) and the middleware that commits it.
    /// </summary>
    /// <typeparam name="TSchema">The generated schema.</typeparam>
    /// <typeparam name="TStorage">Its storage.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets options in code (after configuration binding, if any).</param>
    /// <example>
    /// <code>
    /// builder.Services.AddRemasteredSession&lt;AppSession, CookieSessionStorage&gt;(builder.Configuration.GetSection("Sessions"));
    /// app.MapGet("/", (AppSession session) =&gt; $"Hello {session.UserName ?? "anonymous"}");
    /// </code>
    /// </example>
    public static IServiceCollection AddRemasteredSession<TSchema, TStorage>(this IServiceCollection services, Action<RemasteredSessionOptions>? configure = null)
        where TSchema : class, ISessionSchema<TSchema, TStorage>
        where TStorage : class
        => services.AddRemasteredSession<TSchema, TStorage>(configuration: null, configure, storageFactory: null);

    /// <summary>Registers <typeparamref name="TSchema"/> with options bound from <paramref name="configuration"/> (see the other overload).</summary>
    /// <typeparam name="TSchema">The generated schema.</typeparam>
    /// <typeparam name="TStorage">Its storage.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section, for example <c>builder.Configuration.GetSection("Sessions")</c>.</param>
    /// <param name="configure">Sets options in code after binding.</param>
    /// <param name="storageFactory">Builds the storage, at start-up, from the options (validated, except that no cookie secret is required: a storage built without the options' secrets may have its own); when omitted, the built-in storages are built from the options and any other comes from dependency injection.</param>
    public static IServiceCollection AddRemasteredSession<TSchema, TStorage>(
        this IServiceCollection services,
        IConfiguration? configuration,
        Action<RemasteredSessionOptions>? configure = null,
        Func<IServiceProvider, RemasteredSessionOptions, TStorage>? storageFactory = null)
        where TSchema : class, ISessionSchema<TSchema, TStorage>
        where TStorage : class
    {
        ArgumentNullException.ThrowIfNull(services);

        // A second registration would mix its options into the first one's and keep the first one's storage.
        if (services.Any(d => d.ServiceType == typeof(SessionRegistration) && d.ImplementationInstance is SessionRegistration registered && registered.Schema == typeof(TSchema)))
        {
            throw new InvalidOperationException(
                $"The session schema {typeof(TSchema).Name} is already registered. Register each schema once, and set all of its options in that call (a configuration section and a configure callback may be combined).");
        }

        // Each schema has options of its own (named after the schema), its own storage instance and its own cookie.
        var name = OptionsName<TSchema>();
        var optionsBuilder = services.AddOptions<RemasteredSessionOptions>(name);
        if (configuration is not null)
        {
            optionsBuilder.Bind(configuration);

            // "Secrets": "..." (or Sessions__Cookie__Secrets=...) is one secret: the binder would drop a single string
            // given for a list, leaving an app with no secret or, worse, on a placeholder list from appsettings.json
            // that the environment meant to replace. A single value therefore replaces the list.
            optionsBuilder.Configure(o =>
            {
                if (configuration.GetSection("Cookie:Secrets").Value is { Length: > 0 } single)
                {
                    o.Cookie.Secrets = [single];
                }
            });
        }

        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        // An application that always sends Secure (HTTPS only) gets the __Host- prefix on the default cookie name, so a
        // sibling subdomain cannot plant a cookie the browser would send alongside.
        optionsBuilder.PostConfigure(static o =>
        {
            if (o.SecurePolicy == CookieSecurePolicy.Always && o.Cookie.Name == DefaultCookieName && o.Cookie.Secure && o.Cookie.Path == "/" && o.Cookie.Domain is null)
            {
                o.Cookie.Name = "__Host-" + DefaultCookieName;
            }
        });
        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemasteredSessionOptions>, RemasteredSessionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ProblemDetailsOptions>, StoreOutageProblemDetails>());
        services.AddHttpContextAccessor();
        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);

        // The schema's storage, keyed by the schema; a storage registered without a key (a shared Redis storage, say)
        // serves every schema that has no storage of its own.
        static RemasteredSessionOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<RemasteredSessionOptions>>().Get(OptionsName<TSchema>());
        if (storageFactory is not null)
        {
            services.TryAddKeyedSingleton(typeof(TSchema), (sp, _) => storageFactory(sp, Options(sp)));
        }
        else if (typeof(TStorage) == typeof(CookieSessionStorage))
        {
            services.TryAddKeyedSingleton(typeof(TSchema), (sp, _) => (TStorage)(object)sp.CreateCookieSessionStorage(Options(sp)));
        }
        else if (typeof(TStorage) == typeof(MemorySessionStorage))
        {
            services.TryAddKeyedSingleton(typeof(TSchema), (sp, _) => (TStorage)(object)sp.CreateMemorySessionStorage(Options(sp)));
        }

        var buildsStorage = storageFactory is not null || typeof(TStorage) == typeof(CookieSessionStorage) || typeof(TStorage) == typeof(MemorySessionStorage);
        if (buildsStorage)
        {
            // The first schema's storage also resolves without a key, as it did before schemas had storages of their own.
            services.TryAddSingleton(static sp => sp.GetRequiredKeyedService<TStorage>(typeof(TSchema)));
        }

        services.AddSingleton(new SessionRegistration(
            typeof(TSchema),
            name,
            SessionMiddleware<TSchema, TStorage>.FindStorage,
            BuildsStorageFromOptions: storageFactory is null && buildsStorage,
            BuildsCookieStorage: storageFactory is null && typeof(TStorage) == typeof(CookieSessionStorage),
            static context => context.Features.Get<ISessionFeature<TSchema>>()?.InspectAsync(),
            static context => LoadAsync(context.Features.Get<ISessionFeature<TSchema>>())));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, DistinctCookiesStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IStartupFilter, ChosenSecretsStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<Microsoft.AspNetCore.Mvc.MvcOptions>, SessionModelBinding>());
        services.AddSingleton<IPostConfigureOptions<Microsoft.Extensions.Validation.ValidationOptions>>(new SessionValidationExclusion(typeof(TSchema)));
        // Commits after an endpoint that wrote no body, inside the pipeline (see SessionCommitBoundary).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Routing.MatcherPolicy, SessionCommitMatcherPolicy>());

        // Endpoints where the factory below had to block, each warned about once (bounded by the app's endpoints).
        var blockedEndpoints = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        services.TryAddScoped(sp =>
        {
            var context = sp.GetRequiredService<IHttpContextAccessor>().HttpContext
                ?? throw new InvalidOperationException($"{typeof(TSchema).Name} is a per-request service; it can only be resolved during a request.");
            var loading = context.GetSessionAsync<TSchema, TStorage>();
            if (loading.IsCompletedSuccessfully)
            {
                return loading.Result;
            }

            // Cookie and memory storages load synchronously, and the endpoint wrapper loads what handlers, controllers
            // and pages take ahead; anything else on a network storage blocks here once per request: say where, once.
            var endpoint = context.GetEndpoint()?.DisplayName ?? "(no endpoint)";
            if (blockedEndpoints.TryAdd(endpoint, true) && sp.GetService<ILogger<SessionMiddleware<TSchema, TStorage>>>() is { } logger)
            {
                SessionLog.LoadBlocked(logger, typeof(TSchema).Name, endpoint);
            }

            return loading.AsTask().GetAwaiter().GetResult();
        });
        services.AddTransient<IStartupFilter, SessionStartupFilter<TSchema, TStorage>>();
        return services;
    }

    /// <summary>Builds a <see cref="CookieSessionStorage"/> from the integration's options, logger and clock.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="options">The validated options.</param>
    public static CookieSessionStorage CreateCookieSessionStorage(this IServiceProvider services, RemasteredSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return new CookieSessionStorage(services.CreateSessionCookieOptions(options), services.GetService<ILogger<CookieSessionStorage>>(), services.GetService<TimeProvider>());
    }

    /// <summary>Builds a <see cref="MemorySessionStorage"/> from the integration's options, logger and clock.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="options">The validated options.</param>
    public static MemorySessionStorage CreateMemorySessionStorage(this IServiceProvider services, RemasteredSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return new MemorySessionStorage(
            new MemorySessionOptions { Cookie = services.CreateSessionCookieOptions(options), IdleTimeout = options.IdleTimeout, AbsoluteLifetime = options.AbsoluteLifetime, MaxSessions = options.MaxSessions },
            services.GetService<ILogger<MemorySessionStorage>>(),
            services.GetService<TimeProvider>());
    }

    /// <summary>The cookie options in force: the configured ones, protected by Data Protection when asked.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="options">The validated options.</param>
    public static CookieSessionOptions CreateSessionCookieOptions(this IServiceProvider services, RemasteredSessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var cookie = options.Cookie;
        if (options.UseDataProtection && !cookie.HasCustomProtector)
        {
            cookie.UseProtector(new DataProtectionCookieProtector(services.GetRequiredService<IDataProtectionProvider>()));
        }

        return cookie;
    }

    private static readonly string DefaultCookieName = new CookieSessionOptions().Name;

    /// <summary>Loads the request's session of a schema (nothing when no middleware attached one).</summary>
    private static ValueTask LoadAsync<TSchema>(ISessionFeature<TSchema>? feature)
        where TSchema : class
    {
        if (feature is null)
        {
            return default;
        }

        var loading = feature.GetAsync();
        if (loading.IsCompletedSuccessfully)
        {
            _ = loading.Result;
            return default;
        }

        return AwaitLoad(loading);

        static async ValueTask AwaitLoad(ValueTask<TSchema> loading) => await loading.ConfigureAwait(false);
    }

    /// <summary>The name of a schema's options: its full type name.</summary>
    internal static string OptionsName<TSchema>() => typeof(TSchema).FullName ?? typeof(TSchema).Name;

    private sealed class SessionStartupFilter<TSchema, TStorage> : IStartupFilter
        where TSchema : class, ISessionSchema<TSchema, TStorage>
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseMiddleware<SessionMiddleware<TSchema, TStorage>>();
            next(app);
        };
    }
}
