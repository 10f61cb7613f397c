namespace Remastered.Sessions.AspNetCore;

/// <summary>Options of the development session inspector (<see cref="SessionInspectorEndpointRouteBuilderExtensions.MapSessionInspector"/>).</summary>
public sealed class SessionInspectorOptions
{
    /// <summary>
    /// Maps the inspector outside the Development environment too. Off by default: the page shows the decrypted
    /// content of the caller's own session, which a cookie storage otherwise keeps from its holder.
    /// </summary>
    public bool AllowOutsideDevelopment { get; set; }
}
