namespace Remastered.Sessions.Redis;

/// <summary>
/// What <see cref="RedisSessionStorage"/> carries from loading to commit: the session id and a snapshot of what was
/// loaded, so that a commit writes only the keys that changed.
/// </summary>
public sealed class RedisSessionMetadata
{
    internal RedisSessionMetadata(string id, DateTimeOffset createdAt, bool isNew)
    {
        Id = id;
        CreatedAt = createdAt;
        IsNew = isNew;
    }

    /// <summary>The session id (256 random bits, base64url); it travels only inside the encrypted cookie.</summary>
    public string Id { get; }

    /// <summary>When the session was created; the absolute lifetime counts from here.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Whether no stored session was found, so this request minted the id.</summary>
    public bool IsNew { get; }

    /// <summary>When the key's expiry was last renewed (Unix milliseconds; 0 when unknown).</summary>
    internal long RenewedAtMs { get; init; }

    internal Dictionary<string, JsonSessionValue> Loaded { get; } = new(StringComparer.Ordinal);

    internal HashSet<string> LoadedFlashes { get; } = new(StringComparer.Ordinal);

    internal Dictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a commit of this request wrote the session's hash (a new id has none until then).</summary>
    internal bool Stored { get; set; }
}
