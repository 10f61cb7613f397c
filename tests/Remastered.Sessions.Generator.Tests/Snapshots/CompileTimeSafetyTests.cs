using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Snapshots;

/// <summary>What the typed API refuses at compile time, and what the generator leaves alone.</summary>
public sealed class CompileTimeSafetyTests
{
    private const string Schema = """
        using System.Collections.Generic;
        using System.IO;
        using Remastered.Sessions;

        public sealed record CartItem(string Sku, int Quantity);

        [Session<CookieSessionStorage>]
        public partial class AppSession
        {
            [SessionKey("user_id")] public partial int? UserId { get; set; }
            [SessionKey] public partial List<CartItem>? Cart { get; set; }
            [Flash] public partial string? Notice { get; set; }
        }
        """;

    private static IReadOnlyList<Diagnostic> ErrorsWith(string usage)
    {
        var (_, output) = GeneratorHarness.Run(Schema + "\n" + usage);
        return GeneratorHarness.Errors(output);
    }

    [Fact]
    public void Setting_a_schema_value_type_through_the_store_compiles()
        => Assert.Empty(ErrorsWith("""
            static class Use
            {
                static void Run(AppSession session)
                {
                    session.Store.Set("user_id", 42);
                    session.Store.Set("cart", new List<CartItem>());
                    session.Store.Flash("notice", "hi");
                }
            }
            """));

    [Fact]
    public void Setting_a_value_outside_the_union_through_the_store_does_not_compile()
    {
        var errors = ErrorsWith("""
            static class Use
            {
                static void Run(AppSession session) => session.Store.Set("user_id", new MemoryStream());
            }
            """);
        Assert.Contains(errors, e => e.Id == "CS1503");
    }

    [Fact]
    public void A_typed_property_only_accepts_its_type()
    {
        var errors = ErrorsWith("""
            static class Use
            {
                static void Run(AppSession session) => session.UserId = "forty-two";
            }
            """);
        Assert.Contains(errors, e => e.Id == "CS0029");
    }

    [Fact]
    public void Below_CSharp_13_the_generator_emits_nothing_so_the_only_errors_are_the_compilers_own()
    {
        var (result, _) = GeneratorHarness.Run(Schema, LanguageVersion.CSharp12);
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void A_schema_class_that_is_not_partial_is_skipped()
    {
        var (result, _) = GeneratorHarness.Run("""
            using Remastered.Sessions;
            [Session<CookieSessionStorage>]
            public class NotPartial { }
            """);
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void A_json_schema_holding_a_stream_still_compiles_and_its_setter_refuses_the_value()
    {
        var (result, output) = GeneratorHarness.Run("""
            using System.IO;
            using Remastered.Sessions;
            public sealed record CartItem(string Sku, Stream Image);
            [Session<CookieSessionStorage>]
            public partial class Bad
            {
                [SessionKey] public partial CartItem? Item { get; set; }
                [SessionKey] public partial int? Fine { get; set; }
            }
            """);
        Assert.Empty(GeneratorHarness.Errors(output));
        var text = Assert.Single(result.GeneratedTrees).GetText().ToString();
        Assert.Contains("throw new global::Remastered.Sessions.SessionValueNotStorableException(\"Bad.Item -> CartItem.Image -> System.IO.Stream (a stream) cannot be stored by CookieSessionStorage (JSON only)\");", text);
    }
}
