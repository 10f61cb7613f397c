using Microsoft.AspNetCore.Http;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// One <c>AddRemasteredSession</c> call: the schema, the name of its options, how to find its storage, whether the
/// storage is built from those options (so that their cookie secrets are needed), and how the development inspector
/// reads the request's session of this schema without committing it, and how an endpoint that takes the schema as a
/// parameter gets it loaded before it runs.
/// </summary>
internal sealed record SessionRegistration(
    Type Schema,
    string OptionsName,
    Func<IServiceProvider, object?> Storage,
    bool BuildsStorage,
    Func<HttpContext, ValueTask<SessionInspection>?> Inspect,
    Func<HttpContext, ValueTask> Load);
