using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Remastered.Sessions.Generator.Tests.Support;

/// <summary>Compiles sources in memory with the generator, against .NET 10 reference assemblies and the runtime library.</summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    public static CSharpCompilation CreateCompilation(string source, LanguageVersion languageVersion = LanguageVersion.Preview)
        => CreateCompilation([source], languageVersion);

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, LanguageVersion languageVersion = LanguageVersion.Preview, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var parseOptions = new CSharpParseOptions(languageVersion);
        return CSharpCompilation.Create(
            "SchemaTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true, warningLevel: 9999));
    }

    public static GeneratorDriver CreateDriver(CSharpCompilation compilation, bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            [new SessionSchemaGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns its result and the compilation including the generated code.</summary>
    public static (GeneratorDriverRunResult Result, Compilation Output) Run(string source, LanguageVersion languageVersion = LanguageVersion.Preview, OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary)
    {
        var compilation = CreateCompilation([source], languageVersion, outputKind);
        var driver = CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return (driver.GetRunResult(), output);
    }

    public static IReadOnlyList<Diagnostic> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
