using System.Diagnostics.CodeAnalysis;

namespace Remastered.Sessions.Generator.Tests.Schemas;

public enum Theme { Light, Dark }

public readonly record struct Dimensions(int Width, int Height);

internal sealed record InternalLine(string Sku, int Quantity);

public sealed class Account
{
    public required string Login { get; init; }

    public string? DisplayName { get; set; }
}

public sealed class Invite
{
    [SetsRequiredMembers]
    public Invite(string code) => Code = code;

    public required string Code { get; init; }
}

public sealed record Versioned(string Name, int Quantity = 5, string Label = "none", Theme Theme = Theme.Dark, decimal Price = 1.5m);

public sealed class MenuNode
{
    public string Title { get; set; } = "";

    public List<MenuNode> Children { get; set; } = [];

    public MenuNode? Next { get; set; }
}

public sealed class InternalCtor
{
    [System.Text.Json.Serialization.JsonConstructor]
    internal InternalCtor(int value) => Value = value;

    public int Value { get; }
}

/// <summary>Declarations a new user writes: non-nullable value keys, keywords, required members, less visible types.</summary>
[Session<CookieSessionStorage>]
public partial class OrdinarySession
{
    [SessionKey] public partial int Count { get; set; }
    [SessionKey] public partial bool Agreed { get; set; }
    [SessionKey] public partial Theme Theme { get; set; }
    [SessionKey] public partial Dimensions Window { get; set; }
    [Flash] public partial int Saved { get; set; }
    [SessionKey] public partial double Ratio { get; set; }
    [SessionKey] public partial List<double>? Readings { get; set; }
    [SessionKey] public partial string? @event { get; set; }
    [SessionKey] public partial Account? Account { get; set; }
    [SessionKey] public partial Invite? Invite { get; set; }
    [SessionKey] internal partial List<InternalLine>? Lines { get; set; }
    [SessionKey] public partial List<string>? Tags { get; set; }
    [SessionKey] public partial List<string?>? MaybeTags { get; set; }
    [SessionKey] public partial List<int[]>? ListOfArrays { get; set; }
    [SessionKey] public partial List<int>[]? ArrayOfLists { get; set; }
    [SessionKey] public partial Versioned? Versioned { get; set; }
    [SessionKey] public partial MenuNode? Menu { get; set; }
    [SessionKey] public partial InternalCtor? Internal { get; set; }
    [SessionKey] public partial TimeOnly Opening { get; set; }
}

/// <summary>A key of a private nested type: the union and the untyped store become private too, usable inside.</summary>
[Session<CookieSessionStorage>]
public partial class HiddenSession
{
    [SessionKey] private partial Secret? Hidden { get; set; }

    private sealed record Secret(string Value);

    public bool HiddenIsInStore => Store.Get("hidden") is Value.Secret;

    public string? HiddenValue
    {
        get => Hidden?.Value;
        set => Hidden = value is null ? null : new Secret(value);
    }
}
