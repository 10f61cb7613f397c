namespace Remastered.Sessions;

/// <summary>
/// Marks a <see langword="partial"/> property of a session schema as a flash key: setting it flashes the value, which
/// lives until the next request that loads the session commits.
/// </summary>
/// <param name="name">The key's name in the session; the property name in camelCase when omitted.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
public sealed class FlashAttribute(string? name = null) : Attribute
{
    /// <summary>The key's name in the session, or <see langword="null"/> for the property name in camelCase.</summary>
    public string? Name { get; } = name;
}
