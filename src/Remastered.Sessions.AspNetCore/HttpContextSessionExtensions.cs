using Microsoft.AspNetCore.Http;

namespace Remastered.Sessions.AspNetCore;

/// <summary>The typed session of a request, from <see cref="HttpContext"/>.</summary>
public static class HttpContextSessionExtensions
{
    /// <summary>
    /// The request's session of schema <typeparamref name="TSchema"/>, loaded on first use and the same instance after.
    /// Prefer this in code that can await (it never blocks, whatever the storage).
    /// </summary>
    /// <typeparam name="TSchema">A schema registered with <c>AddRemasteredSession</c>.</typeparam>
    /// <typeparam name="TStorage">Its storage type.</typeparam>
    /// <param name="context">The request.</param>
    /// <exception cref="InvalidOperationException">The schema is not registered or the middleware did not run.</exception>
    public static ValueTask<TSchema> GetSessionAsync<TSchema, TStorage>(this HttpContext context)
        where TSchema : class, ISessionSchema<TSchema, TStorage>
        => context.GetSessionAsync<TSchema>();

    /// <summary>
    /// The request's session of schema <typeparamref name="TSchema"/>, loaded on first use and the same instance after,
    /// without naming its storage. This overload constrains <typeparamref name="TSchema"/> to a class only, so it
    /// also binds where the schema's generated code is not visible: in handlers that ASP.NET Core's minimal-API source
    /// generator (Native AOT, trimming) compiles, a lambda that awaits it keeps its return type.
    /// </summary>
    /// <typeparam name="TSchema">A schema registered with <c>AddRemasteredSession</c>.</typeparam>
    /// <param name="context">The request.</param>
    /// <exception cref="InvalidOperationException">The schema is not registered or the middleware did not run.</exception>
    /// <example>
    /// <code>
    /// app.MapGet("/me", async (HttpContext context) =&gt; (await context.GetSessionAsync&lt;AppSession&gt;()).UserName ?? "anonymous");
    /// </code>
    /// </example>
    public static ValueTask<TSchema> GetSessionAsync<TSchema>(this HttpContext context)
        where TSchema : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var session = context.Features.Get<ISessionFeature<TSchema>>()
            ?? throw new InvalidOperationException($"No session of type {typeof(TSchema).Name} is attached to this request. Register it with services.AddRemasteredSession<{typeof(TSchema).Name}, TStorage>(...); the middleware is added automatically.");
        return session.GetAsync();
    }
}
