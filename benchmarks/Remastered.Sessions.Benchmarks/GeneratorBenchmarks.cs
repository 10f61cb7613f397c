using System.Text;
using BenchmarkDotNet.Attributes;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Remastered.Sessions;
using Remastered.Sessions.Generator;

namespace Remastered.Sessions.Benchmarks;

/// <summary>The generator on 200 schemas: a full run, and a re-run after an edit that touches no schema.</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private const int SchemaCount = 200;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = Enumerable.Range(0, SchemaCount).Select(i => CSharpSyntaxTree.ParseText(Schema(i), options, path: $"Schema{i}.cs")).ToList();
        var unrelated = CSharpSyntaxTree.ParseText("namespace App; public class Unrelated { }", options, path: "Unrelated.cs");
        trees.Add(unrelated);
        _compilation = CSharpCompilation.Create(
            "Bench",
            trees,
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location), MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _edited = _compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(SourceText.From("namespace App; public class Unrelated { public int Edited; }")));
        _warm = CreateDriver().RunGenerators(_compilation);
        if (_warm.GetRunResult().GeneratedTrees.Length != SchemaCount)
        {
            throw new InvalidOperationException("The generator did not produce one file per schema.");
        }
    }

    [Benchmark(Baseline = true, Description = "Full run, 200 schemas")]
    public GeneratorDriver FullRun() => CreateDriver().RunGenerators(_compilation);

    [Benchmark(Description = "Re-run after an unrelated edit")]
    public GeneratorDriver IncrementalRun() => _warm.RunGenerators(_edited);

    private GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create([new SessionSchemaGenerator().AsSourceGenerator()], parseOptions: new CSharpParseOptions(LanguageVersion.Preview));

    private static string Schema(int i)
    {
        var text = new StringBuilder();
        text.AppendLine("using System; using System.Collections.Generic; using Remastered.Sessions;");
        text.AppendLine("namespace App;");
        text.AppendLine($"public sealed record Item{i}(string Sku, int Quantity, decimal Price, DateTimeOffset AddedAt);");
        text.AppendLine($"[Session<CookieSessionStorage>] public partial class Session{i}");
        text.AppendLine("{");
        text.AppendLine("    [SessionKey(\"user_id\")] public partial int? UserId { get; set; }");
        text.AppendLine("    [SessionKey] public partial string? Name { get; set; }");
        text.AppendLine($"    [SessionKey] public partial List<Item{i}>? Cart {{ get; set; }}");
        text.AppendLine("    [SessionKey] public partial Dictionary<string, Guid>? Tokens { get; set; }");
        text.AppendLine("    [Flash] public partial string? Notice { get; set; }");
        text.AppendLine("}");
        return text.ToString();
    }
}
