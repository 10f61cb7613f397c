namespace Remastered.Sessions;

/// <summary>Reads cookies from a <c>Cookie</c> request header as RFC 6265 (section 5.4) and browsers write it.</summary>
internal static class CookieHeader
{
    /// <summary>
    /// The values of every cookie named <paramref name="name"/> in <paramref name="header"/>, in order. Browsers send
    /// the cookie with the most specific path first when names repeat; callers try each until one is valid.
    /// Whitespace around names and values is ignored and a value in double quotes is unquoted.
    /// </summary>
    /// <param name="header">The <c>Cookie</c> header value, or <see langword="null"/>.</param>
    /// <param name="name">The cookie name (case-sensitive).</param>
    public static IReadOnlyList<string> GetValues(string? header, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var values = new List<string>();
        var reader = new Reader(header.AsSpan(), name);
        while (reader.TryNext(out var value))
        {
            values.Add(value.ToString());
        }

        return values;
    }

    /// <summary>Allocation-free enumeration of the values of one cookie name.</summary>
    internal ref struct Reader(ReadOnlySpan<char> header, string name)
    {
        private ReadOnlySpan<char> _rest = header;
        private readonly string _name = name;

        public bool TryNext(out ReadOnlySpan<char> value)
        {
            while (!_rest.IsEmpty)
            {
                ReadOnlySpan<char> pair;
                var separator = _rest.IndexOf(';');
                if (separator < 0)
                {
                    pair = _rest;
                    _rest = default;
                }
                else
                {
                    pair = _rest[..separator];
                    _rest = _rest[(separator + 1)..];
                }

                var equals = pair.IndexOf('=');
                if (equals < 0)
                {
                    continue;
                }

                if (!pair[..equals].Trim(" \t").SequenceEqual(_name))
                {
                    continue;
                }

                var candidate = pair[(equals + 1)..].Trim(" \t");
                if (candidate.Length >= 2 && candidate[0] == '"' && candidate[^1] == '"')
                {
                    candidate = candidate[1..^1];
                }

                value = candidate;
                return true;
            }

            value = default;
            return false;
        }
    }
}
