using System.Text.Json.Serialization;

namespace Remastered.Sessions.Benchmarks.Scenarios;

public sealed record UserInfo(int Id, string Name, string Email, string[] Roles);

public sealed record CartItem(string Sku, string Title, int Quantity, decimal UnitPrice);

/// <summary>The three session sizes of the suite (JSON sizes are printed by <see cref="SessionData.Describe"/>).</summary>
public enum SessionSize
{
    /// <summary>About 100 B of JSON: an id, a name and a flash.</summary>
    Small,

    /// <summary>About 1 KB: a user and a 10-item cart.</summary>
    Medium,

    /// <summary>About 3 KB: a user, a 20-item cart and a browsing history.</summary>
    Large,
}

public static class SessionData
{
    private static int _visits;

    /// <summary>
    /// A number that differs on every call: added to the value each request sets, so that the set is a real change
    /// for every contender (a storage that skips unchanged values must still write it).
    /// </summary>
    public static int NextVisit() => Interlocked.Increment(ref _visits);

    public static UserInfo User(SessionSize size) => size == SessionSize.Small
        ? new UserInfo(42, "Ada", "", [])
        : new UserInfo(42, "Ada Lovelace", "ada@example.test", ["customer", "beta"]);

    public static List<CartItem> Cart(SessionSize size) => size switch
    {
        SessionSize.Small => [],
        SessionSize.Medium => [.. Enumerable.Range(0, 10).Select(i => new CartItem($"SKU-{1000 + i}", $"Product number {i}", 1 + (i % 3), 9.99m + i))],
        _ => [.. Enumerable.Range(0, 20).Select(i => new CartItem($"SKU-{1000 + i}", $"Product number {i}", 1 + (i % 3), 9.99m + i))],
    };

    public static List<string> History(SessionSize size) => size == SessionSize.Large
        ? [.. Enumerable.Range(0, 30).Select(i => $"/products/category-{i % 5}/item-{i}")]
        : [];
}

/// <summary>System.Text.Json metadata for the hand-written baselines and the untyped store (reflection-free).</summary>
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(List<CartItem>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
public sealed partial class BenchJson : JsonSerializerContext;

/// <summary>The generated schema used by the suite (cookie storage).</summary>
[Session<CookieSessionStorage>]
public partial class CookieBenchSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial UserInfo? User { get; set; }
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial List<string>? History { get; set; }
    [SessionKey] public partial int? Visits { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

/// <summary>The same schema over the memory storage.</summary>
[Session<MemorySessionStorage>]
public partial class MemoryBenchSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial UserInfo? User { get; set; }
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial List<string>? History { get; set; }
    [SessionKey] public partial int? Visits { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

/// <summary>The same schema over Redis.</summary>
[Session<Remastered.Sessions.Redis.RedisSessionStorage>]
public partial class RedisBenchSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial UserInfo? User { get; set; }
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial List<string>? History { get; set; }
    [SessionKey] public partial int? Visits { get; set; }
    [Flash] public partial string? Notice { get; set; }
}
