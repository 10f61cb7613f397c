using CsCheck;
using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>Property-based round trips of every supported type through the generated JSON code and the cookie storage.</summary>
public sealed class AllTypesRoundTripTests
{
    private static readonly CookieSessionStorage Storage = new(new CookieSessionOptions
    {
        Name = "session",
        Secrets = ["generator-tests-secret-0123456789abcdefgh"],
        MaxCookieSize = 64 * 1024,
    });

    private static AllTypesSession RoundTrip(Action<AllTypesSession> set)
    {
        var session = AllTypesSession.LoadAsync(Storage, null).AsTask().GetAwaiter().GetResult();
        set(session);
        var cookie = session.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
        return AllTypesSession.LoadAsync(Storage, cookie).AsTask().GetAwaiter().GetResult();
    }

    private static void Check<T>(Gen<T> gen, Action<AllTypesSession, T> set, Func<AllTypesSession, T> get, IEqualityComparer<T>? comparer = null)
        => gen.Sample(value => Assert.Equal(value, get(RoundTrip(s => set(s, value))), comparer ?? EqualityComparer<T>.Default), iter: 200);

    private static Gen<string> Text => Gen.String[0, 40];

    [Fact]
    public void Numbers_and_booleans_round_trip()
    {
        Check(Gen.Bool, (s, v) => s.Flag = v, s => s.Flag!.Value);
        Check(Gen.Byte, (s, v) => s.Byte = v, s => s.Byte!.Value);
        Check(Gen.SByte, (s, v) => s.SByte = v, s => s.SByte!.Value);
        Check(Gen.Short, (s, v) => s.Short = v, s => s.Short!.Value);
        Check(Gen.UShort, (s, v) => s.UShort = v, s => s.UShort!.Value);
        Check(Gen.Int, (s, v) => s.Int = v, s => s.Int!.Value);
        Check(Gen.UInt, (s, v) => s.UInt = v, s => s.UInt!.Value);
        Check(Gen.Long, (s, v) => s.Long = v, s => s.Long!.Value);
        Check(Gen.ULong, (s, v) => s.ULong = v, s => s.ULong!.Value);
        Check(Gen.Single.Where(float.IsFinite), (s, v) => s.Float = v, s => s.Float!.Value);
        Check(Gen.Double.Where(double.IsFinite), (s, v) => s.Double = v, s => s.Double!.Value);
        Check(Gen.Decimal, (s, v) => s.Decimal = v, s => s.Decimal!.Value);
    }

    [Fact]
    public void Text_like_values_round_trip()
    {
        Check(Gen.Char, (s, v) => s.Char = v, s => s.Char!.Value);
        Check(Text, (s, v) => s.Text = v, s => s.Text!);
        Check(Gen.Guid, (s, v) => s.Guid = v, s => s.Guid!.Value);
        Check(Gen.Byte.Array[0, 64], (s, v) => s.Bytes = v, s => s.Bytes!, new SequenceComparer<byte>());
        Check(Gen.Int[0, 1000].Select(n => new Uri($"https://example.test/item/{n}?q={n}")), (s, v) => s.Uri = v, s => s.Uri!);
        Check(Gen.Int[0, 1000].Select(n => new Uri($"/relative/{n}", UriKind.Relative)), (s, v) => s.Uri = v, s => s.Uri!);
    }

    [Fact]
    public void Dates_and_times_round_trip()
    {
        Check(Gen.DateTime.Select(d => System.DateTime.SpecifyKind(d, DateTimeKind.Utc)), (s, v) => s.DateTime = v, s => s.DateTime!.Value);
        Check(Gen.DateTimeOffset, (s, v) => s.DateTimeOffset = v, s => s.DateTimeOffset!.Value);
        Check(Gen.DateOnly, (s, v) => s.DateOnly = v, s => s.DateOnly!.Value);
        Check(Gen.TimeOnly, (s, v) => s.TimeOnly = v, s => s.TimeOnly!.Value);
        Check(Gen.TimeSpan, (s, v) => s.TimeSpan = v, s => s.TimeSpan!.Value);
    }

    [Fact]
    public void Enums_round_trip()
    {
        Check(Gen.Enum<Color>(), (s, v) => s.Color = v, s => s.Color!.Value);
        Check(Gen.OneOfConst(Big.Small, Big.Huge), (s, v) => s.Big = v, s => s.Big!.Value);
    }

    [Fact]
    public void Collections_and_dictionaries_round_trip()
    {
        Check(Gen.Int.Array[0, 20], (s, v) => s.IntArray = v, s => s.IntArray!, new SequenceComparer<int>());
        Check(Gen.String[0, 10].Null().List[0, 10], (s, v) => s.Strings = v, s => s.Strings!, new SequenceComparer<string?>());
        Check(Gen.Int.HashSet[0, 10], (s, v) => s.IntSet = v, s => s.IntSet!, HashSet<int>.CreateSetComparer());
        Check(Gen.Long.List[0, 10].Select(l => (IReadOnlyCollection<long>)l), (s, v) => s.ReadOnlyLongs = v, s => s.ReadOnlyLongs!, new SequenceComparer<long>());
        Check(Gen.String[0, 5].HashSet[0, 5].Select(h => (IReadOnlySet<string>)h), (s, v) => s.ReadOnlySet = v, s => s.ReadOnlySet!, new SetComparer<string>());
        Check(Gen.Dictionary(Gen.String[0, 8], Gen.Int)[0, 8], (s, v) => s.Counts = v, s => s.Counts!, new DictionaryComparer<int>(EqualityComparer<int>.Default));
        Check(Gen.Dictionary(Gen.String[0, 8], Gen.Int.List[0, 4])[0, 5].Select(d => (IReadOnlyDictionary<string, List<int>>)d),
            (s, v) => s.Nested = v, s => s.Nested!, new DictionaryComparer<List<int>>(new SequenceComparer<int>()));
    }

