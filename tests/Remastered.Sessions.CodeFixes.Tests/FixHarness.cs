using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes.Tests;

/// <summary>A one-document project as the editor holds it, and the diagnostics the fixes there are offered for.</summary>
internal static class FixHarness
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
    ];

    public static Document CreateDocument(AdhocWorkspace workspace, string source, LanguageVersion languageVersion = LanguageVersion.Preview)
    {
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "App", "App", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(languageVersion),
            metadataReferences: References));
        return workspace.AddDocument(project.Id, "AppSession.cs", SourceText.From(source));
    }

    /// <summary>
    /// The compiler's error ids after generation, and the RMS diagnostics in the document: the analyzer's and the
    /// generator's (which reports some rules itself, RMS002 when the schema's keys are partial).
    /// </summary>
    public static async Task<(HashSet<string> Errors, List<Diagnostic> Diagnostics)> DiagnoseAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var analyzerDiagnostics = await compilation.WithAnalyzers([new SessionSchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        CSharpGeneratorDriver.Create([new Remastered.Sessions.Generator.SessionSchemaGenerator().AsSourceGenerator()], parseOptions: (CSharpParseOptions)document.Project.ParseOptions!)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var diagnostics = analyzerDiagnostics.Concat(generatorDiagnostics).Where(d => d.Id.StartsWith("RMS", StringComparison.Ordinal) && d.Location.IsInSource).ToList();
        return (errors, diagnostics);
    }
}
