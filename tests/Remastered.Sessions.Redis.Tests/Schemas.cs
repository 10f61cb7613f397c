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
    [SessionKey] public partial System.Collections.Immutable.ImmutableList<CartLine>? Saved { get; set; }
    [SessionKey] public partial Dictionary<int, int>? Quantities { get; set; }
    [SessionKey] public partial Dictionary<Guid, string>? Notes { get; set; }
}

/// <summary><see cref="Preferences"/> after a deploy that added a member.</summary>
public sealed class PreferencesV2
{
    public string? Theme { get; set; }

    public List<string> Pinned { get; set; } = [];

    public int? FontSize { get; set; }
}

/// <summary><see cref="RedisTrackedSession"/>'s keys as the next version of the application declares them.</summary>
[Session<RedisSessionStorage>]
public partial class RedisTrackedSessionV2
{
    [SessionKey("preferences")] public partial PreferencesV2? Preferences { get; set; }
    [SessionKey("visits")] public partial int Visits { get; set; }
}

/// <summary>State in a captured primary constructor parameter, changed by a method: no setter anywhere.</summary>
public sealed class Tally(int count)
{
    public int Count => count;

    public void Add() => count++;
}

/// <summary>A type that gained a member filled in by <c>DateTime.UtcNow</c> after values of it were stored.</summary>
public sealed class Reminder
{
    public string? Text { get; set; }

    public DateTime Created { get; set; } = DateTime.UtcNow;
}

[Session<RedisSessionStorage>]
public partial class RedisHiddenStateSession
{
    [SessionKey] public partial Tally? Tally { get; set; }
    [SessionKey] public partial Reminder? Reminder { get; set; }
    [SessionKey] public partial int Visits { get; set; }
}
