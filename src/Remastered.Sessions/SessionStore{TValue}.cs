using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Remastered.Sessions.Internal;
using Remastered.Sessions.Schemas.Support;

namespace Remastered.Sessions;

/// <summary>
/// One request's view of a session: a dictionary-like store with flash values, committed back to its storage.
/// </summary>
/// <typeparam name="TValue">What the underlying storage can hold.</typeparam>
/// <remarks>
/// <para>
/// Flash semantics: a flashed value is readable in the request that flashed it and in the next request that loads
/// the committed session. That next request's commit removes it, whether it was read or not, unless it was flashed
/// again (<see cref="Flash"/>), kept (<see cref="Keep"/>) or made persistent (<see cref="Set"/>).
/// </para>
/// <para>
/// <see cref="CommitAsync"/> returns <see langword="null"/> when there is nothing to send: nothing changed, no flash
/// was consumed, and the storage asked for no rewrite. Integrations use that to skip the header entirely.
/// </para>
/// <para>A store belongs to one request and is not thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var store = await SessionStore.LoadAsync(storage, request.Headers.Cookie);
/// store.Set("user", "ada");
/// store.Flash("notice", "Saved!");
/// string? setCookie = await store.CommitAsync();
/// </code>
/// </example>
public abstract class SessionStore<TValue>
{
    private StoredSession<TValue> _session;
    // Flashed keys loaded with the session, removed from the content at this request's commit. Sessions hold one or
    // two flashes, so a small array (null slots are removed keys) beats a set copy on every load.
    private string?[]? _consumable;
    private int _consumableCount;
    // Flash values this request consumed that a commit has already removed from the storage: still readable for the
    // rest of the request, as before the commit, and never written again. Null slots are keys set or unset since.
    private KeyValuePair<string, TValue>[]? _committedFlashes;
    private int _committedFlashCount;
    private bool _changed;
    private bool _destroyed;
    private bool _regenerate;
    private HashSet<string>? _reportedUnreadable;
    private string? _sealedReason;
    // Typed values handed out by a schema during this request: the same instance on every read, compared with the
    // stored form at commit so that in-place changes are saved. A request touches a handful of keys, so a small array
    // searched by the (interned) key beats a dictionary; null slots are removed trackers.
    private SessionValueTracker<TValue>?[]? _trackers;

    private protected SessionStore(StoredSession<TValue> session, ILogger? logger)
    {
        _session = session;
        Logger = logger ?? NullLogger.Instance;
        TakeConsumableFlashes(session);
    }

    /// <summary>The flashes a loaded session holds become this request's to consume.</summary>
    private void TakeConsumableFlashes(StoredSession<TValue> session)
    {
        _consumable = null;
        _consumableCount = 0;
        if (session.FlashedKeys.Count > 0)
        {
            _consumable = new string?[session.FlashedKeys.Count];
            session.FlashedKeys.CopyTo(_consumable!);
            _consumableCount = _consumable.Length;
            session.FlashedKeys.Clear();
        }

        AddDeclaredFlashes();
    }

    // Keys a typed schema declares [Flash]: a value stored under one of them without the flash mark (a release that
    // declared it a normal key stored it) is a flash of this request as well, so it is shown once, not on every request.
    private string[]? _declaredFlashes;

    // Whether a commit of this request succeeded. Declared flash keys apply to values as stored before the request only
    // (a store with no change, commit or seal since it was loaded or reloaded), never to a value the request set,
    // flashed, kept or committed.
    private bool _committedOnce;

    // Set by a commit that ended the session without values to carry: the next commit starts a new session.
    private bool _freshIdentityDue;

    internal void DeclareFlashKeys(string[] keys)
    {
        _declaredFlashes = keys;
        AddDeclaredFlashes();
    }

    private void AddDeclaredFlashes()
    {
        if (_declaredFlashes is not { } declared || _committedOnce || _changed || _destroyed || _regenerate || _sealedReason is not null)
        {
            return;
        }

        foreach (var key in declared)
        {
            if (!_session.Content.ContainsKey(key) || IsConsumable(key) || _session.FlashedKeys.Contains(key))
            {
                continue;
            }

            var keys = _consumable;
            if (keys is null)
            {
                keys = new string?[1];
            }
            else
            {
                Array.Resize(ref keys, keys.Length + 1);
            }

            keys[^1] = key;
            _consumable = keys;
            _consumableCount++;
        }
    }

