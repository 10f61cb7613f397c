using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// A typed value a session schema handed out during this request, kept so that every read returns the same instance
/// and in-place changes to it (an item added to a list, a property set on an object) are saved by the next commit.
/// Generated schemas create trackers; applications do not use this type.
/// </summary>
/// <typeparam name="TValue">What the storage holds.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class SessionValueTracker<TValue>
{
    /// <summary>Creates a tracker for <paramref name="key"/>.</summary>
    /// <param name="key">The session key the value belongs to.</param>
    protected SessionValueTracker(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
    }

    /// <summary>The session key the value belongs to.</summary>
    public string Key { get; }

    /// <summary>
    /// Compares the tracked instance with what the store holds for <see cref="Key"/>; when they differ (the instance
    /// was changed in place), returns the stored form of the instance.
    /// </summary>
    /// <param name="stored">What the store holds for the key.</param>
    /// <param name="replacement">The stored form of the changed instance.</param>
    /// <returns>Whether the instance changed since it was read or set.</returns>
    public abstract bool TryCaptureChange(TValue stored, [NotNullWhen(true)] out TValue? replacement);
}
