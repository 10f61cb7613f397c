using System.Text.Json.Serialization;

namespace Remastered.Sessions.Generator.Tests.Schemas;

/// <summary>An id made on construction and never read back (a getter-only property outside any constructor).</summary>
public sealed class Draft
{
    public Guid Id { get; } = Guid.NewGuid();

    public string? Title { get; set; }
}

/// <summary>A counter whose setter is private: System.Text.Json writes it and does not read it back.</summary>
public sealed class Tally
{
    public int Total { get; private set; }

    public string? Label { get; set; }

    public void Add(int amount) => Total += amount;
}

/// <summary>Two constructors: System.Text.Json reads with the public parameterless one.</summary>
public sealed class TwoConstructors
{
    public TwoConstructors()
    {
    }

    public TwoConstructors(string name) => Name = name.ToUpperInvariant();

    public string? Name { get; set; }
}

/// <summary>A struct whose data is set by a constructor System.Text.Json does not call (it reads structs with the default one).</summary>
public readonly struct ReadOnlyPoint
{
    public ReadOnlyPoint(int x) => X = x;

    public int X { get; }
}

// RMS015 warns that Draft.Id and Tally.Total do not survive a round trip: these schemas test exactly that case.
#pragma warning disable RMS015

/// <summary>Read-back cases over the cookie storage.</summary>
[Session<CookieSessionStorage>]
public partial class ReadBackSession
{
    [SessionKey] public partial Draft? Draft { get; set; }

    [SessionKey] public partial Tally? Tally { get; set; }

    [SessionKey] public partial List<Draft>? Drafts { get; set; }

    [SessionKey] public partial TwoConstructors? Named { get; set; }

    [SessionKey] public partial ReadOnlyPoint Point { get; set; }
}

/// <summary>The same over the JSON storage on memory.</summary>
[Session<JsonSessionStorage>]
public partial class JsonReadBackSession
{
    [SessionKey] public partial Draft? Draft { get; set; }

    [SessionKey] public partial Tally? Tally { get; set; }
}

#pragma warning restore RMS015

/// <summary>A profile as an earlier version of the application stored it.</summary>
public sealed class ProfileV1
{
    public string? Name { get; set; }

    public int Old { get; set; }

    public List<string> Tags { get; set; } = [];
}

/// <summary>The same profile after a deploy: a member removed, the others reordered, one added.</summary>
public sealed class ProfileV2
{
    public List<string> Tags { get; set; } = [];

    public string? Name { get; set; }

    public int? Added { get; set; }
}

/// <summary>Stores profiles as the earlier version did.</summary>
[Session<CookieSessionStorage>]
public partial class ProfileV1Session
{
    [SessionKey("profile")] public partial ProfileV1? Profile { get; set; }

    [SessionKey("profiles")] public partial List<ProfileV1>? Profiles { get; set; }
}

/// <summary>Reads them after the deploy, under the same keys.</summary>
[Session<CookieSessionStorage>]
public partial class ProfileV2Session
{
    [SessionKey("profile")] public partial ProfileV2? Profile { get; set; }

    [SessionKey("profiles")] public partial List<ProfileV2>? Profiles { get; set; }
}

/// <summary>Members ordered by <c>[JsonPropertyOrder]</c>, as System.Text.Json writes them.</summary>
public sealed class Ordered
{
    [System.Text.Json.Serialization.JsonPropertyOrder(2)] public int A { get; set; }

    public int B { get; set; }

    [System.Text.Json.Serialization.JsonPropertyOrder(-1)] public string? C { get; set; }

    public int D { get; set; }
}

/// <summary>Holds an <see cref="Ordered"/>.</summary>
[Session<CookieSessionStorage>]
public partial class OrderedSession
{
    [SessionKey] public partial Ordered? Ordered { get; set; }
}

/// <summary>Members left out by <c>[JsonIgnore(Condition = ...)]</c> only when null or default, and one never ignored.</summary>
public sealed class Conditional
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Note { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int Zero { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public Guid Id { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<int>? Numbers { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)] public string? Always { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWriting)] public int NeverWritten { get; set; }
    [JsonIgnore] public int Ignored { get; set; }
    public int X { get; set; }
}

/// <summary>A record whose constructor parameter may be left out, and a required member that may be.</summary>
public sealed record ConditionalRecord([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Opt, int X)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public required int? Level { get; init; }
}

/// <summary>Constructor parameters bound to ignored members: System.Text.Json passes their defaults.</summary>
public sealed record IgnoredParameters(int A, [property: JsonIgnore] int B, [property: JsonIgnore] string C = "c");

/// <summary>Holds the conditional types.</summary>
[Session<CookieSessionStorage>]
public partial class ConditionalSession
{
    [SessionKey] public partial IgnoredParameters? Ignoring { get; set; }

