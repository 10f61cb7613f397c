using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Diagnostics;

/// <summary>
/// The application's own analyzers (naming, design rules, StyleCop and the like) skip generated code. The key
/// declarations are the user's: whatever the generator adds to a partial property must not make them look generated.
/// </summary>
public sealed class UserAnalyzersTests
{
    /// <summary>Reports every property it is shown, as an organisation's rule about properties would; generated code excluded.</summary>
#pragma warning disable RS1038, RS1041, RS1036, RS2008 // a test's in-memory analyzer, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class EveryPropertyAnalyzer : DiagnosticAnalyzer
    {
        public static readonly DiagnosticDescriptor Rule = new("ORG001", "Property", "Property {0}", "Design", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(c => c.ReportDiagnostic(Diagnostic.Create(Rule, c.Symbol.Locations[0], c.Symbol.Name)), SymbolKind.Property);
        }
    }
#pragma warning restore RS1038, RS1041, RS1036, RS2008

    [Fact]
    public async Task The_applications_analyzers_see_the_key_declarations_and_not_the_generated_members()
    {
        var (_, output) = GeneratorHarness.Run("""
            using System.Collections.Generic;
            using Remastered.Sessions;

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial List<string>? Tags { get; set; }
                [Flash] public partial string? Notice { get; set; }
                public int Plain { get; set; }
            }
            """);
        Assert.Empty(GeneratorHarness.Errors(output));
        var reported = await output.WithAnalyzers([new EveryPropertyAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var names = reported.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToArray();

        // The user's keys and plain property, reported at the user's declarations; no generated property (HasTags, ...).
        Assert.Equal(["Property Notice", "Property Plain", "Property Tags"], names);
        Assert.All(reported, d => Assert.DoesNotContain(".g.cs", d.Location.SourceTree!.FilePath, StringComparison.Ordinal));
    }
}
