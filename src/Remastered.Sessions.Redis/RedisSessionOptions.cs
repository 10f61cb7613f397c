namespace Remastered.Sessions.Redis;

/// <summary>Settings of <see cref="RedisSessionStorage"/>.</summary>
public sealed class RedisSessionOptions : ServerSessionOptions
{
    /// <summary>Prefixes every Redis key, so that several applications can share one Redis. Defaults to <c>remastered:session:</c>.</summary>
    public string KeyPrefix { get; set; } = "remastered:session:";

    /// <summary>The Redis database number; -1 (the default) is the connection's default database.</summary>
    public int Database { get; set; } = -1;

    /// <summary>
    /// Opt-in optimistic concurrency for the same key: a commit that changes a key which another request changed since
    /// this request loaded it writes nothing and throws <see cref="SessionConflictException"/>. Off by default, where
    /// the last writer of a key wins (changes to different keys never conflict either way).
    /// </summary>
    public bool DetectConflicts { get; set; }

    /// <summary>
    /// After Redis did not answer in time, how long requests fail at once (<see cref="SessionStoreUnavailableException"/>,
    /// a 503 in ASP.NET Core) before one tries again. Requests also fail at once while the connection is down, and
    /// succeed again as soon as it is back. One second by default; zero tries every request.
    /// </summary>
    public TimeSpan OutageBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (OutageBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException($"OutageBackoff must not be negative; it was {OutageBackoff}.", nameof(OutageBackoff));
        }

        if (KeyPrefix is null)
        {
            throw new ArgumentException("KeyPrefix must not be null (it may be empty).", nameof(KeyPrefix));
        }
    }
}
