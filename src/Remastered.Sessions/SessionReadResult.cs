namespace Remastered.Sessions;

/// <summary>What a storage's reading phase returns: the stored session and the metadata its commit phase needs.</summary>
/// <typeparam name="TValue">What the storage can hold.</typeparam>
/// <typeparam name="TMetadata">Storage-private data carried from reading to commit, such as a session id.</typeparam>
/// <param name="Session">The session that was read, or a fresh empty one.</param>
/// <param name="Metadata">The metadata to hand back to <see cref="ISessionStorage{TValue, TMetadata}.ToHeaderAsync"/>.</param>
public readonly record struct SessionReadResult<TValue, TMetadata>(StoredSession<TValue> Session, TMetadata Metadata);
