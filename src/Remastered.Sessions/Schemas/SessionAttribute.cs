namespace Remastered.Sessions;

/// <summary>
/// Declares a session schema: a <see langword="partial"/> class whose <see cref="SessionKeyAttribute"/> and
/// <see cref="FlashAttribute"/> properties become strongly typed session keys over <typeparamref name="TStorage"/>.
/// The source generator emits the accessors, <c>LoadAsync</c>, <c>CommitAsync</c>, a typed <c>Store</c> and a
/// <c>Value</c> union of the schema's value types.
/// </summary>
/// <typeparam name="TStorage">
/// The storage sessions of this schema live in. Its value type decides what the schema may hold: JSON values for
/// <see cref="CookieSessionStorage"/>, any object for <see cref="MemorySessionStorage"/>.
/// </typeparam>
/// <example>
/// <code>
/// [Session&lt;CookieSessionStorage&gt;]
/// public partial class AppSession
/// {
///     [SessionKey("user_id")] public partial int? UserId { get; set; }
///     [Flash] public partial string? Notice { get; set; }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class SessionAttribute<TStorage> : Attribute
    where TStorage : class
{
}
