using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Remastered.Sessions.AspNetCore;

/// <summary>Set on a request whose session store could not be reached (its response is made a 503).</summary>
internal sealed class SessionStoreOutageFeature
{
    public static readonly SessionStoreOutageFeature Instance = new();

    private SessionStoreOutageFeature()
    {
    }
}

/// <summary>
/// A problem details body written for a request that met a store outage (<c>AddProblemDetails</c> with
/// <c>UseExceptionHandler()</c>, an <c>IExceptionHandler</c> that writes through <c>IProblemDetailsService</c>) says 503, as
/// the response does, instead of the exception handler's 500. Wraps the customization the application configured
/// (<c>AddProblemDetails(o => ...)</c>) and runs after it; a body that already says something other than 500 is left as the
/// application wrote it.
/// </summary>
internal sealed class StoreOutageProblemDetails : IPostConfigureOptions<ProblemDetailsOptions>
{
    // ProblemDetails defaults (RFC 9110) for 500, as ASP.NET Core fills them in, and for 503.
    private const string InternalErrorType = "https://tools.ietf.org/html/rfc9110#section-15.6.1";
    private const string InternalErrorTitle = "An error occurred while processing your request.";
    private const string UnavailableType = "https://tools.ietf.org/html/rfc9110#section-15.6.4";
    private const string UnavailableTitle = "Service Unavailable";

    public void PostConfigure(string? name, ProblemDetailsOptions options)
    {
        var application = options.CustomizeProblemDetails;
        options.CustomizeProblemDetails = context =>
        {
            application?.Invoke(context);
            if (context.HttpContext.Features.Get<SessionStoreOutageFeature>() is null || context.HttpContext.Response.HasStarted)
            {
                return;
            }

            var problem = context.ProblemDetails;
            if (problem.Status is not (null or StatusCodes.Status500InternalServerError))
            {
                return;
            }

            problem.Status = StatusCodes.Status503ServiceUnavailable;
            context.HttpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            if (problem.Type is null or InternalErrorType)
            {
                problem.Type = UnavailableType;
            }

            if (problem.Title is null or InternalErrorTitle)
            {
                problem.Title = UnavailableTitle;
            }
        };
    }
}
