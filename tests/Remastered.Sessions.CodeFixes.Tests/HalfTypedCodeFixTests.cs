using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;

namespace Remastered.Sessions.CodeFixes.Tests;

/// <summary>
/// The code fixes on schemas as they are while someone types them: sources with a fixable diagnostic (RMS002, RMS003,
/// RMS005, RMS011, RMS013, RMS016) and a random edit (cut off, a span deleted or repeated, a token inserted). Every fix offered
/// for every diagnostic still reported computes its change without throwing (the editor would show "the code fix
/// failed"). CsCheck prints the seed of a failing case.
/// </summary>
public sealed class HalfTypedCodeFixTests
{
    private const string Header = "#nullable enable\nusing Remastered.Sessions;\nnamespace App;\n";

    private static readonly string[] Sources =
    [
        Header + "[Session<CookieSessionStorage>]\npublic class AppSession\n{\n    [SessionKey] public partial int? Count { get; set; }\n}\n",
        Header + "public class Outer\n{\n    [Session<CookieSessionStorage>]\n    public partial class AppSession\n    {\n        [SessionKey] public partial int? Count { get; set; }\n    }\n}\n",
        Header + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n    [SessionKey] public int? Plain { get; set; }\n    [SessionKey] public partial int? ReadOnly { get; }\n    [SessionKey] public partial ref readonly int Pinned { get; }\n    [SessionKey]\n    extern public partial int? Outside { get; set; }\n    [SessionKey] public int? WithBody { get => 1; set { } }\n    [SessionKey] public string? Field;\n}\n",
        Header + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n    [SessionKey(\"dup\")] public partial int? First { get; set; }\n    [SessionKey(\"dup\")] public partial int? Second { get; set; }\n    [SessionKey] public partial int? Third { get; set; }\n    [SessionKey(\"third\")] public partial string? Fourth { get; set; }\n}\n",
        Header + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n    [SessionKey] public partial string Name { get; set; }\n    [Flash] public partial System.Collections.Generic.List<string> Messages { get; set; }\n    [SessionKey] public partial string[] Tags { get; set; }\n}\n",
        Header + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n    [SessionKey, System.Text.Json.Serialization.JsonPropertyName(\"uid\")] public partial int? UserId { get; set; }\n    [Flash]\n    [System.Text.Json.Serialization.JsonIgnore]\n    public partial string? Notice { get; set; }\n    [System.Text.Json.Serialization.JsonPropertyOrder(1), SessionKey(\"n\")] public partial int? Number { get; set; }\n}\n",
        Header + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n    [SessionKey] public partial int? Store { get; set; }\n    [SessionKey] public partial int? Total { get; set; }\n    public bool HasTotal => true;\n    public void Destroy() { }\n    public int IsDirty;\n    public class Value { }\n}\n",
    ];

    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "<", ">", "[", "]", "?", ";", ",", "=", "\"", "@", ".", "=>", "[SessionKey]", "[Flash]", "[SessionKey(\"",
        "partial", "static", "ref", "readonly", "extern", "get;", "set;", "init;", "public", "class", "new", "this", "#if X", "#endif", "/*", "//",
    ];

    private static readonly CodeFixProvider[] Fixes =
    [
        new MakeSchemaPartialCodeFix(), new MakeKeyPartialPropertyCodeFix(), new RenameDuplicateKeyCodeFix(),
        new MakeKeyNullableCodeFix(), new RenameClashingMemberCodeFix(), new RemoveJsonAttributeFromKeyCodeFix(),
    ];

    [Fact]
    public void Every_fix_offered_on_a_half_typed_schema_computes_its_change()
    {
        var offered = new Dictionary<string, int>();
        Gen.Select(Gen.Int[0, Sources.Length - 1], Gen.Int[0, 4], Gen.Double[0, 1], Gen.Int[1, 30], Gen.Int[0, Tokens.Length - 1], Gen.Bool)
            .Select((source, kind, at, length, token, csharp12) => (Edit(Sources[source], kind, at, length, token), csharp12 ? LanguageVersion.CSharp12 : LanguageVersion.Preview))
            .Sample(c => CheckAsync(c.Item1, c.Item2, offered).GetAwaiter().GetResult(), iter: 400, threads: 1);

        // Most edits leave some fixable diagnostic in place: every fix really ran, many times.
        foreach (var fix in Fixes)
        {
            var count = offered.GetValueOrDefault(fix.GetType().Name);
            Assert.True(count >= 20, $"{fix.GetType().Name} was offered only {count} times");
        }
    }

    private static string Edit(string source, int kind, double at, int length, int token)
    {
        var position = (int)(at * source.Length);
        var span = Math.Min(length, source.Length - position);
        return kind switch
        {
            0 => source,                                                                   // untouched: the fixes as such
            1 => source[..position],                                                       // cut off: typing at the end
            2 => source.Remove(position, span),                                            // a span deleted
            3 => source.Insert(position, source.Substring(position, span)),                // a span pasted twice
            _ => source.Insert(position, " " + Tokens[token] + " "),                       // a token typed in the middle
        };
    }

    /// <summary>Runs every fix for every diagnostic it fixes (the analyzer's and the generator's), counting them per fix.</summary>
    private static async Task CheckAsync(string source, LanguageVersion languageVersion, Dictionary<string, int> offered)
    {
        using var workspace = new AdhocWorkspace();
        var document = FixHarness.CreateDocument(workspace, source, languageVersion);
        var (_, diagnostics) = await FixHarness.DiagnoseAsync(document);

        foreach (var diagnostic in diagnostics)
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                try
                {
                    await fix.RegisterCodeFixesAsync(context);
                    foreach (var action in actions)
                    {
                        offered[fix.GetType().Name] = offered.GetValueOrDefault(fix.GetType().Name) + 1;
                        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
                        {
                            if (operation is ApplyChangesOperation apply)
                            {
                                // The changed text is computed (what the editor previews).
                                var changed = apply.ChangedSolution.GetDocument(document.Id);
                                _ = changed is null ? null : await changed.GetTextAsync();
                            }
                        }
                    }
                }
                catch (Exception exception)
                {
                    Assert.Fail($"{fix.GetType().Name} threw on {diagnostic}: {exception}\n\n{source}");
                }
            }
        }
    }
}
