using System.Collections.Immutable;

namespace Remastered.Sessions.Generator.Tests.Schemas;

/// <summary>A record: unchanged once made, so a collection of them is never compared at commit.</summary>
public sealed record Tag(string Name, int Weight);

/// <summary>A class with a setter: a collection of them is compared at commit.</summary>
public sealed class Counter
{
    public int Value { get; set; }
}

/// <summary>Keys of System.Collections.Immutable types, on the cookie storage.</summary>
[Session<CookieSessionStorage>]
public sealed partial class ImmutableSession
{
    [SessionKey] public partial ImmutableArray<int> Numbers { get; set; }
    [SessionKey] public partial ImmutableArray<Tag>? MaybeTags { get; set; }
    [SessionKey] public partial ImmutableList<Tag>? Tags { get; set; }
    [SessionKey] public partial IImmutableList<string>? Names { get; set; }
    [SessionKey] public partial ImmutableHashSet<string>? Roles { get; set; }
    [SessionKey] public partial IImmutableSet<int>? Seen { get; set; }
    [SessionKey] public partial ImmutableDictionary<string, Counter>? Counters { get; set; }
    [SessionKey] public partial IImmutableDictionary<string, int>? Totals { get; set; }
    [SessionKey] public partial ImmutableList<Counter>? CounterList { get; set; }
    [SessionKey] public partial Tuple<int, string, List<Tag>>? Triple { get; set; }
}

/// <summary>Dictionaries keyed by integers and Guids.</summary>
[Session<CookieSessionStorage>]
public sealed partial class KeyedSession
{
    [SessionKey] public partial Dictionary<int, string>? ByInt { get; set; }
    [SessionKey] public partial Dictionary<long, List<int>>? ByLong { get; set; }
    [SessionKey] public partial Dictionary<ulong, bool>? ByULong { get; set; }
    [SessionKey] public partial Dictionary<sbyte, int>? BySByte { get; set; }
    [SessionKey] public partial IReadOnlyDictionary<Guid, Tag>? ByGuid { get; set; }
    [SessionKey] public partial ImmutableDictionary<short, string>? ImmutableByShort { get; set; }
}
