using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Incremental;

/// <summary>The pipeline's models are value-equal, so edits that do not touch a schema do no work.</summary>
public sealed class IncrementalCachingTests
{
    private const string Schema = """
        using Remastered.Sessions;
        namespace App;
        [Session<CookieSessionStorage>]
        public partial class AppSession
        {
            [SessionKey("user_id")] public partial int? UserId { get; set; }
            [Flash] public partial string? Notice { get; set; }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorHarness.CreateCompilation([Schema, "namespace App; public class Other { }"]);
        var driver = GeneratorHarness.CreateDriver(compilation, trackSteps: true).RunGenerators(compilation);
        return (driver, compilation);
    }

    private static IEnumerable<IncrementalStepRunReason> TrackedReasons(GeneratorRunResult result)
        => new[] { TrackingNames.Parse, TrackingNames.Valid }
            .SelectMany(name => result.TrackedSteps[name])
            .SelectMany(step => step.Outputs)
            .Select(output => output.Reason);

    [Fact]
    public void An_unrelated_edit_leaves_every_tracked_step_cached_or_unchanged()
    {
        var (driver, compilation) = FirstRun();
        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            "namespace App; public class Other { public int Added { get; set; } }")));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = TrackedReasons(result).ToList();
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, reason.ToString()));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Changing_a_key_modifies_the_model_and_regenerates()
    {
        var (driver, compilation) = FirstRun();
        var schema = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(schema, schema.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            Schema.Replace("\"user_id\"", "\"uid\""))));

        var run = driver.RunGenerators(edited).GetRunResult();
        var result = run.Results.Single();
        Assert.Contains(result.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("\"uid\"", run.GeneratedTrees.Single().GetText().ToString());
    }
    [Fact]
    public void Editing_one_of_two_schemas_regenerates_that_schema_alone()
    {
        // The outputs share the list of file names that differ only in case: an edit that keeps the names keeps it.
        var second = "using Remastered.Sessions;\nnamespace App;\n[Session<MemorySessionStorage>] public partial class CartSession { [SessionKey] public partial int Count { get; set; } }";
        var compilation = GeneratorHarness.CreateCompilation([Schema, second]);
        var driver = GeneratorHarness.CreateDriver(compilation, trackSteps: true).RunGenerators(compilation);
        var schema = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(schema, schema.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            Schema.Replace("\"user_id\"", "\"uid\""))));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.All(result.TrackedSteps[TrackingNames.CaseClashes].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Cached));
    }
}
