namespace Remastered.Sessions.Tests.Support;

/// <summary>Builds sessions from generated entries and compares round-tripped ones, for the payload property tests.</summary>
internal static class StoredSessions
{
    /// <summary>A session of <paramref name="entries"/>, the i-th key flashed when <paramref name="flashes"/>[i] is set.</summary>
    public static StoredSession<JsonSessionValue> Build(IReadOnlyList<(string Key, JsonSessionValue Value)> entries, IReadOnlyList<bool> flashes)
    {
        var session = new StoredSession<JsonSessionValue>();
        for (var i = 0; i < entries.Count; i++)
        {
            session.Content[entries[i].Key] = entries[i].Value;
            if (flashes[i])
            {
                session.FlashedKeys.Add(entries[i].Key);
            }
        }

        return session;
    }

    /// <summary>Asserts that <paramref name="actual"/> holds the same keys, value texts and flashes as <paramref name="expected"/>.</summary>
    public static void AssertSame(StoredSession<JsonSessionValue> expected, StoredSession<JsonSessionValue> actual)
    {
        Assert.Equal(expected.Content.Count, actual.Content.Count);
        foreach (var (key, value) in expected.Content)
        {
            Assert.Equal(value.ToString(), actual.Content[key].ToString());
        }

        Assert.True(expected.FlashedKeys.SetEquals(actual.FlashedKeys));
    }
}