    [SessionKey] public partial Conditional? Conditional { get; set; }
    [SessionKey] public partial ConditionalRecord? Record { get; set; }
}

/// <summary>An unsealed schema without constructors: it keeps a (protected, throwing) parameterless constructor.</summary>
[Session<CookieSessionStorage>]
public partial class UnsealedSession
{
    [SessionKey] public partial int? N { get; set; }
}

/// <summary>A plain class derived from a schema compiles, as it did before the generator ran.</summary>
public class DerivedFromSchema : UnsealedSession;

/// <summary>A record that gained parameters after sessions were stored with only its first.</summary>
public sealed record Grown(int A, string? Email, int Count, string Label = "none");

/// <summary>Holds a <see cref="Grown"/>.</summary>
[Session<CookieSessionStorage>]
public sealed partial class GrownSession
{
    [SessionKey] public partial Grown? Grown { get; set; }
}

/// <summary>A base with a virtual secret that a derived type ignores.</summary>
public class BaseEntity
{
    public virtual string? Password { get; set; }

    public string? User { get; set; }
}

/// <summary>Ignores the overridden secret: neither it nor the base property is stored.</summary>
public class GuardedAccount : BaseEntity
{
    [JsonIgnore] public override string? Password { get; set; }
}

/// <summary>Virtual members, one renamed in the base.</summary>
public class RenamedBase
{
    public virtual int Age { get; set; }

    [JsonPropertyName("nm")] public virtual string? Ren { get; set; }
}

/// <summary>Overrides renamed differently: System.Text.Json writes each JSON name (the base's too).</summary>
public class RenamedOverrides : RenamedBase
{
    public int Z { get; set; }

    [JsonPropertyName("age2")] public override int Age { get; set; }

    public override string? Ren { get; set; }
}

/// <summary>Two plain members.</summary>
public class PlainBase
{
    public int X { get; set; }

    public int Y { get; set; }
}

/// <summary>Hides Y with an ignored member: the base's Y is stored in its place.</summary>
public class HidesIgnored : PlainBase
{
    [JsonIgnore] public new int Y { get; set; }

    public int Z { get; set; }
}

/// <summary>Hides Y with a member of another type: only the derived one is stored.</summary>
public class HidesWithString : PlainBase
{
    public new string? Y { get; set; }
}

/// <summary>Hides X with a static member: System.Text.Json ignores statics and stores the base's X.</summary>
public class HidesWithStatic : PlainBase
{
    public static new int X { get; set; }
}

/// <summary>Hides Y with a renamed member: System.Text.Json writes and reads both, the base's under "Y".</summary>
public class HidesRenamed : PlainBase
{
    [JsonPropertyName("y2")] public new int Y { get; set; }
}

/// <summary>A constructor parameter and a member of its name but another type: only A binds (System.Text.Json binds by type too).</summary>
public class TwinOfAnotherType
{
    public TwinOfAnotherType(int a) => A = a;

    public int A { get; }

#pragma warning disable IDE1006, SA1300 // the lower-case twin is the point
    public string? a { get; set; }
#pragma warning restore IDE1006, SA1300
}

/// <summary>Hides X with a static member and takes it in its constructor: the base's X binds to it.</summary>
public class StaticHiderWithConstructor : PlainBase
{
    public StaticHiderWithConstructor(int x) => ((PlainBase)this).X = x;

    public static new int X { get; set; }
}

/// <summary>A renamed virtual member.</summary>
public class RenamedVirtualRoot
{
    [JsonPropertyName("nm")] public virtual string? N { get; set; }
}

/// <summary>Overrides it with a getter only (the setter is the base's).</summary>
public class GetterOnlyOverride : RenamedVirtualRoot
{
    public override string? N => base.N;
}

/// <summary>An interface with a property.</summary>
public interface INamedThing
{
    string? Name { get; set; }
}

/// <summary>Implements the interface's property, and a derived class hides it with an ignored member.</summary>
public class NamedThing : INamedThing
{
    public string? Name { get; set; }
}

/// <summary>Hides the implementing property with an ignored one of the same name.</summary>
public class HidesImplementation : NamedThing
{
    [JsonIgnore] public new string? Name { get; set; }
}

/// <summary>A virtual member.</summary>
public class VirtualBase
{
    public virtual int V { get; set; }
}

/// <summary>Overrides only the setter: System.Text.Json writes nothing for V.</summary>
public class SetterOnlyOverride : VirtualBase
{
    public override int V { set => base.V = value; }
}

