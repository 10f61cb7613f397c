namespace Remastered.Sessions.Generator.Tests.Support;

/// <summary>
/// Committed snapshot files under <c>Baselines/{Test}/{Hint}</c>, compared exactly (line endings normalised).
/// Set <c>REMASTERED_UPDATE_BASELINES=1</c> to rewrite them after an intended change, then review the diff.
/// </summary>
internal static class Baseline
{
    public static void Match(string testName, string hintName, string actual)
    {
        var root = FindProjectDirectory();
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

    // From the test binaries up to the repository (not [CallerFilePath]: CI builds map source paths to "/_/").
    private static string FindProjectDirectory()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Remastered.sln")))
        {
            directory = Path.GetDirectoryName(directory.TrimEnd(Path.DirectorySeparatorChar))
                ?? throw new InvalidOperationException("Remastered.sln not found above " + AppContext.BaseDirectory);
        }

        return Path.Combine(directory, "tests", "Remastered.Sessions.Generator.Tests");
    }
}
