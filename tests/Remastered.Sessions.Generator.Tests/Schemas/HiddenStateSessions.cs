using System.Text.Json.Serialization;

namespace Remastered.Sessions.Generator.Tests.Schemas;

/// <summary>State in a captured primary constructor parameter, changed by a method (no setter anywhere).</summary>
public sealed class StepCounter(int value)
{
    public int Value => value;

    public void Increment() => value++;
}

/// <summary>State in a private field behind a computed property, changed by a method.</summary>
public sealed class Scoreboard
{
    private int _count;

    public Scoreboard(int count) => _count = count;

    public int Count => _count;

    public void Add() => _count++;
}

/// <summary>A record whose init-only property is backed by a field that a method changes.</summary>
public sealed record Thermostat
{
    private int _degrees;

    public int Degrees { get => _degrees; init => _degrees = value; }

    public void Warm() => _degrees++;
}

/// <summary>An immutable-looking record holding a changeable class.</summary>
public sealed record Labelled(string Label, StepCounter Counter);

/// <summary>Filled in by <c>DateTime.UtcNow</c> when the stored JSON lacks it (a value stored before the member existed).</summary>
public sealed class Memo
{
    public DateTime Created { get; set; } = DateTime.UtcNow;

    public List<string> Lines { get; set; } = [];
}

/// <summary>Left out of the JSON when it is the default, and then read as a new Guid.</summary>
public sealed class Ticket
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Guid Id { get; set; } = Guid.NewGuid();

    public List<string> Notes { get; set; } = [];
}

/// <summary>Set by the constructor's body when the JSON lacks it.</summary>
public sealed class Stamped
{
    public Stamped() => At = DateTime.UtcNow.Ticks + Random.Shared.Next(1, 1000);

    public long At { get; set; }

    public List<int> Values { get; set; } = [];
}

/// <summary>Fixed initializers only: a read that fills them in gives the same value each time.</summary>
public sealed class Settings
{
    public int Size { get; set; } = 10;

    public string Theme { get; set; } = string.Empty;

    public DayOfWeek FirstDay { get; set; } = DayOfWeek.Monday;

    public List<string> Tags { get; set; } = ["a", "b"];
}

/// <summary>Holds a clock reading from its initializer.</summary>
public sealed class Meta
{
    public DateTime At { get; set; } = DateTime.UtcNow;
}

/// <summary>Builds a <see cref="Meta"/> with <c>new()</c> when the JSON lacks it.</summary>
public sealed class Envelope
{
    public string Name { get; set; } = string.Empty;

    public Meta Meta { get; set; } = new();

    public List<Meta> Metas { get; set; } = [new()];
}

/// <summary>A generic type building its item with <c>new T()</c>.</summary>
public sealed class Holder<T>
    where T : new()
{
    public string Name { get; set; } = string.Empty;

    public T Item { get; set; } = new T();
}

/// <summary>A struct whose parameterless constructor sets a member from the clock.</summary>
public struct Stamp
{
    public Stamp() => At = DateTime.UtcNow;

    public DateTime At { get; set; }

    public string Name { get; set; } = string.Empty;
}

/// <summary>An id made by its getter on first use.</summary>
public sealed class LazyId
{
    private Guid _id;
    private string? _code;

    public string Name { get; set; } = string.Empty;

    public Guid Id
    {
        get
        {
            if (_id == Guid.Empty)
            {
                _id = Guid.NewGuid();
            }

            return _id;
        }

        set => _id = value;
    }

    public string Code { get => _code ??= Guid.NewGuid().ToString("N"); set => _code = value; }
}

/// <summary>A computed property on the clock: written, never read back.</summary>
public sealed class Aging
{
    public string Name { get; set; } = string.Empty;

    public DateTime Created { get; set; }

    public TimeSpan Age => DateTime.UtcNow - Created;
}

