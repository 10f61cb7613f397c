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
    {
        ArgumentNullException.ThrowIfNull(context);
        var state = context.Features.Get<SessionRequestState<TSchema, TStorage>>()
            ?? throw new InvalidOperationException($"No session of type {typeof(TSchema).Name} is attached to this request. Register it with services.AddRemasteredSession<{typeof(TSchema).Name}, {typeof(TStorage).Name}>(...); the middleware is added automatically.");
        return state.GetAsync();
    }
}
