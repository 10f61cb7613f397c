namespace Remastered.Sessions.Packaging.Tests;

/// <summary>
/// The schema diagnostics a user must see in a real <c>dotnet build</c> of a fresh app referencing the packed package:
/// the generator still implements what the user declared, so no compiler error hides the analyzer's diagnostic (and
/// where the user's own code cannot compile, the generator reports it itself).
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class DiagnosticsInRealBuildTests(PackageFixture package)
{
    [Theory]
    [InlineData("RMS002", "public class AppSession", "[SessionKey] public partial int? Count { get; set; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS003", "public partial class AppSession", "[SessionKey] public int? Count { get; set; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS003", "public partial class AppSession", "[SessionKey] public partial int? Count { get; set; }\n    public partial int? Count { get => 1; set { } }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS003", "public partial class AppSession", "[SessionKey] public partial ref readonly int Count { get; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS003", "public partial class AppSession", "[SessionKey] public partial string? this[int index] { get; set; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS003", "public partial class AppSession", "[SessionKey] public extern partial int? Count { get; set; }\n    [SessionKey] public partial ref readonly int Pinned { get; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS008", "public partial class AppSession", "[SessionKey] public partial int? Count { get; set; }", "[Session<string>]")]
    [InlineData("RMS009", "public partial class AppSession<T>", "[SessionKey] public partial int? Count { get; set; }", "[Session<CookieSessionStorage>]")]
    [InlineData("RMS014", "public abstract partial class AppSession", "[SessionKey] public partial int? Count { get; set; }", "[Session<CookieSessionStorage>]")]
    public void The_diagnostic_appears_in_a_real_build(string id, string declaration, string key, string attribute)
    {
        var project = package.CreateConsumer("Diagnostic" + id, $$"""
            using Remastered.Sessions;

            Console.WriteLine("built");

            {{attribute}}
            {{declaration}}
            {
                {{key}}
            }
            """);

        var build = PackageFixture.Dotnet(project, "build", "-c", "Release");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains($"error {id}:", build.Output);
        if (id != "RMS002")
        {
            // The user's code is fine apart from the schema rule: the rule is the only error.
            Assert.DoesNotContain("error CS", build.Output);
        }
    }

    [Fact]
    public void RMS010_appears_in_a_real_build_below_CSharp_13_beside_the_compilers_own_errors()
    {
        var project = package.CreateConsumer("DiagnosticRMS010", """
            using Remastered.Sessions;

            Console.WriteLine("built");

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? Count { get; set; }
            }
            """);

        var build = PackageFixture.Dotnet(project, "build", "-c", "Release", "-p:LangVersion=12");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error RMS010:", build.Output);
        Assert.Contains("this project uses C# 12.0", build.Output);
    }

    [Fact]
    public void Ordinary_declarations_build_without_warnings_and_behave_like_properties()
    {
        var project = package.CreateConsumer("OrdinarySchema", """
            using System.Diagnostics.CodeAnalysis;
            using Remastered.Sessions;

            var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = ["packaging-test-secret-0123456789abcdefgh"] });
            var session = await AppSession.LoadAsync(storage, null);
            session.Count = 0;
            session.Mode = Mode.Dark;
            session.Cart = [];
            session.Cart.Add(new Line("a", 1) { Note = "gift" });
            session.@event = new Profile { Name = "Ada" };
            session.Position = new Point(1, 2);
            session.Saved = true;
            var cookie = (await session.CommitAsync())!.Split(';')[0];

            var next = await AppSession.LoadAsync(storage, cookie);
            next.Cart!.Add(new Line("b", 2, "plain"));
            next.@event!.Name = "Grace";
            var savedInNext = next.Saved;
            cookie = (await next.CommitAsync())!.Split(';')[0];

            var last = await AppSession.LoadAsync(storage, cookie);
            Console.WriteLine($"count={last.Count} has={last.HasCount} mode={last.Mode} cart={last.Cart!.Count} note={last.Cart[0].Note} name={last.@event!.Name} x={last.Position.X} same={ReferenceEquals(last.Cart, last.Cart)} flash={savedInNext}/{last.HasSaved}");

            public enum Mode { Light, Dark }

            // Two public constructors: System.Text.Json (and so the generator) needs [JsonConstructor] to pick one.
            internal sealed record Line
            {
                [System.Text.Json.Serialization.JsonConstructor]
                public Line(string sku, int quantity) => (Sku, Quantity) = (sku, quantity);

                [SetsRequiredMembers]
                public Line(string sku, int quantity, string note) : this(sku, quantity) => Note = note;

                public string Sku { get; }

                public int Quantity { get; }

                public required string Note { get; init; }
            }

            public sealed class Profile { public string? Name { get; set; } }

            public record struct Point(int X, int Y);

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int Count { get; set; }
                [SessionKey] public partial Mode Mode { get; set; }
                [SessionKey] internal partial List<Line>? Cart { get; set; }
                [SessionKey] public partial Profile? @event { get; set; }
                [SessionKey] public partial Point Position { get; set; }
                [Flash] public partial bool Saved { get; set; }
            }
            """);

        var build = PackageFixture.Dotnet(project, "build", "-c", "Release", "-warnaserror");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = PackageFixture.Dotnet(project, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.True(run.Output.Contains("count=0 has=True mode=Dark cart=2 note=gift name=Grace x=1 same=True flash=True/False", StringComparison.Ordinal), run.Output);
    }
}
