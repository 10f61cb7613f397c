using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Remastered.Sessions.Sample.Pages;

/// <summary>A Razor Page that receives the typed session by constructor injection.</summary>
/// <param name="session">This request's session.</param>
public sealed class SummaryModel(AppSession session) : PageModel
{
    /// <summary>This request's session.</summary>
    public AppSession Session { get; } = session;
}
