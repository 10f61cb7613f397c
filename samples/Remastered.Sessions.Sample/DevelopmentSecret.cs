using System.Security.Cryptography;

namespace Remastered.Sessions.Sample;

/// <summary>
/// The sample's development secret: generated on first run and kept in a local file that git ignores, so that
/// sessions survive restarts without a secret in source control. Production configures Sessions:Cookie:Secrets.
/// </summary>
internal static class DevelopmentSecret
{
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 43)
            {
                return existing;
            }
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(path, secret);
        return secret;
    }
}