/// <summary>A setter that also stamps another stored member: reading the stored JSON changes it.</summary>
public sealed class Touched
{
    private List<string> _items = [];

    public DateTime LastChanged { get; set; }

    public List<string> Items
    {
        get => _items;
        set
        {
            _items = value;
            LastChanged = DateTime.UtcNow;
        }
    }
}

/// <summary>A setter that counts: reading the stored JSON moves the count.</summary>
public sealed class Counted
{
    private string _title = string.Empty;

    public int Version { get; set; }

    public string Title
    {
        get => _title;
        set
        {
            _title = value;
            Version++;
        }
    }
}

/// <summary>A setter that checks another member: which is set first matters.</summary>
public sealed class Bounds
{
    private int _max;

    public int Min { get; set; }

    public int Max
    {
        get => _max;
        set => _max = value < Min ? throw new ArgumentOutOfRangeException(nameof(value), "Max is below Min") : value;
    }
}

/// <summary>A record built through its constructor whose setter counts: the JSON's order and repeats matter.</summary>
public sealed record Ledger(string Name)
{
    private int _count;

    public int Changes { get; set; }

    public int Count
    {
        get => _count;
        set
        {
            _count = value;
            Changes++;
        }
    }
}

/// <summary>A class built through its constructor whose setter appends to another member.</summary>
public sealed class Audited(int id)
{
    private string _name = string.Empty;

    public int Id { get; } = id;

    public List<string> Log { get; set; } = [];

    public string Name
    {
        get => _name;
        set
        {
            _name = value;
            Log.Add(value);
        }
    }
}

/// <summary>A primary constructor parameter captured by members declared in another part of the type.</summary>
public sealed partial class SplitCounter(int count);

public sealed partial class SplitCounter
{
    public int Count => count;

    public void Increment() => count++;
}

public abstract record Entity(Guid Id);

/// <summary>A record whose primary constructor passes a new Guid to its base's.</summary>
public sealed record Shipment(string Name) : Entity(Guid.NewGuid())
{
    public List<string> Lines { get; set; } = [];
}

public interface IHiddenStateSession
{
    StepCounter? Counter { get; set; }

    Scoreboard? Scoreboard { get; set; }

    Thermostat? Thermostat { get; set; }

    List<StepCounter>? Counters { get; set; }

    Labelled? Labelled { get; set; }

    Memo? Memo { get; set; }

    Ticket? Ticket { get; set; }

    Stamped? Stamped { get; set; }

    Settings? Settings { get; set; }

    Envelope? Envelope { get; set; }

    Holder<Meta>? Holder { get; set; }

    Stamp[]? Stamps { get; set; }

    LazyId? LazyId { get; set; }

    Aging? Aging { get; set; }

    Touched? Touched { get; set; }

    Counted? Counted { get; set; }

    Bounds? Bounds { get; set; }

    Ledger? Ledger { get; set; }

    Audited? Audited { get; set; }

    SplitCounter? SplitCounter { get; set; }

    Shipment? Shipment { get; set; }

    bool IsDirty { get; }

    ValueTask<string?> CommitAsync(CancellationToken cancellationToken = default);
}

[Session<CookieSessionStorage>]
public partial class CookieHiddenStateSession : IHiddenStateSession
{
    [SessionKey] public partial StepCounter? Counter { get; set; }
    [SessionKey] public partial Scoreboard? Scoreboard { get; set; }
    [SessionKey] public partial Thermostat? Thermostat { get; set; }
    [SessionKey] public partial List<StepCounter>? Counters { get; set; }
    [SessionKey] public partial Labelled? Labelled { get; set; }
    [SessionKey] public partial Memo? Memo { get; set; }
    [SessionKey] public partial Ticket? Ticket { get; set; }
    [SessionKey] public partial Stamped? Stamped { get; set; }
    [SessionKey] public partial Settings? Settings { get; set; }
    [SessionKey] public partial Envelope? Envelope { get; set; }
    [SessionKey] public partial Holder<Meta>? Holder { get; set; }
    [SessionKey] public partial Stamp[]? Stamps { get; set; }
    [SessionKey] public partial LazyId? LazyId { get; set; }
    [SessionKey] public partial Aging? Aging { get; set; }
    [SessionKey] public partial Touched? Touched { get; set; }
    [SessionKey] public partial Counted? Counted { get; set; }
    [SessionKey] public partial Bounds? Bounds { get; set; }
    [SessionKey] public partial Ledger? Ledger { get; set; }
    [SessionKey] public partial Audited? Audited { get; set; }
    [SessionKey] public partial SplitCounter? SplitCounter { get; set; }
    [SessionKey] public partial Shipment? Shipment { get; set; }
}

