namespace Remastered.Sessions.Packaging.Tests;

[Collection(PackageCollection.Name)]
public sealed class GeneratorInPackageTests(PackageFixture package)
{
    [Fact]
    public void One_package_from_a_local_feed_gives_a_console_app_the_generated_accessors()
    {
        var project = package.CreateConsumer("TypedConsole", """
            using Remastered.Sessions;

            var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = ["packaging-test-secret-0123456789abcdefgh"] });
            var session = await AppSession.LoadAsync(storage, null);
            session.UserId = 42;
            session.Notice = "Welcome back";
            var cookie = (await session.CommitAsync())!.Split(';')[0];
            var next = await AppSession.LoadAsync(storage, cookie);
            Console.WriteLine($"user={next.UserId} notice={next.Notice} has={next.HasUserId}");

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey("user_id")] public partial int? UserId { get; set; }
                [Flash] public partial string? Notice { get; set; }
            }
            """);

        var build = PackageFixture.Dotnet(project, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.Output);
        var run = PackageFixture.Dotnet(project, "run", "-c", "Release", "--no-build");
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("user=42 notice=Welcome back has=True", run.Output);
    }
}

[Collection(PackageCollection.Name)]
public sealed class AnalyzerInPackageTests(PackageFixture package)
{
    [Fact]
    public void A_real_build_prints_RMS001_with_the_member_path_of_a_stream_inside_a_record()
    {
        var project = package.CreateConsumer("StreamInRecord", """
            using Remastered.Sessions;

            Console.WriteLine("built");

            public sealed record CartItem(string Sku, System.IO.Stream Image);

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial List<CartItem>? Cart { get; set; }
            }
            """);

        var build = PackageFixture.Dotnet(project, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("warning RMS001: AppSession.Cart -> CartItem.Image -> System.IO.Stream", build.Output);
        Assert.Contains("cannot be stored by CookieSessionStorage (JSON only)", build.Output);
    }

    [Fact]
    public void The_package_carries_the_code_fixes_beside_the_generator()
    {
        var nupkg = Directory.GetFiles(package.Feed, "*.nupkg").Single();
        using var archive = System.IO.Compression.ZipFile.OpenRead(nupkg);
        var analyzers = archive.Entries.Select(e => e.FullName).Where(n => n.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["analyzers/dotnet/cs/Remastered.Sessions.CodeFixes.dll", "analyzers/dotnet/cs/Remastered.Sessions.Generator.dll"], analyzers);
    }
}
