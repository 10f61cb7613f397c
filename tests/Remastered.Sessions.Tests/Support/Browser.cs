namespace Remastered.Sessions.Tests.Support;

/// <summary>Keeps cookies the way a browser does for the purpose of these tests: by name, removing expired ones.</summary>
internal sealed class Browser
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string? CookieHeader => _cookies.Count == 0 ? null : string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    public void Receive(string? setCookie)
    {
        if (setCookie is null)
        {
            return;
        }

        var pair = setCookie.Split(';')[0];
        var equals = pair.IndexOf('=');
        var name = pair[..equals];
        if (setCookie.Contains("Max-Age=0", StringComparison.Ordinal))
        {
            _cookies.Remove(name);
        }
        else
        {
            _cookies[name] = pair[(equals + 1)..];
        }
    }

    public string? Value(string name) => _cookies.GetValueOrDefault(name);

    public void Set(string name, string value) => _cookies[name] = value;
}
