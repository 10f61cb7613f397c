using System.Text.Json.Serialization;

namespace Remastered.Sessions.Generator.Tests.Schemas;

public sealed record CartItem(string Sku, int Quantity)
{
    [JsonPropertyName("unit_price")]
    public decimal UnitPrice { get; init; }

    [JsonIgnore]
    public string Display => $"{Quantity} x {Sku}";
}

[Session<CookieSessionStorage>]
public partial class AppSession
{
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

[Session<MemorySessionStorage>]
public partial class MemorySession
{
    [SessionKey] public partial MemoryStream? Upload { get; set; }
    [SessionKey("user_id")] public partial int? UserId { get; set; }
    [Flash] public partial string? Notice { get; set; }
}