[Session<JsonSessionStorage>]
public partial class JsonHiddenStateSession : IHiddenStateSession
{
    [SessionKey] public partial StepCounter? Counter { get; set; }
    [SessionKey] public partial Scoreboard? Scoreboard { get; set; }
    [SessionKey] public partial Thermostat? Thermostat { get; set; }
    [SessionKey] public partial List<StepCounter>? Counters { get; set; }
    [SessionKey] public partial Labelled? Labelled { get; set; }
    [SessionKey] public partial Memo? Memo { get; set; }
    [SessionKey] public partial Ticket? Ticket { get; set; }
    [SessionKey] public partial Stamped? Stamped { get; set; }
    [SessionKey] public partial Settings? Settings { get; set; }
    [SessionKey] public partial Envelope? Envelope { get; set; }
    [SessionKey] public partial Holder<Meta>? Holder { get; set; }
    [SessionKey] public partial Stamp[]? Stamps { get; set; }
    [SessionKey] public partial LazyId? LazyId { get; set; }
    [SessionKey] public partial Aging? Aging { get; set; }
    [SessionKey] public partial Touched? Touched { get; set; }
    [SessionKey] public partial Counted? Counted { get; set; }
    [SessionKey] public partial Bounds? Bounds { get; set; }
    [SessionKey] public partial Ledger? Ledger { get; set; }
    [SessionKey] public partial Audited? Audited { get; set; }
    [SessionKey] public partial SplitCounter? SplitCounter { get; set; }
    [SessionKey] public partial Shipment? Shipment { get; set; }
}

[Session<MemorySessionStorage>]
public partial class MemoryHiddenStateSession : IHiddenStateSession
{
    [SessionKey] public partial StepCounter? Counter { get; set; }
    [SessionKey] public partial Scoreboard? Scoreboard { get; set; }
    [SessionKey] public partial Thermostat? Thermostat { get; set; }
    [SessionKey] public partial List<StepCounter>? Counters { get; set; }
    [SessionKey] public partial Labelled? Labelled { get; set; }
    [SessionKey] public partial Memo? Memo { get; set; }
    [SessionKey] public partial Ticket? Ticket { get; set; }
    [SessionKey] public partial Stamped? Stamped { get; set; }
    [SessionKey] public partial Settings? Settings { get; set; }
    [SessionKey] public partial Envelope? Envelope { get; set; }
    [SessionKey] public partial Holder<Meta>? Holder { get; set; }
    [SessionKey] public partial Stamp[]? Stamps { get; set; }
    [SessionKey] public partial LazyId? LazyId { get; set; }
    [SessionKey] public partial Aging? Aging { get; set; }
    [SessionKey] public partial Touched? Touched { get; set; }
    [SessionKey] public partial Counted? Counted { get; set; }
    [SessionKey] public partial Bounds? Bounds { get; set; }
    [SessionKey] public partial Ledger? Ledger { get; set; }
    [SessionKey] public partial Audited? Audited { get; set; }
    [SessionKey] public partial SplitCounter? SplitCounter { get; set; }
    [SessionKey] public partial Shipment? Shipment { get; set; }
}
