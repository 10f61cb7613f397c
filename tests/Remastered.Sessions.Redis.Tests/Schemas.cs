namespace Remastered.Sessions.Redis.Tests;

public sealed record CartLine(string Sku, int Quantity);

[Session<RedisSessionStorage>]
public partial class RedisAppSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial List<CartLine>? Cart { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

public sealed class Preferences
{
    public string? Theme { get; set; }

    public List<string> Pinned { get; set; } = [];
}

[Session<RedisSessionStorage>]
public partial class RedisTrackedSession
{
    [SessionKey] public partial List<CartLine>? Cart { get; set; }
    [SessionKey] public partial Dictionary<string, int>? Counts { get; set; }
    [SessionKey] public partial Preferences? Preferences { get; set; }
    [SessionKey] public partial int Visits { get; set; }
}
