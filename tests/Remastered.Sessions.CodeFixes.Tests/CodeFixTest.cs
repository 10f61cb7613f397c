using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes.Tests;

/// <summary>
/// Offline code-fix tests over two documents, so that the framework's fix-all checks (document, project, solution)
/// really fix across a project.
/// </summary>
internal sealed class CodeFixTest<TFix> : CSharpCodeFixTest<SessionSchemaAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public CodeFixTest(string[] sources, string[] fixedSources)
    {
        foreach (var source in sources)
        {
            TestState.Sources.Add(source);
        }

        foreach (var source in fixedSources)
        {
            FixedState.Sources.Add(source);
        }

        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(Net100.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location));
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Preview);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

    public static Task VerifyAsync(string[] sources, string[] fixedSources) => new CodeFixTest<TFix>(sources, fixedSources).RunAsync();
}
