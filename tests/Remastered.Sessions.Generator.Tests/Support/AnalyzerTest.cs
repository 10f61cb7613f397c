using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.Generator.Tests.Support;

/// <summary>
/// Analyzer tests that run offline: an empty <c>net10.0</c> reference set (nothing to download) filled with
/// Basic.Reference.Assemblies.Net100 and the runtime library.
/// </summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<SessionSchemaAnalyzer, DefaultVerifier>
{
    private readonly LanguageVersion _languageVersion;

    public AnalyzerTest(string source, LanguageVersion languageVersion = LanguageVersion.Preview)
    {
        _languageVersion = languageVersion;
        TestCode = source;
        ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        TestState.AdditionalReferences.AddRange(Net100.References.All);
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(SessionStore).Assembly.Location));
        TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        // Without the generator in this harness the partial properties have no implementation; only our diagnostics count.
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    protected override ParseOptions CreateParseOptions()
        => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(_languageVersion);

    protected override CompilationOptions CreateCompilationOptions()
        => ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable).WithAllowUnsafe(true);

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
