using Microsoft.AspNetCore.Http;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// One <c>AddRemasteredSession</c> call: the schema, the name of its options, how to find its storage, whether the
/// integration itself builds a cookie or memory storage from those options (so that their cookie secrets are needed at
/// start-up; a <c>storageFactory</c> may not use them, and fails when the storage is built if it needed them), whether
/// that storage is the cookie storage (which has no use for the server-side lifetimes), and how the development inspector
/// reads the request's session of this schema without committing it, and how an endpoint that takes the schema as a
/// parameter gets it loaded before it runs.
/// </summary>
internal sealed record SessionRegistration(
    Type Schema,
    string OptionsName,
    Func<IServiceProvider, object?> Storage,
    bool BuildsStorageFromOptions,
    bool BuildsCookieStorage,
    Func<HttpContext, ValueTask<SessionInspection>?> Inspect,
    Func<HttpContext, ValueTask> Load);
