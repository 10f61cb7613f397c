using System.Diagnostics.Tracing;
using Remastered.Sessions.Benchmarks.Scenarios;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// Which types a medium cookie request allocates, by share of bytes: the runtime's allocation-tick events (one per
/// about 100 KB allocated, naming the type of the object that crossed the mark) over two million requests of the
/// generated-schema contender. <c>--alloc-types</c>.
/// </summary>
internal sealed class AllocationProfile : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _ticks = new(StringComparer.Ordinal);

    public static void Run()
    {
        var suite = new CookieSessionBenchmarks { Size = SessionSize.Medium };
        suite.Setup();
        using var listener = new AllocationProfile();
        for (var i = 0; i < 2_000_000; i++)
        {
            suite.GeneratedSchema().GetAwaiter().GetResult();
        }

        Dictionary<string, long> ticks;
        lock (listener._ticks)
        {
            ticks = new Dictionary<string, long>(listener._ticks, StringComparer.Ordinal);
        }

        var total = ticks.Values.Sum();
        Console.WriteLine($"share of allocated bytes (medium request, {total} samples)");
        foreach (var (type, count) in ticks.OrderByDescending(t => t.Value).Take(25))
        {
            Console.WriteLine($"{100.0 * count / total,6:F1}%  {type}");
        }

        suite.Cleanup();
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true
            && eventData.PayloadNames?.IndexOf("TypeName") is >= 0 and var index
            && eventData.Payload?[index] is string type)
        {
            lock (_ticks)
            {
                _ticks[type] = _ticks.GetValueOrDefault(type) + 1;
            }
        }
    }
}
