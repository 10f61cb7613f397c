namespace Remastered.Sessions.Tests.Support;

internal static class TestSecrets
{
    public const string Current = "current-secret-0123456789-abcdefghijklmnop";
    public const string Previous = "previous-secret-0123456789-abcdefghijklmno";
    public const string Oldest = "oldest-secret-0123456789-abcdefghijklmnopq";
    public const string Unrelated = "unrelated-secret-0123456789-abcdefghijklmn";

    public static CookieSessionOptions Cookie(string name = "session", params string[] secrets)
        => new() { Name = name, Secrets = secrets.Length == 0 ? [Current] : secrets };
}
