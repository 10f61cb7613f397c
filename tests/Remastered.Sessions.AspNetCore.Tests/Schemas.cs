namespace Remastered.Sessions.AspNetCore.Tests;

[Session<CookieSessionStorage>]
public partial class TestSession
{
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial int? Counter { get; set; }
    [Flash] public partial string? Message { get; set; }
}

[Session<MemorySessionStorage>]
public partial class MemoryTestSession
{
    [SessionKey] public partial string? Name { get; set; }
}

/// <summary>A cookie storage that counts its reading phases, to prove that untouched sessions are never loaded.</summary>
public sealed class CountingStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
{
    private int _reads;

    public int Reads => _reads;

    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.FromHeaderAsync(header, cancellationToken);
    }

    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
        => inner.ToHeaderAsync(session, cancellationToken);
}

[Session<CountingStorage>]
public partial class CountedSession
{
    [SessionKey] public partial string? Name { get; set; }
}

/// <summary>A storage that loads, then finds its backing service down when the request commits (it died in between).</summary>
public sealed class DiesBeforeCommitStorage : ISessionStorage<JsonSessionValue>
{
    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(new StoredSession<JsonSessionValue>());

    public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        throw new SessionStoreUnavailableException("The test store went down after the load.");
    }
}

[Session<DiesBeforeCommitStorage>]
public partial class DiesBeforeCommitSession
{
    [SessionKey] public partial int Visits { get; set; }
}

/// <summary>A storage whose backing service is down.</summary>
public sealed class UnavailableStorage : ISessionStorage<JsonSessionValue>
{
    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => throw new SessionStoreUnavailableException("The test store is down.");

    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
        => throw new SessionStoreUnavailableException("The test store is down.");
}

[Session<UnavailableStorage>]
public partial class UnavailableSession
{
    [SessionKey] public partial string? Name { get; set; }
}

/// <summary>A cookie storage whose reads and commits complete asynchronously, as a network storage's do.</summary>
public sealed class AsyncStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
{
    public async ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.FromHeaderAsync(header, cancellationToken);
    }

    public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
    {
        await Task.Delay(1, cancellationToken);
        return await inner.ToHeaderAsync(session, cancellationToken);
    }
}

[Session<AsyncStorage>]
public partial class AsyncSession
{
    [SessionKey] public partial List<string>? Cart { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

/// <summary>
/// A storage that sends header text of its own (a cookie storage's, with one more attribute): the integration gets no
/// cookie data, only the text, and the cookie's name is not the integration's.
/// </summary>
public sealed class RewritingStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
{
    /// <summary>Makes the next reads throw, as a storage that has gone wrong.</summary>
    public bool FailReads { get; set; }

    public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        => FailReads ? throw new InvalidOperationException("the storage cannot read") : inner.FromHeaderAsync(header, cancellationToken);

    public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
        => await inner.ToHeaderAsync(session, cancellationToken) + "; Priority=High";
}

[Session<RewritingStorage>]
public partial class RewrittenSession
{
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial int Steps { get; set; }
}
