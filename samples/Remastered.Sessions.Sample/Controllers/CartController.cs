using Microsoft.AspNetCore.Mvc;

namespace Remastered.Sessions.Sample.Controllers;

/// <summary>An MVC controller using the typed session through constructor and action injection.</summary>
/// <param name="session">This request's session (constructor injection).</param>
[ApiController]
[Route("mvc/cart")]
public sealed class CartController(AppSession session) : ControllerBase
{
    /// <summary>The cart, read through the constructor-injected session.</summary>
    [HttpGet]
    public IReadOnlyList<string> Get() => session.Cart ?? [];

    /// <summary>Whether the action-injected session is the very same per-request instance.</summary>
    /// <param name="fromAction">The session injected into the action.</param>
    [HttpGet("same-instance")]
    public bool SameInstance([FromServices] AppSession fromAction) => ReferenceEquals(fromAction, session);
}