/// <summary>Values of the hierarchies above.</summary>
[Session<CookieSessionStorage>]
public sealed partial class InheritanceSession
{
    [SessionKey] public partial GuardedAccount? Account { get; set; }
    [SessionKey] public partial RenamedOverrides? Renamed { get; set; }
    [SessionKey] public partial HidesIgnored? HidesIgnored { get; set; }
    [SessionKey] public partial HidesWithString? HidesWithString { get; set; }
    [SessionKey] public partial SetterOnlyOverride? SetterOnly { get; set; }
    [SessionKey] public partial HidesWithStatic? HidesWithStatic { get; set; }
    [SessionKey] public partial HidesRenamed? HidesRenamed { get; set; }
    [SessionKey] public partial TwinOfAnotherType? Twin { get; set; }
    [SessionKey] public partial GetterOnlyOverride? GetterOnly { get; set; }
    [SessionKey] public partial HidesImplementation? HidesImplementation { get; set; }
    [SessionKey] public partial StaticHiderWithConstructor? StaticWithConstructor { get; set; }
}

/// <summary>A base holding a password.</summary>
public class UserBase
{
    public string? Password { get; set; }

    public string? Name { get; set; }
}

/// <summary>Hides the password with a member never written: it keeps the name, so the base password is not stored.</summary>
public class UserView : UserBase
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWriting)] public new string? Password { get; set; }
}

/// <summary>A [JsonInclude] property with a private setter, filled by the constructor.</summary>
public class Named
{
    public Named(string name) => Name = name;

    [JsonInclude] public string Name { get; private set; }
}

/// <summary>Holds the types above.</summary>
[Session<CookieSessionStorage>]
public sealed partial class HiddenPasswordSession
{
    [SessionKey] public partial UserView? View { get; set; }
    [SessionKey] public partial Named? Named { get; set; }
}

/// <summary>A price filter as an earlier version stored it: no upper bound yet.</summary>
public sealed class FilterV1
{
    public double Min { get; set; }
}

/// <summary>
/// The filter after a deploy: an upper bound whose default, "none", is an infinity JSON cannot hold, so a value read
/// from the earlier version's JSON cannot be written back as it is.
/// </summary>
public sealed class FilterV2
{
    public double Min { get; set; }

    public double Max { get; set; } = double.PositiveInfinity;

    public List<string> Tags { get; set; } = [];
}

// Stamp is made on construction and never read back (RMS015 at the keys below): the read-state comparison is the point.
#pragma warning disable RMS015

/// <summary>The same, with a member System.Text.Json writes and does not read back (compared with its JSON as read).</summary>
public sealed class StampedFilter
{
    public Guid Stamp { get; } = Guid.NewGuid();

    public double Min { get; set; }

    public float Max { get; set; } = float.NegativeInfinity;
}

/// <summary>A range as the earlier version stored it.</summary>
public sealed record PriceRangeV1(double From);

/// <summary>After the deploy: a constructor default that is an infinity, and a list.</summary>
public sealed record PriceRange(double From = 0, double To = double.PositiveInfinity)
{
    public List<string> Labels { get; init; } = [];
}

/// <summary>Stores filters as the earlier version did.</summary>
[Session<CookieSessionStorage>]
public partial class FilterV1Session
{
    [SessionKey("filter")] public partial FilterV1? Filter { get; set; }

    [SessionKey("stamped")] public partial FilterV1? Stamped { get; set; }

    [SessionKey("range")] public partial PriceRangeV1? Range { get; set; }
}

/// <summary>Reads them after the deploy.</summary>
[Session<CookieSessionStorage>]
public partial class FilterV2Session
{
    [SessionKey("filter")] public partial FilterV2? Filter { get; set; }

    [SessionKey("stamped")] public partial StampedFilter? Stamped { get; set; }

    [SessionKey("range")] public partial PriceRange? Range { get; set; }
}

/// <summary>The same two over the JSON storage.</summary>
[Session<JsonSessionStorage>]
public partial class JsonFilterV1Session
{
    [SessionKey("filter")] public partial FilterV1? Filter { get; set; }

    [SessionKey("stamped")] public partial FilterV1? Stamped { get; set; }

    [SessionKey("range")] public partial PriceRangeV1? Range { get; set; }
}

/// <summary>Reads them after the deploy, over the JSON storage.</summary>
[Session<JsonSessionStorage>]
public partial class JsonFilterV2Session
{
    [SessionKey("filter")] public partial FilterV2? Filter { get; set; }

    [SessionKey("stamped")] public partial StampedFilter? Stamped { get; set; }

    [SessionKey("range")] public partial PriceRange? Range { get; set; }
}

#pragma warning restore RMS015

/// <summary>The deployed filter schema over either storage.</summary>
public interface IFilterSession
{
    FilterV2? Filter { get; }

    StampedFilter? Stamped { get; }

    PriceRange? Range { get; }

    bool IsDirty { get; }

    Task<string?> CommitAsync();
}

/// <summary><see cref="FilterV2Session"/> as an <see cref="IFilterSession"/>.</summary>
public sealed class CookieFilters(FilterV2Session session) : IFilterSession
{
    public FilterV2? Filter => session.Filter;

