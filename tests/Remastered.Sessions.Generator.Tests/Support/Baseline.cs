using System.Runtime.CompilerServices;

namespace Remastered.Sessions.Generator.Tests.Support;

/// <summary>
/// Committed snapshot files under <c>Baselines/{Test}/{Hint}</c>, compared exactly (line endings normalised).
/// Set <c>REMASTERED_UPDATE_BASELINES=1</c> to rewrite them after an intended change, then review the diff.
/// </summary>
internal static class Baseline
{
    public static void Match(string testName, string hintName, string actual, [CallerFilePath] string callerPath = "")
    {
        var root = FindProjectDirectory(callerPath);
        var path = Path.Combine(root, "Baselines", testName, hintName);
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("REMASTERED_UPDATE_BASELINES") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Missing baseline {path}. Run the tests with REMASTERED_UPDATE_BASELINES=1 to create it.");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.Equal(expected, actual);
    }

    private static string FindProjectDirectory(string callerPath)
    {
        var directory = Path.GetDirectoryName(callerPath)!;
        while (!File.Exists(Path.Combine(directory, "Remastered.Sessions.Generator.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Test project directory not found.");
        }

        return directory;
    }
}
