namespace Remastered.Sessions.Sample;

/// <summary>
/// The sample's session. Its storage (cookie, memory or Redis) is chosen at start-up with <c>--storage</c>, so the
/// schema is declared over <see cref="JsonSessionStorage"/> and checked as JSON-only.
/// </summary>
[Session<JsonSessionStorage>]
public partial class AppSession
{
    /// <summary>The signed-in user's name, or null for an anonymous visitor.</summary>
    [SessionKey] public partial string? Name { get; set; }

    /// <summary>The SKUs in the cart, in order of adding.</summary>
    [SessionKey] public partial List<string>? Cart { get; set; }

    /// <summary>A one-time message shown on the next page.</summary>
    [Flash("flash")] public partial string? Message { get; set; }
}
