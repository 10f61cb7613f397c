using System.Text.Json.Serialization;

namespace Remastered.Sessions.Tests.Support;

public sealed record CartLine(string Sku, int Quantity);

[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(CartLine))]
[JsonSerializable(typeof(List<CartLine>))]
internal sealed partial class TestJson : JsonSerializerContext;