    [Fact]
    public void Records_classes_and_structs_round_trip()
    {
        var point = Gen.Select(Gen.Int, Gen.Int, (x, y) => new Point(x, y));
        var profile = Gen.Select(Text.Null(), Gen.Int, Text.Null(), Text.List[0, 3].Null(), (n, a, e, t) => new Profile { Name = n, Age = a, Email = e, Tags = t, Secret = "changed" });
        var order = Gen.Select(Gen.Guid, point.List[0, 5], Gen.Dictionary(Gen.String[1, 5], Gen.Decimal)[0, 4], profile.Null(), Gen.Enum<Color>(),
            (id, pts, prices, owner, color) => new Order(id, pts, prices, owner, color));

        Check(point, (s, v) => s.Point = v, s => s.Point!.Value);
        Check(profile, (s, v) => s.Profile = v, s => s.Profile!, new ProfileComparer());
        Check(order, (s, v) => s.Order = v, s => s.Order!, new OrderComparer());
        Check(order.List[0, 3], (s, v) => s.Orders = v, s => s.Orders!, new SequenceComparer<Order>(new OrderComparer()));
    }

    [Fact]
    public void JsonIgnore_members_are_not_stored()
    {
        var loaded = RoundTrip(s => s.Profile = new Profile { Name = "ada", Secret = "changed" });
        Assert.Equal("never serialized", loaded.Profile!.Secret);
        Assert.Equal("ada", loaded.Profile.Name);
    }

    private sealed class SequenceComparer<T>(IEqualityComparer<T>? item = null) : IEqualityComparer<IEnumerable<T>>, IEqualityComparer<T[]>, IEqualityComparer<List<T>>, IEqualityComparer<IReadOnlyCollection<T>>, IEqualityComparer<IReadOnlyList<T>>
    {
        public bool Equals(IEnumerable<T>? x, IEnumerable<T>? y) => x is null ? y is null : y is not null && x.SequenceEqual(y, item ?? EqualityComparer<T>.Default);
        public bool Equals(T[]? x, T[]? y) => Equals((IEnumerable<T>?)x, y);
        public bool Equals(List<T>? x, List<T>? y) => Equals((IEnumerable<T>?)x, y);
        public bool Equals(IReadOnlyCollection<T>? x, IReadOnlyCollection<T>? y) => Equals((IEnumerable<T>?)x, y);
        public bool Equals(IReadOnlyList<T>? x, IReadOnlyList<T>? y) => Equals((IEnumerable<T>?)x, y);
        public int GetHashCode(IEnumerable<T> obj) => 0;
        public int GetHashCode(T[] obj) => 0;
        public int GetHashCode(List<T> obj) => 0;
        public int GetHashCode(IReadOnlyCollection<T> obj) => 0;
        public int GetHashCode(IReadOnlyList<T> obj) => 0;
    }

    private sealed class SetComparer<T> : IEqualityComparer<IReadOnlySet<T>>
    {
        public bool Equals(IReadOnlySet<T>? x, IReadOnlySet<T>? y) => x is not null && y is not null && x.SetEquals(y);
        public int GetHashCode(IReadOnlySet<T> obj) => 0;
    }

    private sealed class DictionaryComparer<T>(IEqualityComparer<T> values) : IEqualityComparer<Dictionary<string, T>>, IEqualityComparer<IReadOnlyDictionary<string, T>>
    {
        public bool Equals(IReadOnlyDictionary<string, T>? x, IReadOnlyDictionary<string, T>? y)
            => x is not null && y is not null && x.Count == y.Count && x.All(p => y.TryGetValue(p.Key, out var v) && values.Equals(p.Value, v));
        public bool Equals(Dictionary<string, T>? x, Dictionary<string, T>? y) => Equals((IReadOnlyDictionary<string, T>?)x, y);
        public int GetHashCode(IReadOnlyDictionary<string, T> obj) => 0;
        public int GetHashCode(Dictionary<string, T> obj) => 0;
    }

    private sealed class ProfileComparer : IEqualityComparer<Profile>
    {
        public bool Equals(Profile? x, Profile? y) => x is null ? y is null : y is not null
            && x.Name == y.Name && x.Age == y.Age && x.Email == y.Email
            && (x.Tags is null ? y.Tags is null : y.Tags is not null && x.Tags.SequenceEqual(y.Tags));
        public int GetHashCode(Profile obj) => 0;
    }

    private sealed class OrderComparer : IEqualityComparer<Order>
    {
        public bool Equals(Order? x, Order? y) => x is not null && y is not null
            && x.Id == y.Id && x.Color == y.Color && x.Points.SequenceEqual(y.Points)
            && new DictionaryComparer<decimal>(EqualityComparer<decimal>.Default).Equals(x.Prices, y.Prices)
            && new ProfileComparer().Equals(x.Owner, y.Owner);
        public int GetHashCode(Order obj) => 0;
    }
}
