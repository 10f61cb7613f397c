using System.Diagnostics;

namespace Remastered.Sessions.Packaging.Tests;

/// <summary>
/// Packs <c>src/Remastered.Sessions</c> once into a local folder feed with a version unique to this run, and offers
/// throwaway consumer projects that restore it from there, as a user would.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "remastered-pack-" + Guid.NewGuid().ToString("N")[..8]);
        Feed = Path.Combine(Root, "feed");
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Directory.CreateDirectory(Feed);
        var repo = FindRepositoryRoot();
        // Its own artifacts folder, so packing never touches the outputs of the test run that is executing this.
        var pack = Dotnet(repo, "pack", "src/Remastered.Sessions", "-c", "Release", "-o", Feed, "--artifacts-path", Path.Combine(Root, "artifacts"), $"-p:Version={Version}");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
        }
    }

    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    /// <summary>Creates a console project that references the packed library from the local feed.</summary>
    public string CreateConsumer(string name, string programSource)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        var created = Dotnet(directory, "new", "console", "--force", "--name", name, "--output", directory);
        Assert.True(created.ExitCode == 0, created.Output);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        // Keep the consumer out of this repository's Directory.*.props and central package management.
        // Its own package folder, so test versions do not pile up in the user's global NuGet cache.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"),
            $"<Project><PropertyGroup><RestorePackagesPath>{Path.Combine(Root, "packages")}</RestorePackagesPath></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        var added = Dotnet(directory, "add", "package", "Remastered.Sessions", "--version", Version);
        Assert.True(added.ExitCode == 0, added.Output);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), programSource);
        return directory;
    }

    public static (int ExitCode, string Output) Dotnet(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's own MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in 5 minutes.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Remastered.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Remastered.sln not found above " + AppContext.BaseDirectory);
        }

        return directory;
    }
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "Packed library";
}
