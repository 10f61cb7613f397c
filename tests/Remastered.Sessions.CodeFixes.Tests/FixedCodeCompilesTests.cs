using System.Text;
using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.CodeFixes.Tests;

/// <summary>
/// The code fixes on complete schemas laid out as people lay them out: keys with several attribute lists, comments,
/// line breaks, several keys on one line, and <c>#if</c>/<c>#region</c> pairs around any run of attribute lists and
/// declarations. Every fix offered for RMS002, RMS003, RMS005, RMS011 and RMS016 must give code with no compiler error
/// the original did not have (an unbalanced directive, a lost space) and one diagnostic of its kind fewer. CsCheck
/// prints the seed of a failing case.
/// </summary>
public sealed class FixedCodeCompilesTests
{
    private static readonly CodeFixProvider[] Fixes =
    [
        new MakeSchemaPartialCodeFix(), new MakeKeyPartialPropertyCodeFix(), new RenameDuplicateKeyCodeFix(),
        new MakeKeyNullableCodeFix(), new RemoveJsonAttributeFromKeyCodeFix(),
    ];

    private static readonly string[] KeyAttributes = ["[SessionKey]", "[Flash]", "[SessionKey(\"dup\")]", "[SessionKey, JsonIgnore]"];
    private static readonly string[] OtherAttributes = ["[JsonPropertyName(\"x\")]", "[JsonIgnore]", "[System.ComponentModel.Description(\"d\"), JsonPropertyOrder(1)]", "[System.ComponentModel.Description(\"kept\")]"];
    private static readonly string[] Declarations =
    [
        "public partial int? {0} {{ get; set; }}",
        "public int? {0} {{ get; set; }}",
        "public partial string {0} {{ get; set; }}",
        "public partial int? {0} {{ get; }}",
        "internal partial string? {0} {{ get; set; }}",
    ];

    private static readonly string[] Separators = [" ", "\n    ", " /* c */ ", " // c\n    ", "\n\n    ", string.Empty];

    [Fact]
    public void Every_fix_gives_code_without_new_errors_and_one_diagnostic_fewer()
    {
        var applied = new Dictionary<string, int>();
        var pieces = Gen.Select(Gen.Int[0, KeyAttributes.Length - 1], Gen.Int[0, OtherAttributes.Length - 1].Array[0, 2], Gen.Int[0, Declarations.Length - 1], Gen.Int[0, Separators.Length - 1].Array[4]);
        Gen.Select(pieces.Array[1, 4], Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 30], Gen.Int[0, 30], Gen.Bool)
            .Select((keys, partial, wrap, from, length, keyFirst) => Source(keys, partial, wrap, from, length, keyFirst))
            .Sample(source => CheckAsync(source, applied).GetAwaiter().GetResult(), iter: 150, threads: 1);

        foreach (var fix in Fixes)
        {
            var count = applied.GetValueOrDefault(fix.GetType().Name);
            Assert.True(count >= 10, $"{fix.GetType().Name} was applied only {count} times");
        }
    }

    /// <summary>A schema whose pieces (attribute lists, declarations) are joined by random separators, with a run of them wrapped in a directive pair.</summary>
    private static string Source((int Key, int[] Others, int Declaration, int[] Separators)[] keys, bool partial, int wrap, int from, int length, bool keyFirst)
    {
        var parts = new List<string>();
        for (var k = 0; k < keys.Length; k++)
        {
            var (key, others, declaration, separators) = keys[k];
            var lists = others.Select(o => OtherAttributes[o]).ToList();
            lists.Insert(keyFirst ? 0 : lists.Count, KeyAttributes[key]);
            for (var i = 0; i < lists.Count; i++)
            {
                parts.Add(lists[i] + Separators[separators[i % separators.Length]]);
            }

            parts.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, Declarations[declaration], "K" + k) + Separators[separators[3] % 2 == 0 ? 1 : 0]);
        }

        // Directives stand on lines of their own, around whole pieces: the original always compiles as far as they go.
        if (wrap > 0 && parts.Count > 0)
        {
            var start = from % parts.Count;
            var end = Math.Min(parts.Count - 1, start + (length % 3));
            var (open, close) = wrap == 1 ? ("#if true", "#endif") : ("#region r", "#endregion");
            parts[start] = "\n" + open + "\n    " + parts[start];
            parts[end] = parts[end] + "\n" + close + "\n    ";
        }

        var body = new StringBuilder();
        body.Append("#nullable enable\nusing System.Text.Json.Serialization;\nusing Remastered.Sessions;\nnamespace App;\n[Session<CookieSessionStorage>]\npublic ")
            .Append(partial ? "partial " : string.Empty).Append("class AppSession\n{\n    ");
        foreach (var part in parts)
        {
            body.Append(part);
        }

        return body.Append("\n}\n").ToString();
    }

    private static async Task CheckAsync(string source, Dictionary<string, int> applied)
    {
        using var workspace = new AdhocWorkspace();
        var document = FixHarness.CreateDocument(workspace, source);
        var (errors, diagnostics) = await FixHarness.DiagnoseAsync(document);
        foreach (var diagnostic in diagnostics)
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                foreach (var action in actions)
                {
                    var apply = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
                    var changed = apply.ChangedSolution.GetDocument(document.Id)!;
                    // Through text, as the editor applies it: a tree that only compiles as a tree would pass otherwise.
                    var text = (await changed.GetTextAsync()).ToString();
                    var reparsed = workspace.CurrentSolution.GetDocument(document.Id)!.WithText(SourceText.From(text));
                    var (fixedErrors, fixedDiagnostics) = await FixHarness.DiagnoseAsync(reparsed);
                    // A partial key in a class that is not partial yet is the compiler's error until RMS002 is fixed.
                    var stillNotPartial = fixedDiagnostics.Any(d => d.Id == DiagnosticDescriptors.SchemaNotPartial.Id);
                    var newErrors = fixedErrors.Where(e => !errors.Contains(e) && !(stillNotPartial && e is "CS0751" or "CS9248")).ToList();
                    Assert.True(newErrors.Count == 0, $"{fix.GetType().Name} on {diagnostic}: new errors {string.Join("; ", newErrors)}\n--- before:\n{source}\n--- after:\n{text}");
                    Assert.True(
                        fixedDiagnostics.Count(d => d.Id == diagnostic.Id) < diagnostics.Count(d => d.Id == diagnostic.Id),
                        $"{fix.GetType().Name} on {diagnostic}: as many {diagnostic.Id} after the fix\n--- before:\n{source}\n--- after:\n{text}");
                    applied[fix.GetType().Name] = applied.GetValueOrDefault(fix.GetType().Name) + 1;
                }
            }
        }
    }
}
