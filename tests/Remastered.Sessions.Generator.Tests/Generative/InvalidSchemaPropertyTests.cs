using System.Collections.Immutable;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>
/// Invalid schemas: a random valid schema with one invalid declaration in it (each unsupported value kind, each RMS
/// rule). Each gets exactly its RMS diagnostic, at the member, from the analyzer or the generator, and never an error
/// inside generated code.
/// </summary>
public sealed class InvalidSchemaPropertyTests
{
    /// <summary>One invalid declaration: the members it adds, the storage, and the diagnostic with the text it must point at.</summary>
    public sealed record Case(string Name, string Members, string Expected, string At, string Storage = "CookieSessionStorage", string Schema = "[Session<{storage}>]\npublic partial class {name}", string Extra = "", bool UserCodeCompiles = true, string? AlsoAt = null, Microsoft.CodeAnalysis.CSharp.LanguageVersion LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview);

    public static readonly Case[] Cases =
    [
        new("stream", "[SessionKey] public partial System.IO.Stream? Upload { get; set; }", "RMS001", "Upload"),
        new("object", "[SessionKey] public partial object? Anything { get; set; }", "RMS001", "Anything"),
        new("delegate", "[SessionKey] public partial System.Func<int>? Callback { get; set; }", "RMS001", "Callback"),
        new("task", "[SessionKey] public partial System.Threading.Tasks.Task? Pending { get; set; }", "RMS001", "Pending"),
        new("interface", "[SessionKey] public partial System.IComparable? Comparable { get; set; }", "RMS001", "Comparable"),
        new("abstract", "[SessionKey] public partial Shape? Drawing { get; set; }", "RMS001", "Drawing", Extra: "public abstract class Shape { public int Sides { get; set; } }"),
        new("tuple", "[SessionKey] public partial (int Id, string Name)? Pair { get; set; }", "RMS001", "Pair"),
        new("fields", "[SessionKey] public partial Point? Location { get; set; }", "RMS001", "Location", Extra: "public struct Point { public int X; public int Y; }"),
        new("double-keyed dictionary", "[SessionKey] public partial System.Collections.Generic.Dictionary<double, string>? ByRate { get; set; }", "RMS001", "ByRate"),
        new("enum-keyed dictionary", "[SessionKey] public partial System.Collections.Generic.Dictionary<System.DayOfWeek, int>? ByDay { get; set; }", "RMS001", "ByDay"),
        new("2d array", "[SessionKey] public partial int[,]? Grid { get; set; }", "RMS001", "Grid"),
        new("recursion through a failing type", "[SessionKey] public partial Folder? Root { get; set; }\n[SessionKey] public partial Entry? First { get; set; }", "RMS001", "Root",
            Extra: "public sealed class Folder { public Entry? Entry { get; set; } public System.IO.Stream? Icon { get; set; } } public sealed class Entry { public Folder? Parent { get; set; } }", AlsoAt: "First"),
        new("private JsonConstructor", "[SessionKey] public partial Hidden? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class Hidden { [System.Text.Json.Serialization.JsonConstructor] private Hidden(int a) => A = a; public int A { get; } }"),
        new("several constructors", "[SessionKey] public partial Ambiguous? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class Ambiguous { public Ambiguous(int a) => A = a; public Ambiguous(int a, int b) => A = a + b; public int A { get; } }"),
        new("converter on a type", "[SessionKey] public partial Shade Color { get; set; }", "RMS001", "Color", Extra: "[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Shade>))] public enum Shade { Light, Dark }"),
        new("converter on a member", "[SessionKey] public partial Painted? Wall { get; set; }", "RMS001", "Wall", Extra: "public enum Tone { Light, Dark } public sealed class Painted { [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Tone>))] public Tone Tone { get; set; } }"),
        new("getter-only auto-property", "[SessionKey] public partial Draft? Doc { get; set; }", "RMS015", "Doc", Extra: "public sealed class Draft { public System.Guid Id { get; } = System.Guid.NewGuid(); public string? Title { get; set; } public string Shown => Title ?? \"\"; }"),
        new("private setter", "[SessionKey] public partial System.Collections.Generic.List<Tally>? Tallies { get; set; }", "RMS015", "Tallies", Extra: "public sealed class Tally { public int Total { get; private set; } }"),
        new("duplicate JSON name", "[SessionKey] public partial Clash? Both { get; set; }", "RMS001", "Both", Extra: "public sealed class Clash { [System.Text.Json.Serialization.JsonPropertyName(\"x\")] public int A { get; set; } [System.Text.Json.Serialization.JsonPropertyName(\"x\")] public int B { get; set; } }"),
        new("JsonInclude with a private setter", "[SessionKey] public partial Counter? Count { get; set; }", "RMS001", "Count", Extra: "public sealed class Counter { [System.Text.Json.Serialization.JsonInclude] public int Total { get; private set; } }"),
        new("WhenWritingNull on a value type", "[SessionKey] public partial Level? Depth { get; set; }", "RMS001", "Depth", Extra: "public sealed class Level { [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] public int N { get; set; } }"),
        new("ignored when reading", "[SessionKey] public partial Stamp? Mark { get; set; }", "RMS001", "Mark", Extra: "public sealed class Stamp { [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenReading)] public int N { get; set; } }"),
        new("tuples differing only in names", "[SessionKey] public partial (int A, string B)? First { get; set; }\n[SessionKey] public partial (int X, string Y)? Second { get; set; }", "RMS001", "First", AlsoAt: "Second"),
        new("type obsolete as an error inside an obsolete wrapper", "[SessionKey] public partial OldWrapper? Old { get; set; }", "RMS001", "Old", Extra: "[System.Obsolete(\"gone\", true)] public record Gone(int A); [System.Obsolete(\"old\")] public class OldWrapper { public Gone? X { get; set; } public int Y { get; set; } }"),
        new("constructor taking ref readonly", "[SessionKey] public partial ByRef? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class ByRef { [System.Text.Json.Serialization.JsonConstructor] public ByRef(ref readonly int a) { A = a; } public int A { get; } }"),
        new("constructor taking in", "[SessionKey] public partial ByIn? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class ByIn { public ByIn(in int a) { A = a; } public int A { get; } }"),
        new("two members bound to one constructor parameter", "[SessionKey] public partial Cased? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class Cased { public Cased(int a) { A = a; } public int A { get; } public int a => A; }"),
        new("an ignored member bound to a constructor parameter with another", "[SessionKey] public partial IgnoredTwin? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class IgnoredTwin { public IgnoredTwin(int a) { A = a; } public int A { get; } [System.Text.Json.Serialization.JsonIgnore] public int a { get; set; } }"),
        new("a private-getter member bound to a constructor parameter with another", "[SessionKey] public partial SetOnlyTwin? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class SetOnlyTwin { public SetOnlyTwin(int a) { A = a; } public int A { get; } public int a { private get; set; } }"),
        new("a renamed override bound to a constructor parameter with its base", "[SessionKey] public partial RenamedDerived? Thing { get; set; }", "RMS001", "Thing", Extra: "public class RenamedRoot { public virtual int X { get; set; } } public sealed class RenamedDerived : RenamedRoot { public RenamedDerived(int x) { X = x; } [System.Text.Json.Serialization.JsonPropertyName(\"y\")] public override int X { get; set; } }"),
        new("a hidden renamed base member bound to a constructor parameter with its hider", "[SessionKey] public partial HidingDerived? Thing { get; set; }", "RMS001", "Thing", Extra: "public class HiddenRoot { [System.Text.Json.Serialization.JsonPropertyName(\"b\")] public int X { get; set; } } public sealed class HidingDerived : HiddenRoot { public HidingDerived(int x) { X = x; } public new int X { get; } }"),
        new("framework type stored as an object", "[SessionKey] public partial System.Drawing.Size Dimensions { get; set; }", "RMS001", "Dimensions"),
        new("framework type with state outside its properties", "[SessionKey] public partial System.Text.StringBuilder? Text { get; set; }", "RMS001", "Text"),
        new("immutable queue interface", "[SessionKey] public partial System.Collections.Immutable.IImmutableQueue<int>? Pending { get; set; }", "RMS001", "Pending"),
        new("readonly JsonInclude field", "[SessionKey] public partial Frozen? Value1 { get; set; }", "RMS015", "Value1", Extra: "public sealed class Frozen { [System.Text.Json.Serialization.JsonInclude] public readonly int Count; public int Other { get; set; } }"),
        new("asynchronous stream", "[SessionKey] public partial Feed? Items { get; set; }", "RMS001", "Items", Extra: "public sealed class Feed : System.Collections.Generic.IAsyncEnumerable<int> { public int X { get; set; } public System.Collections.Generic.IAsyncEnumerator<int> GetAsyncEnumerator(System.Threading.CancellationToken cancellationToken = default) => throw new System.NotSupportedException(); }"),
        new("serialization callback", "[SessionKey] public partial Stamped? Stamp { get; set; }", "RMS001", "Stamp", Extra: "public sealed class Stamped : System.Text.Json.Serialization.IJsonOnDeserialized { public int A { get; set; } public void OnDeserialized() { } }"),
        new("public ref-returning property", "[SessionKey] public partial RefHolder? Holder { get; set; }", "RMS001", "Holder", Extra: "public sealed class RefHolder { private int _x; public ref int X => ref _x; public int Y { get; set; } }"),
        new("no constructor", "[SessionKey] public partial Sealed? Thing { get; set; }", "RMS001", "Thing", Extra: "public sealed class Sealed { private Sealed() { } public int A { get; set; } }"),
        new("not partial", "[SessionKey] public partial int? Count { get; set; }", "RMS002", "{name}", Schema: "[Session<{storage}>]\npublic class {name}", UserCodeCompiles: false),
        new("outer not partial", "[SessionKey] public partial int? Count { get; set; }", "RMS002", "Outer", Schema: "public class Outer {{ [Session<{storage}>]\npublic partial class {name}", Extra: "}", UserCodeCompiles: false),
        new("not a partial property", "[SessionKey] public int? Plain { get; set; }", "RMS003", "Plain"),
        new("getter only", "[SessionKey] public partial int? ReadOnly { get; }", "RMS003", "ReadOnly"),
        new("returns by reference", "[SessionKey] public partial ref readonly int Pinned { get; }", "RMS003", "Pinned"),
        new("implemented by the user", "[SessionKey] public partial int? Own { get; set; }\npublic partial int? Own { get => 1; set { } }", "RMS003", "Own"),
        new("extern", "[SessionKey] public extern partial int? Outside { get; set; }", "RMS003", "Outside"),
        new("indexer", "[SessionKey] public partial string? this[int index, params string[] rest] { get; set; }", "RMS003", "this"),
        new("two key indexers", "[SessionKey] public partial string? this[int index] { get; set; }\n[SessionKey] public partial string? this[string name] { get; set; }", "RMS003", "this", AlsoAt: "this"),
        new("key indexer next to an indexer of the user's", "[SessionKey] public partial string? this[int index] { get; set; }\npublic partial string? this[string name] { get; set; }\npublic partial string? this[string name] { get => name; set { } }", "RMS003", "this"),
        new("static key", "[SessionKey] public static partial int? Shared { get; set; }", "RMS004", "Shared"),
        new("duplicate key", "[SessionKey(\"dup\")] public partial int? First { get; set; }\n[SessionKey(\"dup\")] public partial int? Second { get; set; }", "RMS005", "Second"),
        new("key and flash", "[SessionKey, Flash] public partial string? Both { get; set; }", "RMS006", "Both"),
        new("reserved name", "[SessionKey(\"__meta\")] public partial int? Meta { get; set; }", "RMS007", "Meta"),
        new("not a storage", "[SessionKey] public partial int? Count { get; set; }", "RMS008", "Session<string>", Storage: "string"),
        new("C# 12", "[SessionKey] public partial int? Count { get; set; }", "RMS010", "{name}", UserCodeCompiles: false, LanguageVersion: Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12),
        new("abstract schema", "[SessionKey] public partial int? Count { get; set; }", "RMS014", "{name}", Schema: "[Session<{storage}>]\npublic abstract partial class {name}"),
        new("primary constructor", "[SessionKey] public partial int? Count { get; set; }", "RMS014", "{name}", Schema: "[Session<{storage}>]\npublic partial class {name}(int seed)"),
        new("derived from a schema", "[SessionKey] public partial int? Count { get; set; }", "RMS014", "{name}", Schema: "[Session<{storage}>]\npublic partial class {name} : BaseSchema", Extra: "[Session<CookieSessionStorage>] public partial class BaseSchema { [SessionKey] public partial string? Other { get; set; } }"),
        new("base without a parameterless constructor", "[SessionKey] public partial int? Count { get; set; }", "RMS014", "{name}", Schema: "[Session<{storage}>]\npublic partial class {name} : Needy", Extra: "public class Needy { public Needy(int x) => X = x; public int X { get; } }", UserCodeCompiles: false),
        new("a type named var in scope", "[SessionKey] public partial int? Count { get; set; }", "RMS014", "{name}", Extra: "#pragma warning disable CS8981\npublic record @var(int A);\n#pragma warning restore CS8981"),
        new("static schema", "", "RMS014", "{name}", Schema: "[Session<{storage}>]\npublic static partial class {name}", UserCodeCompiles: false),
        new("generic schema", "[SessionKey] public partial T? Item { get; set; }", "RMS009", "{name}", Schema: "[Session<{storage}>]\npublic partial class {name}<T> where T : struct"),
        new("non-nullable reference", "[SessionKey] public partial string Name { get; set; }", "RMS011", "Name"),
        new("over the cookie budget", string.Join("\n", Enumerable.Range(0, 80).Select(i => $"[SessionKey] public partial decimal? Amount{i} {{ get; set; }}")), "RMS012", "{name}"),
        new("key named Store", "[SessionKey] public partial int? Store { get; set; }", "RMS013", "Store"),
        new("key named Value", "[SessionKey] public partial string? Value { get; set; }", "RMS013", "Value"),
        new("member named like Has", "[SessionKey] public partial int? Total { get; set; }\npublic bool HasTotal => true;", "RMS013", "HasTotal"),
        new("method named Destroy", "public void Destroy() { }", "RMS013", "Destroy"),
        new("JSON attribute on a key", "[SessionKey, System.Text.Json.Serialization.JsonPropertyName(\"uid\")] public partial int? Renamed { get; set; }", "RMS016", "System.Text.Json.Serialization.JsonPropertyName(\"uid\")"),
        new("JSON converter on a flash", "[Flash] [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<System.DayOfWeek>))] public partial System.DayOfWeek Day { get; set; }", "RMS016", "System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<System.DayOfWeek>))"),
        new("key named IsDirty", "[SessionKey] public partial bool IsDirty { get; set; }", "RMS013", "IsDirty"),
        new("nested record named Value", "public record Value(int X);", "RMS013", "Value"),
        new("nested class named ValueStore", "public sealed class ValueStore { }", "RMS013", "ValueStore"),
        new("nested class named Store", "public static class Store { }", "RMS013", "Store"),
        new("nested struct named like Has", "[SessionKey] public partial int? Total { get; set; }\npublic struct HasTotal { }", "RMS013", "HasTotal"),
        new("nested enum named RegenerateId", "public enum RegenerateId { A }", "RMS013", "RegenerateId"),
        new("nested delegate named Seal", "public delegate void Seal();", "RMS013", "Seal"),
        new("nested interface named CommitAsync", "public interface CommitAsync { }", "RMS013", "CommitAsync"),
    ];

