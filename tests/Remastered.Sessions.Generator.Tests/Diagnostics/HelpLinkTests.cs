using System.Text.RegularExpressions;
using Remastered.Sessions.Generator.Diagnostics;

namespace Remastered.Sessions.Generator.Tests.Diagnostics;

public sealed class HelpLinkTests
{
    [Fact]
    public void Every_diagnostic_links_to_a_section_that_exists_in_the_repository()
    {
        var root = RepositoryRoot();
        Assert.Equal(16, DiagnosticDescriptors.All.Length);
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            var match = Regex.Match(descriptor.HelpLinkUri, "/blob/main/(?<path>[^#]+)#(?<anchor>.+)$");
            Assert.True(match.Success, descriptor.Id + ": " + descriptor.HelpLinkUri);
            var file = Path.Combine(root, match.Groups["path"].Value);
            Assert.True(File.Exists(file), $"{descriptor.Id}: {file} does not exist");
            Assert.Equal(descriptor.Id.ToLowerInvariant(), match.Groups["anchor"].Value);
            Assert.Contains($"<a id=\"{match.Groups["anchor"].Value}\"></a>", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_guide_the_readme_links_to_exists()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var links = Regex.Matches(readme, @"\]\((?<path>docs/[^)#]+)").Select(m => m.Groups["path"].Value).Distinct().ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.True(File.Exists(Path.Combine(root, link)), link));
    }

    private static string RepositoryRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Remastered.sln")))
        {
            directory = Path.GetDirectoryName(directory.TrimEnd(Path.DirectorySeparatorChar))!;
        }

        return directory;
    }
}