    /// <summary>
    /// Drops every change this request made since it loaded the session or last committed it (sets, unsets, flashes,
    /// keeps, destroy, id regeneration, in-place changes to typed values) by reading the session again from its storage,
    /// as a new request sending the cookie the store was loaded with (or its last commit sent) would. Integrations call
    /// it when a commit failed, so that the exception handler's response works with the session as stored and commits
    /// only what it changes itself.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <remarks>
    /// A server-side storage answers with the session as stored now, other requests' commits included. Objects that a
    /// storage holds by reference (the memory storage) and that were changed in place stay changed: there is no
    /// earlier copy to go back to.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The store is sealed.</exception>
    public async ValueTask DiscardChangesAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfSealed();
        var session = await ReloadCoreAsync(cancellationToken).ConfigureAwait(false);
        _session = session;
        _changed = _destroyed = _regenerate = _freshIdentityDue = false;
        TakeConsumableFlashes(session);
        ForgetCommittedFlashes();
        _trackers = null;
        _reportedUnreadable = null;
        CommittedCookie = null;
    }

    private bool RemoveConsumable(string key)
    {
        var keys = _consumable;
        if (keys is null)
        {
            return false;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is { } candidate && string.Equals(candidate, key, StringComparison.Ordinal))
            {
                keys[i] = null;
                _consumableCount--;
                return true;
            }
        }

        return false;
    }

    private int IndexOfCommittedFlash(string key)
    {
        if (_committedFlashes is { } flashes)
        {
            for (var i = 0; i < flashes.Length; i++)
            {
                if (flashes[i].Key is { } candidate && string.Equals(candidate, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private bool TryGetCommittedFlash(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOfCommittedFlash(key);
        value = index < 0 ? default : _committedFlashes![index].Value;
        return index >= 0;
    }

    /// <summary>Takes <paramref name="key"/> out of the consumed flashes still readable after their commit.</summary>
    private bool RemoveCommittedFlash(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOfCommittedFlash(key);
        if (index < 0)
        {
            value = default;
            return false;
        }

        value = _committedFlashes![index].Value;
        _committedFlashes[index] = default;
        _committedFlashCount--;
        return true;
    }

    private void ForgetCommittedFlashes()
    {
        _committedFlashes = null;
        _committedFlashCount = 0;
    }

    private bool IsConsumable(string key)
    {
        if (_consumable is { } keys)
        {
            foreach (var candidate in keys)
            {
                if (candidate is not null && string.Equals(candidate, key, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The logger of the storage this store was loaded from (a no-op logger when it has none).</summary>
    public ILogger Logger { get; }

    /// <summary>The number of keys in the session (flash values consumed by this request's commit included: see <see cref="Get"/>).</summary>
    public int Count => _session.Content.Count + _committedFlashCount;

    /// <summary>The keys in the session, persistent and flashed (flash values consumed by this request's commit included).</summary>
    public IEnumerable<string> Keys => _committedFlashCount == 0
        ? _session.Content.Keys
        : _session.Content.Keys.Concat(_committedFlashes!.Where(f => f.Key is not null).Select(f => f.Key));

    /// <summary>
    /// Whether <see cref="CommitAsync"/> will write: something was set, unset, flashed, kept, destroyed or
    /// regenerated, a typed value read from a schema was changed in place, a flash from the previous request is to be
    /// consumed, or the storage asked for a rewrite (key rotation, renewal).
    /// </summary>
    /// <remarks>
    /// Asking compares the typed values a schema handed out that can change in place (collections, objects with
    /// setters) with their stored form, and takes any change into the store, exactly as the commit would (so a value
    /// changed and then changed back after asking is written again, as after two sets). A value changed in place so
    /// that it can no longer be stored (a <see cref="double.NaN"/> added to a list) counts as a change: asking does not
    /// throw, the commit throws <see cref="SessionValueNotStorableException"/> naming the key.
    /// </remarks>
    public bool IsDirty => CaptureTrackedChanges(throwIfNotStorable: false) | IsDirtyCore;

    private bool IsDirtyCore => _changed || _destroyed || _regenerate || _session.RequiresCommit || _consumableCount > 0;

    /// <summary>The tracker of the typed value handed out for <paramref name="key"/> in this request, if any.</summary>
    internal SessionValueTracker<TValue>? FindTracker(string key)
    {
        var index = IndexOfTracker(key);
        return index < 0 ? null : _trackers![index];
    }

    /// <summary>Remembers the typed value handed out for a key (replacing any earlier one).</summary>
    internal void Track(SessionValueTracker<TValue> tracker)
    {
        var index = IndexOfTracker(tracker.Key);
        if (index < 0)
        {
            var trackers = _trackers ??= new SessionValueTracker<TValue>?[4];
            index = Array.IndexOf(trackers, null);
            if (index < 0)
            {
                index = trackers.Length;
                Array.Resize(ref _trackers, trackers.Length * 2);
            }
        }

        _trackers![index] = tracker;
    }

    private int IndexOfTracker(string key)
    {
        if (_trackers is { } trackers)
        {
            for (var i = 0; i < trackers.Length; i++)
            {
                if (trackers[i] is { } tracker && (ReferenceEquals(tracker.Key, key) || string.Equals(tracker.Key, key, StringComparison.Ordinal)))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private void Untrack(string key)
    {
        var index = IndexOfTracker(key);
        if (index >= 0)
        {
            _trackers![index] = null;
        }
    }

    /// <summary>Takes the in-place changes of tracked values into the content; whether there were any.</summary>
    private bool CaptureTrackedChanges(bool throwIfNotStorable = true)
    {
        if (_trackers is not { } trackers)
        {
            return false;
        }

        var any = false;
        var content = _session.Content;
        foreach (var tracker in trackers)
        {
            if (tracker is null || !content.TryGetValue(tracker.Key, out var stored))
            {
                continue;
            }

            TValue? replacement;
            try
            {
                if (!tracker.TryCaptureChange(stored, out replacement))
                {
                    continue;
                }
            }
            catch (SessionValueNotStorableException) when (!throwIfNotStorable)
            {
                // Changed, and not storable: the commit reports it.
                any = true;
                continue;
            }

            any = true;
            // A sealed store keeps what it has: the commit that follows refuses with the sealing reason.
            if (_sealedReason is null)
            {
                content[tracker.Key] = replacement;
                _changed = true;
            }
        }

        return any;
    }

    /// <summary>Whether <see cref="Seal"/> was called: reads still work, changes throw.</summary>
    public bool IsSealed => _sealedReason is not null;

    /// <summary>
    /// Refuses every further change (set, unset, flash, keep, destroy, regenerate, commit) with an
    /// <see cref="InvalidOperationException"/> carrying <paramref name="reason"/>. Integrations seal a store once the
    /// response has started, so a late change fails loudly instead of being silently lost.
    /// </summary>
    /// <param name="reason">The message of the exception later changes throw.</param>
    /// <remarks>
    /// A sealed store can no longer consume the flash values of the previous request: those this request has not
    /// committed yet leave its view (reads see them absent) and stay stored, so the next request that can commit shows
    /// them, and a value is never shown twice. A store sealed right after loading (a session first loaded once the
    /// response had started) therefore shows no pending flash. Flash values a commit already consumed stay readable.
    /// </remarks>
    public void Seal(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _sealedReason = reason;
        if (_consumableCount > 0)
        {
            var kept = new List<string>(_consumableCount);
            foreach (var key in _consumable!)
            {
                if (key is not null && _session.Content.Remove(key))
                {
                    Untrack(key);
                    kept.Add(key);
                }
            }

            _consumable = null;
            _consumableCount = 0;
            if (kept.Count > 0)
            {
                Log.FlashesKeptBySeal(Logger, string.Join(", ", kept));
            }
        }
    }

    private void ThrowIfSealed()
    {
        if (_sealedReason is not null)
        {
            throw new InvalidOperationException(_sealedReason);
        }
    }

    /// <summary>Whether <see cref="Destroy"/> was called and not yet committed.</summary>
    public bool IsDestroyed => _destroyed;

    /// <summary>
    /// The cookie the last <see cref="CommitAsync"/> asked the client to store or delete, as data, when the storage is
    /// one of the library's cookie-carried storages (cookie, memory, Redis, distributed cache, or any storage wrapped
    /// with <see cref="SessionStorage.WithEncryptedCookies{TValue, TMetadata}"/>); <see langword="null"/> when that
    /// commit sent nothing or the storage writes its header itself. Integrations write it through their cookie API.
    /// </summary>
    public SessionCookie? CommittedCookie { get; private set; }

    /// <summary>
    /// Raised after each successful <see cref="CommitAsync"/> of this store that had something to write, whoever called
    /// it: how an integration that sends the session's header itself learns of a commit the application made (and
    /// sends its header with the response). It runs once the commit is complete, before <see cref="CommitAsync"/>
    /// returns. Handlers must not throw: an exception comes out of <see cref="CommitAsync"/> after the storage saved the
    /// session (the handlers after it do not run), and an integration takes it for a failed commit (the ASP.NET Core
    /// integration answers with the error, and a cookie storage's cookie, the saved session, is not sent).
    /// </summary>
    public event Action<SessionCommit>? Committed;

    /// <summary>
    /// What the session holds right now (in-place changes to typed values included), for development tools. Changes
    /// nothing: flashes stay where they are and nothing is marked to commit that was not already.
    /// </summary>
    public SessionInspection Inspect()
    {
        var dirty = IsDirty;
        var keys = new List<string>(_session.Content.Keys);
        keys.Sort(StringComparer.Ordinal);
        var entries = new List<SessionEntryInspection>(keys.Count);
        foreach (var key in keys)
        {
            var flash = IsConsumable(key) ? SessionFlashState.RemovedByThisRequest
                : _session.FlashedKeys.Contains(key) ? SessionFlashState.RemovedByNextRequest
                : SessionFlashState.Persistent;
            entries.Add(SessionInspection.Describe(key, _session.Content[key], flash));
        }

        if (_committedFlashes is { } committed)
        {
            foreach (var (key, value) in committed)
            {
                if (key is not null)
                {
                    entries.Add(SessionInspection.Describe(key, value, SessionFlashState.RemovedByThisRequest));
                }
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        }

        return new SessionInspection(entries, _session.CookieCreatedAt, _session.CookieIdleExpiresAt, dirty, _destroyed);
    }

    /// <summary>Whether <paramref name="key"/> is in the session.</summary>
    /// <param name="key">The key.</param>
    public bool Has(string key) => _session.Content.ContainsKey(key) || (_committedFlashCount > 0 && TryGetCommittedFlash(key, out _));

    /// <summary>The value of <paramref name="key"/>, or <see langword="default"/> when the key is absent.</summary>
    /// <param name="key">The key.</param>
    /// <remarks>
    /// Use <see cref="TryGet"/> to tell an absent key from a stored <see langword="default"/>. A flash value this
    /// request consumes stays readable for the whole request, also after the commit that removed it from the storage
    /// (until <see cref="DiscardChangesAsync"/> reads the session as stored again).
    /// </remarks>
    public TValue? Get(string key) => TryGet(key, out var value) ? value : default;

    /// <summary>Reads the value of <paramref name="key"/> if present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or <see langword="default"/> when absent.</param>
    /// <returns>Whether the key was present.</returns>
    /// <remarks>
    /// A flash value this request consumes stays readable for the whole request, also after its commit (until
    /// <see cref="DiscardChangesAsync"/>).
    /// </remarks>
    public bool TryGet(string key, [MaybeNullWhen(false)] out TValue value)
        => _session.Content.TryGetValue(key, out value) || (_committedFlashCount > 0 && TryGetCommittedFlash(key, out value));

    /// <summary>Sets a persistent value. A key that was flashed becomes persistent.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, TValue value) => Put(key, value, flash: false);

    /// <summary>Removes <paramref name="key"/> from the session.</summary>
    /// <param name="key">The key.</param>
    public void Unset(string key)
    {
        ThrowIfSealed();
        ArgumentNullException.ThrowIfNull(key);
        if (_session.Content.Remove(key))
        {
            _changed = true;
        }

        Untrack(key);
        _session.FlashedKeys.Remove(key);
        RemoveConsumable(key);
        RemoveCommittedFlash(key, out _);
    }

    /// <summary>
    /// Sets a value that lives until the next request that loads this session commits, for example a
    /// "Saved!" message shown after a redirect. Flashing a key again during the request that consumes it keeps the
    /// new value for one more request.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Flash(string key, TValue value) => Put(key, value, flash: true);

    private void Put(string key, TValue value, bool flash)
    {
        ThrowIfSealed();
        ArgumentNullException.ThrowIfNull(key);
        _session.Content[key] = value;
        if (flash)
        {
            _session.FlashedKeys.Add(key);
        }
        else
        {
            _session.FlashedKeys.Remove(key);
        }

        // A value put anew replaces any typed instance handed out for the key, and any flash of it this request consumes.
        Untrack(key);
        RemoveConsumable(key);
        RemoveCommittedFlash(key, out _);
        _changed = true;
    }

    /// <summary>
    /// Keeps a flashed value for one more request instead of consuming it at this commit (after a commit that consumed
    /// it, the next commit stores it again as a flash).
    /// </summary>
    /// <param name="key">The flashed key; a key that is not a flash consumed by this request is left alone.</param>
    public void Keep(string key)
    {
        ThrowIfSealed();
        ArgumentNullException.ThrowIfNull(key);
        if (RemoveConsumable(key))
        {
            _session.FlashedKeys.Add(key);
            _changed = true;
        }
        else if (RemoveCommittedFlash(key, out var value))
        {
            _session.Content[key] = value;
            _session.FlashedKeys.Add(key);
            _changed = true;
        }
    }

    /// <summary>
    /// Logs, once per key and request, that <paramref name="key"/> holds a value that does not read as
    /// <paramref name="expectedType"/> (typically after a deploy changed the key's type). The value is left untouched (a
    /// pending flash value is still consumed by the commit, as flash values are).
    /// Generated schemas call this; hand-written typed accessors may too.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="expectedType">The type the application asked for.</param>
    public void ReportUnreadableValue(string key, Type expectedType)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(expectedType);
        if ((_reportedUnreadable ??= new HashSet<string>(StringComparer.Ordinal)).Add(key))
        {
            Log.ValueUnreadable(Logger, key, expectedType.ToString());
        }
    }

    /// <summary>Whether <paramref name="key"/> holds a flash value (set in this request or consumed by it).</summary>
    /// <param name="key">The key.</param>
    public bool IsFlash(string key) => _session.FlashedKeys.Contains(key) || IsConsumable(key) || (_committedFlashCount > 0 && TryGetCommittedFlash(key, out _));

    /// <summary>
    /// Ends the session: at commit, the stored record is removed and the client's cookie expires. Values set after
    /// this call (a "Signed out" flash, say) start a brand-new session with a new id.
    /// </summary>
    public void Destroy()
    {
        ThrowIfSealed();
        _session.Content.Clear();
        _session.FlashedKeys.Clear();
        _trackers = null;
        _consumable = null;
        _consumableCount = 0;
        ForgetCommittedFlashes();
        _destroyed = true;
        _changed = true;
    }

    /// <summary>Destroys the session and commits at once.</summary>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>The header value that clears the session on the client (or carries the new session).</returns>
    public async ValueTask<string?> DestroyAsync(CancellationToken cancellationToken = default)
    {
        Destroy();
        return await CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the session a new identity at the next commit and invalidates the old one, keeping the content.
    /// Call it when the user signs in, so that an id planted before login (session fixation) is worthless.
    /// For storages without ids (the cookie storage) it simply re-issues the cookie.
    /// </summary>
    public void RegenerateId()
    {
        ThrowIfSealed();
        _regenerate = true;
    }

    /// <summary>
    /// Persists the session and returns the header value to send (a <c>Set-Cookie</c> value for cookie-carried
    /// storages), or <see langword="null"/> when nothing changed and nothing needs sending (<see cref="IsDirty"/> is
    /// <see langword="false"/>). Consumed flash values are removed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <exception cref="SessionTooLargeException">The session does not fit the storage's header; nothing is lost from this store.</exception>
    public async ValueTask<string?> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfSealed();
        CaptureTrackedChanges();
        CommittedCookie = null;
        if (!IsDirtyCore)
        {
            return null;
        }

        var content = _session.Content;
        SessionCommit told;
        // Consumed flashes leave the content for the storage's write; they come back if the commit fails.
        KeyValuePair<string, TValue>[]? consumed = null;
        var consumedCount = 0;
        if (_consumableCount > 0)
        {
            consumed = ArrayPool<KeyValuePair<string, TValue>>.Shared.Rent(_consumableCount);
            foreach (var key in _consumable!)
            {
                if (key is not null && content.Remove(key, out var value))
                {
                    consumed[consumedCount++] = new(key, value);
                }
            }
        }

        try
        {
            string header;
            var ended = _destroyed;
            _session.IssuedCookie = null;
            if (_destroyed && content.Count == 0 && _session.FlashedKeys.Count == 0)
            {
                header = await DestroyCoreAsync(cancellationToken).ConfigureAwait(false);

                // Values set after this commit go into a new session, not back under the destroyed identity.
                _freshIdentityDue = true;
            }
            else if (_destroyed || _regenerate)
            {
                if (_destroyed)
                {
                    // Values set after Destroy are a new session: its lifetime starts now, not when the old one began.
                    StartNewLifetime();
                }

                // A new identity for the session (a sign-in, or a sign-out followed by values): committed whole or, on
                // a store failure, not at all.
                header = await RegenerateCoreAsync(_session, cancellationToken).ConfigureAwait(false);
                _freshIdentityDue = false;
            }
            else
            {
                if (_freshIdentityDue)
                {
                    // The first change after a commit that ended the session: a new session, whose lifetime starts now.
                    StartNewLifetime();
                    await StartFreshCoreAsync(cancellationToken).ConfigureAwait(false);
                    _freshIdentityDue = false;
                }

                header = await CommitCoreAsync(_session, cancellationToken).ConfigureAwait(false);
            }

            _consumable = null;
            _consumableCount = 0;
            if (consumedCount > 0)
            {
                // Removed from the storage, and still this request's to read.
                _committedFlashes = consumed!.AsSpan(0, consumedCount).ToArray();
                _committedFlashCount = consumedCount;
            }

            _changed = _destroyed = _regenerate = false;
            _session.RequiresCommit = false;
            _committedOnce = true;

            // An empty header is a storage's way of saying "send nothing" (the session was destroyed meanwhile).
            if (header.Length == 0)
            {
                told = new SessionCommit(null, null, ended);
            }
            else
            {
                // The data of the very header returned (a wrapper that rewrote the text gets none: integrations then
                // send the text as it is).
                CommittedCookie = _session.IssuedCookie is { } issued && ReferenceEquals(issued.SetCookieHeader, header) ? issued : SessionCookie.FindDeletion(header);
                OnCommitted(header, CommittedCookie);
                told = new SessionCommit(header, CommittedCookie, ended);
            }
        }
        catch
        {
            for (var i = 0; i < consumedCount; i++)
            {
                content.TryAdd(consumed![i].Key, consumed[i].Value);
            }

            throw;
        }
        finally
        {
            if (consumed is not null)
            {
                ArrayPool<KeyValuePair<string, TValue>>.Shared.Return(consumed, clearArray: true);
            }
        }

        // Outside the try: the session is committed whatever a handler does.
        Committed?.Invoke(told);
        return told.Header;
    }

    /// <summary>Forgets the ended session's cookie times, so the next cookie starts a lifetime of its own.</summary>
    private void StartNewLifetime()
    {
        _session.CookieCreatedAt = null;
        _session.CookieIdleExpiresAt = null;
        _session.CurrentCookiePlaintext = null;
    }

    private protected abstract ValueTask<string> CommitCoreAsync(StoredSession<TValue> session, CancellationToken cancellationToken);

    private protected abstract ValueTask<string> DestroyCoreAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits <paramref name="session"/> under a new identity and retires the old one (the new one written first, except
    /// on the memory storage); returns the commit's header.
    /// </summary>
    private protected abstract ValueTask<string> RegenerateCoreAsync(StoredSession<TValue> session, CancellationToken cancellationToken);

    private protected abstract ValueTask StartFreshCoreAsync(CancellationToken cancellationToken);

    /// <summary>What a successful commit sent (<see cref="DiscardChangesAsync"/> then reads the session it describes).</summary>
    private protected abstract void OnCommitted(string header, SessionCookie? cookie);

    private protected abstract ValueTask<StoredSession<TValue>> ReloadCoreAsync(CancellationToken cancellationToken);
}