    private static readonly string[] ValidKeys =
    [
        "[SessionKey] public partial int? UserId { get; set; }",
        "[SessionKey] public partial int Visits { get; set; }",
        "[Flash] public partial string? Notice { get; set; }",
        "[SessionKey] public partial System.Collections.Generic.List<string>? Tags { get; set; }",
        "[SessionKey(\"when\")] public partial System.DateTimeOffset? @event { get; set; }",
        "[Flash] public partial bool Saved { get; set; }",
    ];

    [Fact]
    public void Each_invalid_declaration_gets_exactly_its_diagnostic_at_the_member_and_generated_code_compiles()
    {
        var gen = Gen.Select(Gen.Int[0, Cases.Length - 1], Gen.Int[0, 63], Gen.Int[0, 999]);
        gen.Sample((caseIndex, validMask, schemaNumber) => Check(Cases[caseIndex], validMask, schemaNumber), iter: 150, threads: 1);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Every_case_alone(string name) => Check(Cases.Single(c => c.Name == name), 0, 1);

    public static TheoryData<string> CaseNames() => new(Cases.Select(c => c.Name));

    private static void Check(Case invalid, int validMask, int schemaNumber)
    {
        var name = "S" + schemaNumber;
        // RMS012 estimates only bounded schemas, so that case keeps the keys whose JSON has a largest size.
        var valid = ValidKeys.Where((key, i) => (validMask & (1 << i)) != 0 && invalid.Expected != "RMS009"
            && !(invalid.Expected == "RMS012" && (key.Contains("string", StringComparison.Ordinal) || key.Contains("List", StringComparison.Ordinal))));
        var header = invalid.Schema.Replace("{storage}", invalid.Storage).Replace("{name}", name).Replace("{{", "{");
        var source = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n" + header + "\n{\n" + string.Join("\n", valid) + "\n" + invalid.Members + "\n}\n"
            + (invalid.Schema.Contains("Outer", StringComparison.Ordinal) ? invalid.Extra + "\n" : invalid.Extra + "\n");
        var (result, output) = GeneratorHarness.Run(source, invalid.LanguageVersion);
        var generatedTrees = result.GeneratedTrees.ToHashSet();
        var compilerErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(!compilerErrors.Any(d => d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)), $"{invalid.Name}: errors in generated code:\n{string.Join("\n", compilerErrors)}\n\n{source}");
        if (invalid.UserCodeCompiles)
        {
            Assert.True(compilerErrors.Count == 0, $"{invalid.Name}: compiler errors:\n{string.Join("\n", compilerErrors)}\n\n{source}");
        }

        var analyzerDiagnostics = output.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var ours = result.Diagnostics.Concat(analyzerDiagnostics).Where(d => d.Id.StartsWith("RMS", StringComparison.Ordinal)).ToList();
        // One diagnostic, or (RMS001) one per unstorable member path, all of the expected rule.
        Assert.True(ours.Count >= 1 && ours.All(d => d.Id == invalid.Expected) && (ours.Count == 1 || invalid.Expected == "RMS001" || invalid.AlsoAt is not null), $"{invalid.Name}: expected {invalid.Expected} only, got:\n{string.Join("\n", ours)}\n\n{source}");
        var at = invalid.At.Replace("{name}", name);
        foreach (var diagnostic in ours)
        {
            // The generator's diagnostics carry a file path and span (no syntax tree survives its pipeline): map them back.
            var location = diagnostic.Location;
            var tree = location.SourceTree ?? output.SyntaxTrees.Single(t => t.FilePath == location.GetLineSpan().Path);
            var text = tree.GetText().ToString(location.SourceSpan);
            Assert.True(text == at || text == invalid.AlsoAt, $"{invalid.Name}: {invalid.Expected} at '{text}', expected at '{at}'");
        }
    }
}
