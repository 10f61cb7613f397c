namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// One <c>AddRemasteredSession</c> call: the schema, the name of its options, how to find its storage, and whether the
/// storage is built from those options (so that their cookie secrets are needed).
/// </summary>
internal sealed record SessionRegistration(Type Schema, string OptionsName, Func<IServiceProvider, object?> Storage, bool BuildsStorage);
