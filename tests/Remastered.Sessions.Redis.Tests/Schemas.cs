namespace Remastered.Sessions.Redis.Tests;

public sealed record CartLine(string Sku, int Quantity);

[Session<RedisSessionStorage>]
public partial class RedisAppSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial List<CartLine>? Cart { get; set; }
    [Flash] public partial string? Notice { get; set; }
}
