namespace Remastered.Sessions;

/// <summary>Settings of <see cref="MemorySessionStorage"/>.</summary>
public sealed class MemorySessionOptions : ServerSessionOptions
{
    /// <summary>
    /// The most sessions kept at once (at least 6 are always kept: two concurrent LRUs, probation and established, of at least 3 each); when full, new
    /// sessions are evicted before sessions that were loaded again. Defaults to 100,000, so a flood of cookie-less
    /// requests cannot exhaust memory.
    /// </summary>
    public int MaxSessions { get; set; } = 100_000;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (MaxSessions < 1)
        {
            throw new ArgumentException($"MaxSessions must be at least 1; it was {MaxSessions}.", nameof(MaxSessions));
        }
    }
}
