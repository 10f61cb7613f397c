using System.Collections.Immutable;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>
/// Schemas as they are while someone types them: a valid or invalid schema with a random edit (cut off anywhere, a span
/// deleted or repeated, a token inserted). The editor runs the generator and the analyzer on every keystroke, so
/// neither may ever throw (the compiler would report CS8785 and drop all generated code, or AD0001), whatever the
/// syntax errors. CsCheck prints the seed of a failing case.
/// </summary>
public sealed class EditingSchemaPropertyTests
{
    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "<", ">", "[", "]", "?", ";", ",", "=", "\"", "@", ".", ":", "=>",
        "[SessionKey]", "[Flash]", "[SessionKey(\"", "[Session<", "partial", "static", "ref", "readonly", "required", "init", "get;", "set;",
        "public", "private", "class", "record", "struct", "new", "this", "default", "null", "global::", "where T : struct", "#if X", "#endif", "/*", "//",
    ];

    [Fact]
    public void The_generator_and_the_analyzer_never_fail_on_a_half_typed_schema()
    {
        var sources = Gen.OneOf(
            Gen.Int[0, int.MaxValue].Select(seed => SchemaGrammar.Build(seed).Source),
            Gen.Int[0, InvalidSchemaPropertyTests.Cases.Length - 1].Select(i => InvalidSource(InvalidSchemaPropertyTests.Cases[i])));
        var edits = Gen.Select(sources, Gen.Int[0, 3], Gen.Double[0, 1], Gen.Int[1, 40], Gen.Int[0, Tokens.Length - 1])
            .Select((source, kind, at, length, token) => Edit(source, kind, at, length, token));
        var processed = 0;
        edits.Sample(source => processed += Check(source), iter: 250, threads: 1);

        // Most edits leave a schema the generator and the analyzer still see: they really ran on half-typed code.
        Assert.True(processed > 250, $"only {processed} compilations had generated code or an RMS diagnostic");
    }

    private static string InvalidSource(InvalidSchemaPropertyTests.Case invalid)
        => "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n"
            + invalid.Schema.Replace("{storage}", invalid.Storage).Replace("{name}", "S1").Replace("{{", "{")
            + "\n{\n[SessionKey] public partial int Visits { get; set; }\n" + invalid.Members + "\n}\n" + invalid.Extra + "\n";

    private static string Edit(string source, int kind, double at, int length, int token)
    {
        var position = (int)(at * source.Length);
        var span = Math.Min(length, source.Length - position);
        return kind switch
        {
            0 => source[..position],                                                       // cut off: typing at the end
            1 => source.Remove(position, span),                                            // a span deleted
            2 => source.Insert(position, source.Substring(position, span)),                // a span pasted twice
            _ => source.Insert(position, " " + Tokens[token] + " "),                       // a token typed in the middle
        };
    }

    /// <summary>Runs both in C# 13+ and C# 12; returns in how many of the two the generator emitted or an RMS diagnostic came out.</summary>
    private static int Check(string source)
    {
        var processed = 0;
        foreach (var languageVersion in new[] { Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview, Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12 })
        {
            var compilation = GeneratorHarness.CreateCompilation(source, languageVersion);
            var driver = GeneratorHarness.CreateDriver(compilation).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var result = driver.GetRunResult().Results.Single();
            Assert.True(result.Exception is null, $"the generator threw {result.Exception}\n\n{source}");
            Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785");

            var failures = new List<Exception>();
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]), (exception, _, _) => failures.Add(exception), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
            var analyzerDiagnostics = output.WithAnalyzers([new SessionSchemaAnalyzer()], options).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            Assert.True(failures.Count == 0, $"the analyzer threw {failures.FirstOrDefault()}\n\n{source}");
            Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");
            if (result.GeneratedSources.Length > 0 || result.Diagnostics.Concat(analyzerDiagnostics).Any(d => d.Id.StartsWith("RMS", StringComparison.Ordinal)))
            {
                processed++;
            }
        }

        return processed;
    }
}
