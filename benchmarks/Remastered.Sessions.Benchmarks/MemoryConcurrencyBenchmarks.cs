using BenchmarkDotNet.Attributes;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// The memory storage under concurrency: a fixed amount of session work (load an existing session, set a key, commit)
/// spread over 1 to 8 threads, each on sessions of its own. With a concurrent store the time for the same work should
/// fall up to the number of cores and stay flat beyond, not rise.
/// </summary>
[MemoryDiagnoser]
public class MemoryConcurrencyBenchmarks
{
    private const int OperationsPerInvocation = 4096;
    private MemorySessionStorage _storage = null!;
    private string[] _cookies = null!;

    [Params(1, 2, 4, 8)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _storage = new MemorySessionStorage(new MemorySessionOptions
        {
            Cookie = new CookieSessionOptions { Name = "sid", Secrets = ["benchmark-secret-0123456789abcdefghijklmnop"] },
        });
        _cookies = new string[64];
        for (var i = 0; i < _cookies.Length; i++)
        {
            var store = SessionStore.LoadAsync(_storage, null).AsTask().GetAwaiter().GetResult();
            store.Set("user", i);
            _cookies[i] = store.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
        }
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvocation, Description = "load, set, commit")]
    public void Work()
    {
        var perThread = OperationsPerInvocation / Threads;
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, thread =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var cookie = _cookies[(thread * 8) + (i % 8)];
                var store = SessionStore.LoadAsync(_storage, cookie).AsTask().GetAwaiter().GetResult();
                store.Set("visits", i);
                store.CommitAsync().AsTask().GetAwaiter().GetResult();
            }
        });
    }
}
