using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// Declarations a new user wrote that once broke generated code: each compiles with no error and no warning inside
/// generated files (warnings count: a project with TreatWarningsAsErrors must build).
/// </summary>
public sealed class DeclarationShapeTests
{
    public static TheoryData<string, string> Shapes() => new()
    {
        { "key named _ (the discard's name)", "public record R(string A) { public string B { get; init; } = \"\"; public int C => 1; } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int? _ { get; set; } [SessionKey] public partial string? Name { get; set; } [SessionKey] public partial List<R>? Rs { get; set; } [Flash] public partial int Count { get; set; } }" },
        { "static field named _ in the schema", "public record R(string A) { public int C => 1; } [Session<CookieSessionStorage>] public partial class S { private static readonly int _ = 0; public static int Zero => _; [SessionKey] public partial int? N { get; set; } [SessionKey] public partial R? Item { get; set; } }" },
        { "base class with a member named _", "public class Base { protected readonly object _ = new(); public object Get() => _; } [Session<CookieSessionStorage>] public partial class S : Base { [SessionKey] public partial int? N { get; set; } [SessionKey] public partial List<int>? L { get; set; } }" },
        { "memory: key named _", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial int? _ { get; set; } [SessionKey] public partial string? Name { get; set; } }" },
        { "stored type with a member named _", "public sealed record R(int _, string A); public sealed class C { public int _ { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial R? Rec { get; set; } [SessionKey] public partial C? Obj { get; set; } }" },
        { "record schema", "[Session<CookieSessionStorage>] public partial record RecordSession { [SessionKey] public partial string? A { get; set; } }" },
        { "schema named Store", "[Session<CookieSessionStorage>] public partial class Store { [SessionKey] public partial int N { get; set; } }" },
        { "schema named Value", "[Session<CookieSessionStorage>] public partial class Value { [SessionKey] public partial int N { get; set; } }" },
        { "schema named ValueStore", "[Session<MemorySessionStorage>] public partial class ValueStore { [SessionKey] public partial int N { get; set; } }" },
        { "private setter", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial string? A { get; private set; } public void Change(string a) => A = a; }" },
        { "required key", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public required partial string? Req { get; set; } }" },
        { "base class with a protected parameterless constructor", "public abstract class Base { protected Base() { } protected Base(int x) { } } [Session<CookieSessionStorage>] public partial class S : Base { [SessionKey] public partial int? N { get; set; } }" },
        { "virtual key", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public virtual partial string? V { get; set; } }" },
        { "new key hiding a base member", "public class Base { public int? N { get; set; } } [Session<CookieSessionStorage>] public partial class S : Base { [SessionKey] public new partial int? N { get; set; } }" },
        { "user constructor", "[Session<CookieSessionStorage>] public partial class S { public S(int x) { } [SessionKey] public partial int? N { get; set; } }" },
        { "non-nullable reference key (RMS011 only)", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial string Name { get; set; } [Flash] public partial string Notice { get; set; } }" },
        { "memory: tuples", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial (int A, string B) Named { get; set; } [SessionKey] public partial (int, string)? Unnamed { get; set; } }" },
        { "memory: tuples differing only in element names", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial (int, string) A { get; set; } [SessionKey] public partial (int N, string S) B { get; set; } [SessionKey] public partial (int X, string Y)? C { get; set; } [SessionKey] public partial List<(string Name, int Age)>? L1 { get; set; } [SessionKey] public partial List<(string N, int A)>? L2 { get; set; } }" },
        { "cookie: tuples differing only in element names (RMS001)", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial (int A, string B)? T1 { get; set; } [SessionKey] public partial (int X, string Y)? T2 { get; set; } [SessionKey] public partial List<(string Name, int Age)>? L1 { get; set; } [SessionKey] public partial List<(string N, int A)>? L2 { get; set; } }" },
        { "memory: dynamic and object in type arguments", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial List<dynamic>? A { get; set; } [SessionKey] public partial List<object>? B { get; set; } [SessionKey] public partial Dictionary<string, dynamic?>? C { get; set; } [SessionKey] public partial Dictionary<string, object?>? D { get; set; } [SessionKey] public partial object? O { get; set; } [SessionKey] public partial dynamic? Dy { get; set; } }" },
        { "schemas named with contextual keywords", "#pragma warning disable CS8981\n[Session<CookieSessionStorage>] public partial class @record { [SessionKey] public partial int? A { get; set; } } [Session<CookieSessionStorage>] public partial class @partial { [SessionKey] public partial int? A { get; set; } } [Session<MemorySessionStorage>] public partial class @required { [SessionKey] public partial int? A { get; set; } } [Session<CookieSessionStorage>] public partial class @file { [SessionKey] public partial int? A { get; set; } } [Session<CookieSessionStorage>] public sealed partial class @scoped { [SessionKey] public partial int? A { get; set; } }\n#pragma warning restore CS8981" },
        { "memory: dynamic", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial dynamic? Dyn { get; set; } }" },
        { "memory: annotations differing in type arguments", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial List<string?>? A { get; set; } [SessionKey] public partial List<string>? B { get; set; } [SessionKey] public partial Dictionary<string, string?>? D { get; set; } }" },
        { "cookie: annotations differing in type arguments", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial List<string?>? A { get; set; } [SessionKey] public partial List<string>? B { get; set; } [SessionKey] public partial Dictionary<string, string?>? D { get; set; } }" },
        { "key type named Value", "public record Value(int X); [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial Value? V { get; set; } [SessionKey] public partial List<Value>? Vs { get; set; } }" },
        { "key type named ValueStore", "public sealed class ValueStore { public int Y { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial ValueStore? V { get; set; } }" },
        { "memory: key type named Value", "public record Value(int X); [Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial Value? V { get; set; } }" },
        { "method of the schema taking a type named Value", "public record Value(int X); [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int? N { get; set; } public void Use(Value v) => N = v.X; }" },
        { "base class with members named like generated ones", "public class Base { public int Store { get; set; } public virtual void Destroy() { } public bool IsDirty => false; } [Session<CookieSessionStorage>] public partial class S : Base { [SessionKey] public partial int Foo { get; set; } }" },
        { "obsolete members of a stored type", "public class M { [System.Obsolete(\"old\")] public int Old { get; set; } [System.Obsolete] public int Older { get; set; } public int New { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial M? OM { get; set; } }" },
        { "obsolete constructor and type, suppressed in the user's code", "#pragma warning disable CS0612, CS0618\n[System.Obsolete] public class M { [System.Obsolete(\"use the other\")] public M() { } public int A { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial M? OM { get; set; } [SessionKey] public partial List<M>? Ms { get; set; } }\n#pragma warning restore CS0612, CS0618" },
        { "experimental member of a stored type", "public class M { [System.Diagnostics.CodeAnalysis.Experimental(\"EXP001\")] public int Preview { get; set; } public int A { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial M? OM { get; set; } }" },
        { "lowercase schema name escaped with @", "[Session<CookieSessionStorage>] public partial class @sessionschema { [SessionKey] public partial int? N { get; set; } }" },
        { "ref struct key (RMS001)", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial System.Span<int> Sp { get; set; } [SessionKey] public partial System.ReadOnlySpan<char> Text { get; set; } }" },
        { "memory: ref struct key (RMS001)", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial System.Span<int> Sp { get; set; } }" },
        { "pointer key (RMS001)", "[Session<CookieSessionStorage>] public unsafe partial class S { [SessionKey] public partial int* P { get; set; } }" },
        { "pointer key in an invalid schema (RMS009)", "[Session<CookieSessionStorage>] public unsafe partial class S<T> { [SessionKey] public partial int* P { get; set; } [SessionKey] public partial int? N { get; set; } }" },
        { "user constructor taking the store", "[Session<CookieSessionStorage>] public partial class S { public S(SessionStore<JsonSessionValue> store) { } [SessionKey] public partial int A { get; set; } }" },
        { "user constructor taking the store and another parameter", "[Session<CookieSessionStorage>] public partial class S { public S(SessionStore<JsonSessionValue> store, Microsoft.Extensions.Logging.ILogger? log) { } public S(SessionStore<JsonSessionValue> store, bool seed = false) { } [SessionKey] public partial int A { get; set; } }" },
        { "key type nested in a type named Value", "public static class Value { public enum Kind { A, B } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial Value.Kind? Mode { get; set; } }" },
        { "user members named like the generated private ones", "[Session<CookieSessionStorage>] public partial class S { private int __store = 1; private bool __Read_A = true; private object? __valueStore = new(); private static class __SessionJson { } public int Use() => __store + (__Read_A ? 1 : 0) + (__valueStore is null ? 0 : 1); [SessionKey] public partial int A { get; set; } [SessionKey] public partial List<int>? L { get; set; } }" },
        { "nested types named like the generated private members", "[Session<CookieSessionStorage>] public partial class S { private sealed class __store { } internal struct __SessionJson { } private enum __valueStore { A } [SessionKey] public partial int A { get; set; } [SessionKey] public partial List<int>? L { get; set; } }" },
        { "memory: nested types named like the generated private members", "[Session<MemorySessionStorage>] public partial class S { private sealed class __store { } private delegate void __store1(); [SessionKey] public partial int A { get; set; } }" },
        { "schemas whose names differ only in case", "[Session<CookieSessionStorage>] public partial class CartSession { [SessionKey] public partial int A { get; set; } } [Session<MemorySessionStorage>] public partial class cartSession { [SessionKey] public partial int B { get; set; } } [Session<CookieSessionStorage>] public partial class CARTSESSION { [SessionKey] public partial int C { get; set; } } [Session<CookieSessionStorage>] public partial class Unrelated { [SessionKey] public partial int D { get; set; } }" },
        { "memory: user members named like the generated private ones", "[Session<MemorySessionStorage>] public partial class S { private int __store = 1; private int __store1 = 2; public int Use() => __store + __store1; [SessionKey] public partial int A { get; set; } }" },
        { "key name with a line break and braces", "[Session<CookieSessionStorage>] public partial class S { [SessionKey(\"line\\nbreak\\t{0} </c> & \\u2028\")] public partial string? Nl { get; set; } }" },
        { "key type named with a contextual keyword", "#pragma warning disable CS8981\npublic record @partial(int A); public record @var2(int B); public enum @async { A, B } public sealed class @record { public int X { get; set; } }\n#pragma warning restore CS8981\n[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial @partial? P { get; set; } [SessionKey] public partial List<@partial>? Ps { get; set; } [SessionKey] public partial @async? Mode { get; set; } [SessionKey] public partial @record? R { get; set; } }" },
        { "memory: key type named with a contextual keyword", "#pragma warning disable CS8981\npublic record @partial(int A);\n#pragma warning restore CS8981\n[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial @partial? P { get; set; } }" },
        { "static new property hiding an instance one", "public class B { public int X { get; set; } public int Y { get; set; } } public sealed class D : B { public static new int X { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial D? Thing { get; set; } }" },
        { "CookieSessionStorage: many framework types", "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial System.Collections.Immutable.ImmutableList<int>? K0 { get; set; } [SessionKey] public partial System.Collections.Immutable.ImmutableArray<int>? K1 { get; set; } [SessionKey] public partial System.Collections.Immutable.ImmutableDictionary<string, int>? K2 { get; set; } [SessionKey] public partial System.Collections.ObjectModel.ReadOnlyCollection<int>? K3 { get; set; } [SessionKey] public partial IReadOnlyList<int>? K4 { get; set; } [SessionKey] public partial ISet<int>? K5 { get; set; } [SessionKey] public partial Queue<int>? K6 { get; set; } [SessionKey] public partial Stack<int>? K7 { get; set; } [SessionKey] public partial LinkedList<int>? K8 { get; set; } [SessionKey] public partial SortedDictionary<string, int>? K9 { get; set; } [SessionKey] public partial System.Collections.Concurrent.ConcurrentDictionary<string, int>? K10 { get; set; } [SessionKey] public partial System.Memory<byte>? K11 { get; set; } [SessionKey] public partial byte[]? K12 { get; set; } [SessionKey] public partial System.ReadOnlyMemory<byte>? K13 { get; set; } [SessionKey] public partial System.DateOnly? K14 { get; set; } [SessionKey] public partial System.TimeOnly? K15 { get; set; } [SessionKey] public partial System.TimeSpan? K16 { get; set; } [SessionKey] public partial System.Half? K17 { get; set; } [SessionKey] public partial System.Int128? K18 { get; set; } [SessionKey] public partial System.UInt128? K19 { get; set; } [SessionKey] public partial System.Numerics.BigInteger? K20 { get; set; } [SessionKey] public partial System.Uri? K21 { get; set; } [SessionKey] public partial System.Version? K22 { get; set; } [SessionKey] public partial char? K23 { get; set; } [SessionKey] public partial nint? K24 { get; set; } [SessionKey] public partial System.Guid? K25 { get; set; } [SessionKey] public partial System.Text.Json.JsonElement? K26 { get; set; } [SessionKey] public partial System.Text.Json.Nodes.JsonNode? K27 { get; set; } [SessionKey] public partial System.Text.Json.Nodes.JsonObject? K28 { get; set; } [SessionKey] public partial Dictionary<System.Guid, int>? K29 { get; set; } [SessionKey] public partial Dictionary<long, string>? K30 { get; set; } [SessionKey] public partial IEnumerable<int>? K31 { get; set; } [SessionKey] public partial ICollection<string>? K32 { get; set; } [SessionKey] public partial IDictionary<string, int>? K33 { get; set; } [SessionKey] public partial IReadOnlyDictionary<string, List<int>>? K34 { get; set; } [SessionKey] public partial HashSet<string>? K35 { get; set; } [SessionKey] public partial SortedSet<int>? K36 { get; set; } [SessionKey] public partial System.Collections.ArrayList? K37 { get; set; } [SessionKey] public partial System.Collections.Hashtable? K38 { get; set; } [SessionKey] public partial KeyValuePair<string, int>? K39 { get; set; } [SessionKey] public partial System.DateTimeOffset[]? K40 { get; set; } [SessionKey] public partial List<int?>? K41 { get; set; } [SessionKey] public partial int[][]? K42 { get; set; } [SessionKey] public partial Dictionary<string, Dictionary<string, List<int[]>>>? K43 { get; set; } [SessionKey] public partial System.Text.Json.JsonDocument? K44 { get; set; } [SessionKey] public partial System.DayOfWeek? K45 { get; set; } [SessionKey] public partial System.StringComparison K46 { get; set; } [SessionKey] public partial object[]? K47 { get; set; } [SessionKey] public partial System.Drawing.Point? K48 { get; set; } [SessionKey] public partial System.Net.IPAddress? K49 { get; set; } [SessionKey] public partial System.Range? K50 { get; set; } [SessionKey] public partial System.Index? K51 { get; set; } [SessionKey] public partial System.Type? K52 { get; set; } [SessionKey] public partial System.Exception? K53 { get; set; } [SessionKey] public partial System.Threading.CancellationToken? K54 { get; set; } [SessionKey] public partial System.Nullable<System.Guid> K55 { get; set; } [SessionKey] public partial System.ValueTuple<int, int>? K56 { get; set; } [SessionKey] public partial System.Tuple<int, string>? K57 { get; set; } [SessionKey] public partial System.Collections.Frozen.FrozenSet<int>? K58 { get; set; } [SessionKey] public partial System.Collections.Generic.PriorityQueue<int, int>? K59 { get; set; } [SessionKey] public partial System.Collections.Specialized.NameValueCollection? K60 { get; set; } [SessionKey] public partial System.Text.StringBuilder? K61 { get; set; } [SessionKey] public partial System.IO.FileInfo? K62 { get; set; } [SessionKey] public partial System.Decimal? K63 { get; set; } [SessionKey] public partial float K64 { get; set; } [SessionKey] public partial sbyte? K65 { get; set; } [SessionKey] public partial ushort K66 { get; set; } [SessionKey] public partial ulong? K67 { get; set; } }" },
        { "MemorySessionStorage: many framework types", "[Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial System.Collections.Immutable.ImmutableList<int>? K0 { get; set; } [SessionKey] public partial System.Collections.Immutable.ImmutableArray<int>? K1 { get; set; } [SessionKey] public partial System.Collections.Immutable.ImmutableDictionary<string, int>? K2 { get; set; } [SessionKey] public partial System.Collections.ObjectModel.ReadOnlyCollection<int>? K3 { get; set; } [SessionKey] public partial IReadOnlyList<int>? K4 { get; set; } [SessionKey] public partial ISet<int>? K5 { get; set; } [SessionKey] public partial Queue<int>? K6 { get; set; } [SessionKey] public partial Stack<int>? K7 { get; set; } [SessionKey] public partial LinkedList<int>? K8 { get; set; } [SessionKey] public partial SortedDictionary<string, int>? K9 { get; set; } [SessionKey] public partial System.Collections.Concurrent.ConcurrentDictionary<string, int>? K10 { get; set; } [SessionKey] public partial System.Memory<byte>? K11 { get; set; } [SessionKey] public partial byte[]? K12 { get; set; } [SessionKey] public partial System.ReadOnlyMemory<byte>? K13 { get; set; } [SessionKey] public partial System.DateOnly? K14 { get; set; } [SessionKey] public partial System.TimeOnly? K15 { get; set; } [SessionKey] public partial System.TimeSpan? K16 { get; set; } [SessionKey] public partial System.Half? K17 { get; set; } [SessionKey] public partial System.Int128? K18 { get; set; } [SessionKey] public partial System.UInt128? K19 { get; set; } [SessionKey] public partial System.Numerics.BigInteger? K20 { get; set; } [SessionKey] public partial System.Uri? K21 { get; set; } [SessionKey] public partial System.Version? K22 { get; set; } [SessionKey] public partial char? K23 { get; set; } [SessionKey] public partial nint? K24 { get; set; } [SessionKey] public partial System.Guid? K25 { get; set; } [SessionKey] public partial System.Text.Json.JsonElement? K26 { get; set; } [SessionKey] public partial System.Text.Json.Nodes.JsonNode? K27 { get; set; } [SessionKey] public partial System.Text.Json.Nodes.JsonObject? K28 { get; set; } [SessionKey] public partial Dictionary<System.Guid, int>? K29 { get; set; } [SessionKey] public partial Dictionary<long, string>? K30 { get; set; } [SessionKey] public partial IEnumerable<int>? K31 { get; set; } [SessionKey] public partial ICollection<string>? K32 { get; set; } [SessionKey] public partial IDictionary<string, int>? K33 { get; set; } [SessionKey] public partial IReadOnlyDictionary<string, List<int>>? K34 { get; set; } [SessionKey] public partial HashSet<string>? K35 { get; set; } [SessionKey] public partial SortedSet<int>? K36 { get; set; } [SessionKey] public partial System.Collections.ArrayList? K37 { get; set; } [SessionKey] public partial System.Collections.Hashtable? K38 { get; set; } [SessionKey] public partial KeyValuePair<string, int>? K39 { get; set; } [SessionKey] public partial System.DateTimeOffset[]? K40 { get; set; } [SessionKey] public partial List<int?>? K41 { get; set; } [SessionKey] public partial int[][]? K42 { get; set; } [SessionKey] public partial Dictionary<string, Dictionary<string, List<int[]>>>? K43 { get; set; } [SessionKey] public partial System.Text.Json.JsonDocument? K44 { get; set; } [SessionKey] public partial System.DayOfWeek? K45 { get; set; } [SessionKey] public partial System.StringComparison K46 { get; set; } [SessionKey] public partial object[]? K47 { get; set; } [SessionKey] public partial System.Drawing.Point? K48 { get; set; } [SessionKey] public partial System.Net.IPAddress? K49 { get; set; } [SessionKey] public partial System.Range? K50 { get; set; } [SessionKey] public partial System.Index? K51 { get; set; } [SessionKey] public partial System.Type? K52 { get; set; } [SessionKey] public partial System.Exception? K53 { get; set; } [SessionKey] public partial System.Threading.CancellationToken? K54 { get; set; } [SessionKey] public partial System.Nullable<System.Guid> K55 { get; set; } [SessionKey] public partial System.ValueTuple<int, int>? K56 { get; set; } [SessionKey] public partial System.Tuple<int, string>? K57 { get; set; } [SessionKey] public partial System.Collections.Frozen.FrozenSet<int>? K58 { get; set; } [SessionKey] public partial System.Collections.Generic.PriorityQueue<int, int>? K59 { get; set; } [SessionKey] public partial System.Collections.Specialized.NameValueCollection? K60 { get; set; } [SessionKey] public partial System.Text.StringBuilder? K61 { get; set; } [SessionKey] public partial System.IO.FileInfo? K62 { get; set; } [SessionKey] public partial System.Decimal? K63 { get; set; } [SessionKey] public partial float K64 { get; set; } [SessionKey] public partial sbyte? K65 { get; set; } [SessionKey] public partial ushort K66 { get; set; } [SessionKey] public partial ulong? K67 { get; set; } }" },
        { "ref-returning properties ignored or not public", "public sealed class RefHolder { private int _x; [System.Text.Json.Serialization.JsonIgnore] public ref int X => ref _x; internal ref readonly int Z => ref _x; public int Y { get; set; } } [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial RefHolder? Holder { get; set; } }" },
        { "key types named like the members of the Value union", "public sealed record StoreIn(string Warehouse, int Quantity); public sealed record ToJson(int A); public sealed record AsObject(int A); public sealed record Item(int A); public sealed record SessionJsonConverter(int A); public sealed record FromStoreIn(int A); [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial StoreIn? Pending { get; set; } [Flash] public partial StoreIn? Once { get; set; } [SessionKey] public partial ToJson? T { get; set; } [SessionKey] public partial AsObject? O { get; set; } [SessionKey] public partial Item? I { get; set; } [SessionKey] public partial SessionJsonConverter? C { get; set; } [SessionKey] public partial FromStoreIn? F { get; set; } [SessionKey] public partial List<StoreIn>? Many { get; set; } }" },
        { "memory: key types named like the members of the Value union", "public sealed record StoreIn(string Warehouse, int Quantity); public sealed record ToJson(int A); [Session<MemorySessionStorage>] public partial class S { [SessionKey] public partial StoreIn? Pending { get; set; } [SessionKey] public partial ToJson? T { get; set; } }" },
        { "memory: pointer key (RMS001)", "[Session<MemorySessionStorage>] public unsafe partial class S { [SessionKey] public partial int* P { get; set; } [SessionKey] public partial delegate*<int, void> F { get; set; } }" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Compiles_without_errors_or_warnings_in_generated_code(string shape, string declaration)
    {
        var source = "#nullable enable\nusing System.Collections.Generic;\nusing Remastered.Sessions;\nnamespace App;\n" + declaration + "\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.NotEmpty(result.GeneratedTrees);
        var generated = result.GeneratedTrees.ToHashSet();
        var inGenerated = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, $"{shape}: diagnostics in generated code:\n{string.Join("\n", inGenerated)}");
        var errors = GeneratorHarness.Errors(output);
        Assert.True(errors.Count == 0, $"{shape}: errors:\n{string.Join("\n", errors)}");
        var warnings = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        Assert.True(warnings.Count == 0, $"{shape}: warnings (a user constructor must not warn about a generated field):\n{string.Join("\n", warnings)}");
        Assert.Empty(result.Diagnostics);
    }

    [Theory]
    [InlineData("sealed partial class")]
    [InlineData("sealed partial record")]
    public void Protected_keys_of_a_sealed_schema_warn_only_where_the_user_declared_them(string kind)
    {
        // A new protected member of a sealed type is CS0628: the user's declarations say so once each; the generated
        // Has/Unset/Flash/Keep members drop the protected part instead of repeating it.
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n[Session<CookieSessionStorage>] public " + kind
            + " S { " + ProtectedKeys + " public void Use() { A = 1; B = \"b\"; C = \"c\"; _ = HasA && HasB && HasC; UnsetA(); FlashB(\"x\"); KeepC(); } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Single(result.GeneratedTrees);
        var generated = result.GeneratedTrees.ToHashSet();
        var inGenerated = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, $"{kind}: diagnostics in generated code:\n{string.Join("\n", inGenerated)}");
        Assert.Empty(GeneratorHarness.Errors(output));
        var warnings = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning).Select(d => d.Id).ToList();
        Assert.All(warnings, id => Assert.Equal("CS0628", id));
        Assert.Equal(3, warnings.Count);
    }

    private const string ProtectedKeys = "[SessionKey] protected internal partial int? A { get; set; } [SessionKey] protected partial string? B { get; set; } [Flash] private protected partial string? C { get; set; }";

    [Theory]
    [InlineData("sealed partial class", "A", Accessibility.Internal)]
    [InlineData("sealed partial class", "B", Accessibility.Private)]
    [InlineData("sealed partial class", "C", Accessibility.Private)]
    [InlineData("partial class", "A", Accessibility.ProtectedOrInternal)]
    [InlineData("partial class", "B", Accessibility.Protected)]
    [InlineData("partial class", "C", Accessibility.ProtectedAndInternal)]
    [InlineData("sealed partial record", "B", Accessibility.Private)]
    [InlineData("partial record", "B", Accessibility.Protected)]
    public void Helpers_of_protected_keys_keep_the_key_accessibility_unless_the_schema_is_sealed(string kind, string key, Accessibility expected)
    {
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n[Session<CookieSessionStorage>] public " + kind
            + " S { " + ProtectedKeys + " }\n";
        var (_, output) = GeneratorHarness.Run(source);
        var schema = output.GetTypeByMetadataName("App.S")!;
        var helpers = new[] { "Has" + key, "Unset" + key, "Flash" + key }.Concat(key == "C" ? ["Keep" + key] : Array.Empty<string>());
        foreach (var helper in helpers)
        {
            var member = Assert.Single(schema.GetMembers(helper));
            Assert.True(expected == member.DeclaredAccessibility, $"{kind} {helper}: {member.DeclaredAccessibility}, expected {expected}");
        }
    }

    [Theory]
    [InlineData("public partial class Program")]
    [InlineData("partial class Program")]
    [InlineData("internal static partial class Program")]
    public async Task A_schema_nested_in_the_Program_class_of_top_level_statements_compiles_without_RMS002(string program)
    {
        // The Program class top-level statements declare takes more partial parts without saying 'partial' itself
        // (the WebApplicationFactory<Program> pattern): only the user's own declaration must say it.
        var source = "#nullable enable\nusing Remastered.Sessions;\nvar session = await Program.NestedSession.LoadAsync(new CookieSessionStorage(new CookieSessionOptions { Name = \"s\", Secrets = [CookieSessionOptions.GenerateSecret()] }), null);\n"
            + "session.X = 1;\nSystem.Console.WriteLine(await session.CommitAsync());\n"
            + program + " { [Session<CookieSessionStorage>] public partial class NestedSession { [SessionKey] public partial int? X { get; set; } [Flash] public partial string? Notice { get; set; } } }\n";
        var (result, output) = GeneratorHarness.Run(source, outputKind: OutputKind.ConsoleApplication);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.GeneratedTrees);
        Assert.Empty(GeneratorHarness.Errors(output));
        var generated = result.GeneratedTrees.ToHashSet();
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)));
        var analyzerDiagnostics = await output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(analyzerDiagnostics);
    }

    [Fact]
    public void A_schema_nested_in_a_Program_class_declared_without_partial_next_to_top_level_statements_is_RMS002()
    {
        // There the user's own code does not compile either (CS0260); RMS002 says which declaration needs 'partial'.
        var source = "#nullable enable\nusing Remastered.Sessions;\nSystem.Console.WriteLine();\n"
            + "public class Program { [Session<CookieSessionStorage>] public partial class NestedSession { [SessionKey] public partial int? X { get; set; } } }\n";
        var (result, _) = GeneratorHarness.Run(source, outputKind: OutputKind.ConsoleApplication);
        Assert.Equal("RMS002", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.GeneratedTrees);
    }

    [Theory]
    [InlineData("[Session<CookieSessionStorage>] public class S { [SessionKey] public partial int? X { get; set; } }", "RMS002")]
    [InlineData("public class Outer { [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int? X { get; set; } } }", "RMS002")]
    [InlineData("[Session<CookieSessionStorage>] public static partial class S { }", "RMS014")]
    public void Diagnostics_the_generator_reports_are_in_the_users_source_so_that_code_fixes_and_fix_all_find_them(string declaration, string id)
    {
        // A location in an "external file" shows in the build's output, but the IDE's fix-all (and the batch fixer)
        // groups diagnostics by syntax tree and skips those without one.
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n" + declaration + "\n";
        var (result, output) = GeneratorHarness.Run(source);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.True(diagnostic.Location.IsInSource, diagnostic.Location.Kind.ToString());
        Assert.Same(output.SyntaxTrees.First(), diagnostic.Location.SourceTree);
    }

    [Fact]
    public void A_file_local_schema_gets_RMS014_from_the_generator_and_nothing_generated()
    {
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n[Session<CookieSessionStorage>] file partial class FileSession { [SessionKey] public partial int? A { get; set; } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.GeneratedTrees);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("RMS014", diagnostic.Id);
        Assert.Contains("is declared 'file'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The compiler's own error about the missing implementation part is all that comes with it: nothing in generated code.
        Assert.All(GeneratorHarness.Errors(output), e => Assert.Equal("CS9248", e.Id));
    }

    [Theory]
    [InlineData("[Session<CookieSessionStorage>] public partial class S : IHasCart { [SessionKey] partial List<string>? IHasCart.Cart { get; set; } [SessionKey] public partial int? N { get; set; } }", "CS0754")]
    [InlineData("[Session<MemorySessionStorage>] public partial class S : IHasCart { [SessionKey] partial List<string>? IHasCart.Cart { get; set; } [SessionKey] public partial int? N { get; set; } }", "CS0754")]
    public async Task A_key_that_explicitly_implements_an_interface_gets_RMS003_and_nothing_generated_for_it(string declaration, string compilerError)
    {
        // The user's own code does not compile (a partial member cannot implement an interface member explicitly):
        // the generated file must add nothing to that error, and RMS003 says what to change.
        var source = "#nullable enable\nusing System.Collections.Generic;\nusing Remastered.Sessions;\nnamespace App;\npublic interface IHasCart { List<string>? Cart { get; set; } }\n" + declaration + "\n";
        var (result, output) = GeneratorHarness.Run(source);
        var generated = result.GeneratedTrees.ToHashSet();
        var inGenerated = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated));
        Assert.Contains(GeneratorHarness.Errors(output), e => e.Id == compilerError);
        var analyzerDiagnostics = await output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var rms003 = Assert.Single(analyzerDiagnostics, d => d.Id == "RMS003");
        Assert.Equal("Cart", rms003.Location.SourceTree!.GetText().ToString(rms003.Location.SourceSpan));
    }

    [Theory]
    [InlineData("CookieSessionStorage", "Draft?")]
    [InlineData("CookieSessionStorage", "List<Draft>?")]
    [InlineData("MemorySessionStorage", "Draft?")]
    [InlineData("MemorySessionStorage", "Dictionary<string, Draft[]>?")]
    public async Task A_key_of_a_file_local_type_gets_RMS001_and_nothing_generated_for_it(string storage, string type)
    {
        // A file-local type in a member signature is the user's own error (CS9051); code in another file, as the
        // generated part is, cannot name it at all: RMS001 says why, and the generated file adds no error.
        var source = "#nullable enable\nusing System.Collections.Generic;\nusing Remastered.Sessions;\nnamespace App;\nfile sealed record Draft(string Text);\n"
            + "[Session<" + storage + ">] public partial class S { [SessionKey] private partial " + type + " Pending { get; set; } [SessionKey] public partial int? N { get; set; } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        var generated = result.GeneratedTrees.ToHashSet();
        var inGenerated = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated));
        var analyzerDiagnostics = await output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var rms001 = Assert.Single(analyzerDiagnostics, d => d.Id == "RMS001");
        Assert.Contains("file-local", rms001.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("S.Pending", rms001.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void A_Lock_key_on_the_memory_storage_compiles_without_a_warning_in_generated_code()
    {
        // The memory storage holds any object: a System.Threading.Lock is stored as one, which the compiler warns about
        // (CS9216) wherever it is converted; those conversions are the generated code's, not the user's.
        var source = "#nullable enable\nusing Remastered.Sessions;\nusing System.Threading;\nnamespace App;\n"
            + "[Session<MemorySessionStorage>] public partial class GateSession { [SessionKey] public partial Lock? Gate { get; set; } [Flash] public partial Lock? Once { get; set; } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        var generated = result.GeneratedTrees.ToHashSet();
        var inGenerated = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generated.Contains(tree)).ToList();
        Assert.True(inGenerated.Count == 0, string.Join("\n", inGenerated));
        Assert.Empty(GeneratorHarness.Errors(output));
    }

    [Fact]
    public async Task Stored_types_of_a_referenced_project_whose_source_the_IDE_shows_are_generated_for_and_analyzed_without_failing()
    {
        // In Visual Studio and Rider a referenced project is a compilation reference: its types show their syntax, which
        // this compilation cannot bind (GetSemanticModel would throw). Initializers, setter bodies and base arguments there
        // count as code that may vary, as a compiled type's do.
        var domain = GeneratorHarness.CreateCompilation(
            "namespace Domain; public abstract record Entity(System.Guid Id); public sealed record Order(string Name) : Entity(System.Guid.NewGuid()) { public System.Collections.Generic.List<string> Lines { get; set; } = []; } "
            + "public sealed class Cart { private string _owner = \"\"; public System.Collections.Generic.List<string> Items { get; set; } = new(); public System.DateTime Created { get; set; } = System.DateTime.UtcNow; public string Owner { get => _owner; set { _owner = value.Trim(); Items.Add(value); } } }");
        Assert.Empty(GeneratorHarness.Errors(domain));
        var app = GeneratorHarness.CreateCompilation("using Remastered.Sessions; [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial Domain.Cart? Cart { get; set; } [SessionKey] public partial Domain.Order? Order { get; set; } }")
            .AddReferences(domain.ToMetadataReference());
        var driver = GeneratorHarness.CreateDriver(app).RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics);
        var run = driver.GetRunResult();
        Assert.All(run.Results, r => Assert.Null(r.Exception));
        Assert.Empty(generatorDiagnostics);
        Assert.Single(run.GeneratedTrees);
        Assert.Empty(GeneratorHarness.Errors(output));
        var analyzerDiagnostics = await output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAllDiagnosticsAsync();
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");
    }
    [Fact]
    public void Schemas_in_namespaces_differing_only_in_case_get_a_file_each_and_leave_other_schemas_alone()
    {
        // Roslyn compares generated file names ignoring case: App.CartSession and app.CartSession once made the
        // generator throw, and every schema of the project lost its code.
        var source = "#nullable enable\nusing Remastered.Sessions;\n"
            + "namespace App { [Session<CookieSessionStorage>] public partial class CartSession { [SessionKey] public partial int A { get; set; } } }\n"
            + "namespace app { [Session<CookieSessionStorage>] public partial class CartSession { [SessionKey] public partial int B { get; set; } } }\n"
            + "namespace Other { [Session<CookieSessionStorage>] public partial class Unrelated { [SessionKey] public partial int C { get; set; } } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        var names = result.Results.Single().GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["App.CartSession.1.g.cs", "Other.Unrelated.g.cs", "app.CartSession.2.g.cs"], names);
    }

    [Fact]
    public void A_method_named_nameof_imported_with_using_static_does_not_change_generated_code()
    {
        // nameof(x) binds to a method named nameof when one is in scope: generated code spells the parameter name out.
        var helpers = "namespace Foo { public static class Helpers { public static int nameof(int a) => a; } }\n";
        var source = "#nullable enable\nglobal using static Foo.Helpers;\nusing Remastered.Sessions;\n" + helpers
            + "namespace App { [Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int A { get; set; } } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
    }
    [Fact]
    public void A_schema_attribute_repeated_on_two_partial_declarations_gives_the_compiler_s_error_alone()
    {
        // CS0579 is the user's to fix; the schema is found twice, its code must be generated once, and the other schemas
        // of the project keep theirs (the generator once threw on the second file of the same name).
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n"
            + "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int A { get; set; } }\n"
            + "[Session<CookieSessionStorage>] public partial class S { [SessionKey] public partial int B { get; set; } }\n"
            + "[Session<CookieSessionStorage>] public partial class Other { [SessionKey] public partial int C { get; set; } }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.True(result.GeneratedTrees.Length == 2, string.Join("\n", result.Diagnostics.Concat(GeneratorHarness.Errors(output))) + result.Results.Single().Exception);
        Assert.Equal(["CS0579"], GeneratorHarness.Errors(output).Select(e => e.Id).Distinct());
    }
    [Theory]
    [InlineData("CookieSessionStorage")]
    [InlineData("MemorySessionStorage")]
    public async Task Generic_types_named_Value_and_ValueStore_nested_or_not_sit_next_to_the_generated_ones(string storage)
    {
        // C# tells types apart by arity: the generated Value union, ValueStore and Store stay, and nothing is reported.
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\npublic sealed record ValueStore<T>(T Item);\n[Session<" + storage + ">] public partial class S { [SessionKey] public partial ValueStore<string>? Outer { get; set; } public sealed record Value<T>(T Item); [SessionKey] public partial Value<int>? Boxed { get; set; } [SessionKey] public partial int Count { get; set; } public object Typed() => Store; public Value? Current => Store.Get(\"count\"); }\n";
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(GeneratorHarness.Errors(output));
        var analyzer = await output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.Empty(analyzer.Where(d => d.Id.StartsWith("RMS", StringComparison.Ordinal)));
        var schema = output.GetTypeByMetadataName("App.S")!;
        Assert.Single(schema.GetTypeMembers("Value", 0));
        Assert.Single(schema.GetTypeMembers("Value", 1));
    }
}
