namespace Remastered.Sessions.AspNetCore;

/// <summary>One <c>AddRemasteredSession</c> call: the schema, the name of its options, and how to find its storage.</summary>
internal sealed record SessionRegistration(Type Schema, string OptionsName, Func<IServiceProvider, object?> Storage);
