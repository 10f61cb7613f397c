using System.Text;
using System.Text.Json.Nodes;

namespace Remastered.Sessions.Internal;

/// <summary>Approximate per-key sizes, for the message of <see cref="SessionTooLargeException"/>.</summary>
internal static class SessionSizeEstimator
{
    public static IReadOnlyList<KeyValuePair<string, int>> LargestKeys<TValue>(StoredSession<TValue> session, int count = 3)
    {
        var sizes = new List<KeyValuePair<string, int>>(session.Content.Count);
        foreach (var (key, value) in session.Content)
        {
            var size = value switch
            {
                null => 4,
                JsonSessionValue json => json.Utf8Json.Length,
                JsonNode node => Encoding.UTF8.GetByteCount(node.ToJsonString()),
                string text => Encoding.UTF8.GetByteCount(text) + 2,
                byte[] bytes => bytes.Length * 4 / 3,
                _ => -1,
            };
            if (size >= 0)
            {
                sizes.Add(new(key, Encoding.UTF8.GetByteCount(key) + 3 + size));
            }
        }

        sizes.Sort(static (a, b) => b.Value.CompareTo(a.Value));
        return sizes.Count > count ? sizes.GetRange(0, count) : sizes;
    }
}
