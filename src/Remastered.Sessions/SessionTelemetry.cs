using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Remastered.Sessions;

/// <summary>
/// The library's metrics and traces, following OpenTelemetry's naming conventions: a <see cref="Meter"/> and an
/// <see cref="ActivitySource"/> both named <c>Remastered.Sessions</c>. Nothing is recorded unless something listens
/// (OpenTelemetry's <c>AddMeter("Remastered.Sessions")</c> / <c>AddSource("Remastered.Sessions")</c>, a
/// <c>MeterListener</c>, <c>dotnet-counters</c>).
/// </summary>
/// <remarks>
/// Instruments: <c>remastered.sessions.loads</c> (tags <c>session.storage</c>, <c>session.outcome</c>: <c>new</c>,
/// <c>loaded</c>, <c>rejected</c>; and <c>session.rejection_reason</c>, e.g. <c>Expired</c>, <c>Tampered</c>),
/// <c>remastered.sessions.commits</c> (<c>session.storage</c>: cookies issued), <c>remastered.sessions.commit.size</c>
/// (the length of the <c>Set-Cookie</c> header a commit produced), <c>remastered.sessions.store.unavailable</c> (<c>session.storage</c>,
/// <c>session.operation</c>) and <c>remastered.sessions.store.duration</c> (seconds per storage round trip,
/// <c>session.storage</c>, <c>session.operation</c>). Activities: one per storage round trip, named
/// <c>session.{operation}</c>.
/// </remarks>
public static class SessionTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Remastered.Sessions";

    internal static readonly ActivitySource ActivitySource = new(Name);

    internal static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Loads = Meter.CreateCounter<long>("remastered.sessions.loads", unit: "{session}", description: "Sessions loaded, by storage and outcome.");

    internal static readonly Counter<long> Commits = Meter.CreateCounter<long>("remastered.sessions.commits", unit: "{commit}", description: "Session cookies that commits issued, by storage (a server-side storage issues one only when its id cookie changes; its writes are round trips).");

    internal static readonly Histogram<int> CommitSize = Meter.CreateHistogram<int>(
        "remastered.sessions.commit.size", unit: "By", description: "Length of the Set-Cookie header a commit produced (before an integration adjusts its attributes).", tags: null,
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [64, 128, 256, 512, 1024, 1536, 2048, 3072, 4096, 8192] });

    internal static readonly Counter<long> StoreUnavailable = Meter.CreateCounter<long>("remastered.sessions.store.unavailable", unit: "{error}", description: "Requests that found the session store unreachable.");

    // Bucket advice (honoured by OpenTelemetry): a round trip to Redis takes about a tenth of a millisecond to a few
    // milliseconds, which the SDK's default buckets (0, 5, 10, ... as if in milliseconds) would all put in the first one.
    internal static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>(
        "remastered.sessions.store.duration", unit: "s", description: "Duration of session store round trips.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static void RecordLoad(string storage, string outcome, CookieRejectionReason? reason = null)
    {
        if (!Loads.Enabled)
        {
            return;
        }

        if (reason is { } why)
        {
            Loads.Add(1, new KeyValuePair<string, object?>("session.storage", storage), new KeyValuePair<string, object?>("session.outcome", outcome), new KeyValuePair<string, object?>("session.rejection_reason", why.ToString()));
        }
        else
        {
            Loads.Add(1, new KeyValuePair<string, object?>("session.storage", storage), new KeyValuePair<string, object?>("session.outcome", outcome));
        }
    }

    internal static void RecordCommit(string storage, int size)
    {
        if (Commits.Enabled)
        {
            Commits.Add(1, new KeyValuePair<string, object?>("session.storage", storage));
        }

        if (CommitSize.Enabled)
        {
            CommitSize.Record(size, new KeyValuePair<string, object?>("session.storage", storage));
        }
    }

    /// <summary>Times one storage round trip (a histogram entry and an activity), for storages of other packages.</summary>
    /// <param name="storage">The storage's name, e.g. <c>redis</c>.</param>
    /// <param name="operation">The operation: <c>load</c>, <c>commit</c>, <c>destroy</c>.</param>
    /// <returns>A scope to dispose when the round trip ends; call <see cref="StoreRoundTrip.Failed"/> if it could not reach the store.</returns>
    public static StoreRoundTrip StartStoreRoundTrip(string storage, string operation)
        => new(storage, operation, StoreDuration.Enabled ? Stopwatch.GetTimestamp() : 0, ActivitySource.StartActivity("session." + operation, ActivityKind.Client));
}

/// <summary>One storage round trip being measured; dispose it when it ends.</summary>
public readonly struct StoreRoundTrip : IDisposable
{
    private readonly string _storage;
    private readonly string _operation;
    private readonly long _started;
    private readonly Activity? _activity;

    internal StoreRoundTrip(string storage, string operation, long started, Activity? activity)
    {
        _storage = storage;
        _operation = operation;
        _started = started;
        _activity = activity;
        _activity?.SetTag("session.storage", storage);
    }

    /// <summary>Records that the store could not be reached.</summary>
    public void Failed()
    {
        if (SessionTelemetry.StoreUnavailable.Enabled)
        {
            SessionTelemetry.StoreUnavailable.Add(1, new KeyValuePair<string, object?>("session.storage", _storage), new KeyValuePair<string, object?>("session.operation", _operation));
        }

        _activity?.SetStatus(ActivityStatusCode.Error, "store unavailable");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_started != 0)
        {
            SessionTelemetry.StoreDuration.Record(Stopwatch.GetElapsedTime(_started).TotalSeconds, new KeyValuePair<string, object?>("session.storage", _storage), new KeyValuePair<string, object?>("session.operation", _operation));
        }

        _activity?.Dispose();
    }
}
