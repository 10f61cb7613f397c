namespace Remastered.Sessions.Redis;

/// <summary>Settings of <see cref="DistributedCacheSessionStorage"/>.</summary>
public sealed class DistributedCacheSessionOptions : ServerSessionOptions
{
    /// <summary>Prefixes every cache key. Defaults to <c>remastered:session:</c>.</summary>
    public string KeyPrefix { get; set; } = "remastered:session:";

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (KeyPrefix is null)
        {
            throw new ArgumentException("KeyPrefix must not be null (it may be empty).", nameof(KeyPrefix));
        }
    }
}