    public StampedFilter? Stamped => session.Stamped;

    public PriceRange? Range => session.Range;

    public bool IsDirty => session.IsDirty;

    public Task<string?> CommitAsync() => session.CommitAsync().AsTask();
}

/// <summary><see cref="JsonFilterV2Session"/> as an <see cref="IFilterSession"/>.</summary>
public sealed class JsonFilters(JsonFilterV2Session session) : IFilterSession
{
    public FilterV2? Filter => session.Filter;

    public StampedFilter? Stamped => session.Stamped;

    public PriceRange? Range => session.Range;

    public bool IsDirty => session.IsDirty;

    public Task<string?> CommitAsync() => session.CommitAsync().AsTask();
}

/// <summary><c>init</c> members with initializers, which stored JSON may leave out (an older version, another writer).</summary>
public sealed class Preferences
{
    public string Theme { get; init; } = "light";

    public List<string> Pinned { get; init; } = ["home"];

    public int Size { get; init; } = 12;
}

/// <summary>A generic record with <c>init</c> members beside its constructor's.</summary>
public record Labelled<T>(T Item)
{
    public List<T> Extra { get; init; } = [];

    public string Label { get; init; } = "none";
}

/// <summary>A struct with an <c>init</c> member and a settable one, both initialised.</summary>
public struct Margins
{
    public Margins()
    {
    }

    public int Top { get; init; } = 4;

    public int Left { get; set; } = 2;
}

/// <summary>A base class's <c>init</c> member, reached through a derived type.</summary>
public class InitBase
{
    public string Origin { get; init; } = "base";
}

/// <summary>Derives an <c>init</c> member.</summary>
public sealed class InitDerived : InitBase
{
    public int N { get; set; }
}

/// <summary>A generic type nested in a generic type.</summary>
public static class Shelf<T>
{
    /// <summary>Its <c>init</c> members use both type parameters.</summary>
    public sealed class Box<U>
    {
        public List<U> Values { get; init; } = [];

        public T? Tag { get; init; }
    }
}

/// <summary>Constrained type parameters, which the generated accessor's holder must repeat.</summary>
public sealed class Constrained<TValue, TItem>
    where TValue : struct, IComparable<TValue>
    where TItem : class, new()
{
    public TValue Value { get; init; }

    public List<TItem> Items { get; init; } = [new()];
}

/// <summary>A type parameter named like a member a holder might declare.</summary>
public sealed class Named<Set>
{
    public List<Set> Values { get; init; } = [];
}

/// <summary>A <c>notnull</c> constraint, which the holder repeats too.</summary>
public sealed class NotNullBox<T>
    where T : notnull
{
    public T? Item { get; init; }

    public Dictionary<string, T> Map { get; init; } = [];
}

/// <summary>Holds values whose <c>init</c> members the stored JSON may leave out.</summary>
[Session<CookieSessionStorage>]
public sealed partial class InitDefaultsSession
{
    [SessionKey("prefs")] public partial Preferences? Prefs { get; set; }

    [SessionKey("labelled")] public partial Labelled<int>? Labelled { get; set; }

    [SessionKey("margins")] public partial Margins Margins { get; set; }

    [SessionKey("derived")] public partial InitDerived? Derived { get; set; }

    [SessionKey("box")] public partial Shelf<int>.Box<string>? Box { get; set; }

    [SessionKey("constrained")] public partial Constrained<int, Address>? Constrained { get; set; }

    [SessionKey("named")] public partial Named<string>? Named { get; set; }

    [SessionKey("notNull")] public partial NotNullBox<string>? NotNull { get; set; }
}

/// <summary>An infinite default beside an initializer that differs each time: the stored JSON does not determine the value.</summary>
public sealed class RandomFilter
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public double Max { get; set; } = double.PositiveInfinity;

    public List<string> Tags { get; set; } = [];
}

/// <summary>Holds a <see cref="RandomFilter"/>.</summary>
[Session<CookieSessionStorage>]
public sealed partial class RandomFilterSession
{
    [SessionKey("filter")] public partial RandomFilter? Filter { get; set; }
}

/// <summary>A value whose constructor validates what it is given, as records often do.</summary>
public sealed record Quantity
{
    public Quantity(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
    }

    public int Count { get; }
}

/// <summary>Keys whose stored JSON another writer may have put in a shape the types refuse.</summary>
[Session<CookieSessionStorage>]
public partial class ForeignValueSession
{
    [SessionKey] public partial DateOnly Day { get; set; }
    [SessionKey] public partial List<DateOnly>? Days { get; set; }
    [SessionKey] public partial Quantity? Amount { get; set; }
    [SessionKey] public partial int? Other { get; set; }
}
