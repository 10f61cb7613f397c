using System.Diagnostics;

namespace Remastered.Sessions.TestSchemas;

/// <summary>
/// A storage that reads and writes asynchronously, as a network storage does, and records whether each read was
/// started from a synchronous resolution of the schema (the dependency-injection factory), which would block a thread.
/// </summary>
public sealed class SlowStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
{
    private int _blockingReads;
    private int _reads;

    /// <summary>Reads started from the synchronous dependency-injection factory.</summary>
    public int BlockingReads => Volatile.Read(ref _blockingReads);

    /// <summary>All reads.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <inheritdoc />
    public async ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        // Resolved as a service: the dependency-injection engine is on the stack, and waits for this read.
        if (new StackTrace().GetFrames().Any(f => f.GetMethod()?.DeclaringType?.FullName?.StartsWith("Microsoft.Extensions.DependencyInjection", StringComparison.Ordinal) == true))
        {
            Interlocked.Increment(ref _blockingReads);
        }

        await Task.Delay(1, cancellationToken);
        return await inner.FromHeaderAsync(header, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        return await inner.ToHeaderAsync(session, cancellationToken);
    }
}

/// <summary>A schema in a library that does not reference the ASP.NET Core integration.</summary>
[Session<SlowStorage>]
public partial class LibrarySession
{
    /// <summary>Visits.</summary>
    [SessionKey] public partial int Visits { get; set; }

    /// <summary>A list changed in place.</summary>
    [SessionKey] public partial List<string>? Items { get; set; }
}
