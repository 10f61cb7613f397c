using System.Text.Json.Serialization;

namespace Remastered.Sessions.Generator.Tests.Schemas;

public enum Color { Red, Green, Blue }

public enum Big : long { Small = 1, Huge = long.MaxValue }

/// <summary>A class built from settable properties.</summary>
public sealed class Profile
{
    public string? Name { get; set; }

    public int Age { get; set; }

    [JsonPropertyName("e-mail")]
    public string? Email { get; set; }

    [JsonIgnore]
    public string Secret { get; set; } = "never serialized";

    public List<string>? Tags { get; set; }
}

/// <summary>A struct built by its constructor.</summary>
public readonly record struct Point(int X, int Y);

/// <summary>A record nesting other records, collections and dictionaries.</summary>
public sealed record Order(Guid Id, IReadOnlyList<Point> Points, Dictionary<string, decimal> Prices, Profile? Owner, Color Color);

[Session<CookieSessionStorage>]
public partial class AllTypesSession
{
    [SessionKey] public partial bool? Flag { get; set; }
    [SessionKey] public partial byte? Byte { get; set; }
    [SessionKey] public partial sbyte? SByte { get; set; }
    [SessionKey] public partial short? Short { get; set; }
    [SessionKey] public partial ushort? UShort { get; set; }
    [SessionKey] public partial int? Int { get; set; }
    [SessionKey] public partial uint? UInt { get; set; }
    [SessionKey] public partial long? Long { get; set; }
    [SessionKey] public partial ulong? ULong { get; set; }
    [SessionKey] public partial float? Float { get; set; }
    [SessionKey] public partial double? Double { get; set; }
    [SessionKey] public partial decimal? Decimal { get; set; }
    [SessionKey] public partial char? Char { get; set; }
    [SessionKey] public partial string? Text { get; set; }
    [SessionKey] public partial Guid? Guid { get; set; }
    [SessionKey] public partial DateTime? DateTime { get; set; }
    [SessionKey] public partial DateTimeOffset? DateTimeOffset { get; set; }
    [SessionKey] public partial DateOnly? DateOnly { get; set; }
    [SessionKey] public partial TimeOnly? TimeOnly { get; set; }
    [SessionKey] public partial TimeSpan? TimeSpan { get; set; }
    [SessionKey] public partial Uri? Uri { get; set; }
    [SessionKey] public partial byte[]? Bytes { get; set; }
    [SessionKey] public partial Color? Color { get; set; }
    [SessionKey] public partial Big? Big { get; set; }
    [SessionKey] public partial int[]? IntArray { get; set; }
    [SessionKey] public partial List<string?>? Strings { get; set; }
    [SessionKey] public partial HashSet<int>? IntSet { get; set; }
    [SessionKey] public partial IReadOnlyCollection<long>? ReadOnlyLongs { get; set; }
    [SessionKey] public partial IReadOnlySet<string>? ReadOnlySet { get; set; }
    [SessionKey] public partial Dictionary<string, int>? Counts { get; set; }
    [SessionKey] public partial IReadOnlyDictionary<string, List<int>>? Nested { get; set; }
    [SessionKey] public partial Point? Point { get; set; }
    [SessionKey] public partial Profile? Profile { get; set; }
    [SessionKey] public partial Order? Order { get; set; }
    [SessionKey] public partial List<Order>? Orders { get; set; }
}
