namespace Remastered.Sessions.Redis;

/// <summary>
/// With <see cref="RedisSessionOptions.DetectConflicts"/>, a commit found that another request changed a key this
/// request also changed. Nothing was written; reload the session and apply the change again.
/// </summary>
public sealed class SessionConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The session key both requests changed.</param>
    public SessionConflictException(string key)
        : base($"Session key '{key}' was changed by another request after this request loaded the session; nothing was written. Reload the session and apply the change again.")
    {
        Key = key;
    }

    /// <summary>The session key both requests changed.</summary>
    public string Key { get; }
}
