namespace Remastered.Sessions;

/// <summary>The metadata of server-side storages: the session's id and when it was created.</summary>
/// <param name="Id">The session id: 256 random bits, base64url. It travels only inside the encrypted cookie.</param>
/// <param name="CreatedAt">When the session was first created; the absolute lifetime counts from here.</param>
/// <param name="IsNew">Whether the id was minted by this request (no stored record was found).</param>
public sealed record ServerSessionMetadata(string Id, DateTimeOffset CreatedAt, bool IsNew)
{
    /// <summary>Creates metadata with a fresh random id.</summary>
    /// <param name="now">The creation time.</param>
    public static ServerSessionMetadata CreateNew(DateTimeOffset now) => new(SessionIds.NewId(), now, true);

    /// <summary>
    /// What the request loaded, so that its commit writes only the keys it changed (others' changes survive); each
    /// commit brings it up to what it wrote, so that a second commit in the request compares with that.
    /// </summary>
    internal Dictionary<string, object?>? LoadedContent { get; set; }

    /// <summary>The flashed keys the request loaded (and, after a commit, those it wrote).</summary>
    internal HashSet<string>? LoadedFlashes { get; set; }

    /// <summary>Whether a commit of this request stored a record under <see cref="Id"/> (a new id has none until then).</summary>
    internal bool Stored { get; set; }

    /// <summary>
    /// Whether the id was minted to succeed another identity (<c>RegenerateId</c> at sign-in, values set after
    /// <c>Destroy</c>): a user who is here, not a passing visitor, whom the memory storage keeps out of probation.
    /// </summary>
    internal bool Successor { get; set; }

    /// <summary>Marks <paramref name="metadata"/> (or the server metadata an adapter wraps in it) as a successor.</summary>
    internal static void MarkSuccessor(object? metadata)
    {
        while (metadata is IWrappedMetadata wrapped)
        {
            metadata = wrapped.Inner;
        }

        if (metadata is ServerSessionMetadata server)
        {
            server.Successor = true;
        }
    }
}

/// <summary>Metadata an adapter wraps around its inner storage's (<see cref="JsonSessionStorage"/>'s over objects).</summary>
internal interface IWrappedMetadata
{
    /// <summary>The inner storage's metadata.</summary>
    object? Inner { get; }
}
