using System.Collections.Concurrent;
using System.Diagnostics;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>Records every activity of the library's <see cref="ActivitySource"/> while it lives (tests run in parallel: filter by tag).</summary>
internal sealed class SessionActivities : IDisposable
{
    private readonly ActivityListener _listener;

    public SessionActivities()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SessionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The activities that ended, in order.</summary>
    public ConcurrentQueue<Activity> Stopped { get; } = new();

    /// <summary>The ended activities of one storage kind (the <c>session.storage</c> tag).</summary>
    public IEnumerable<Activity> Of(string storage) => Stopped.Where(a => (string?)a.GetTagItem("session.storage") == storage);

    public void Dispose() => _listener.Dispose();
}
