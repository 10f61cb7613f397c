using BenchmarkDotNet.Attributes;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// Loading from a hostile 32 KB <c>Cookie</c> header (Kestrel's default limit) full of copies of the session cookie,
/// against a normal load of one valid cookie: the storage tries at most four candidates and logs once.
/// </summary>
[MemoryDiagnoser]
public class HostileHeaderBenchmarks
{
    private const string Secret = "benchmark-secret-0123456789abcdefghijklmnop";
    private CookieSessionStorage _storage = null!;
    private string _valid = null!;
    private string _tamperedCopies = null!;
    private string _foreignCopies = null!;
    private string _garbageCopies = null!;

    [GlobalSetup]
    public void Setup()
    {
        _storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var store = SessionStore.LoadAsync(_storage, null).AsTask().GetAwaiter().GetResult();
        store.Set("user_id", 42);
        store.Set("name", "ada");
        _valid = store.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];

        // Same key id, one character changed: passes the cheap checks, fails authentication.
        var tampered = _valid[..^2] + (_valid[^2] == 'A' ? "B" : "A") + _valid[^1];
        var foreign = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [CookieSessionOptions.GenerateSecret()] });
        var other = SessionStore.LoadAsync(foreign, null).AsTask().GetAwaiter().GetResult();
        other.Set("user_id", 1);
        var foreignCookie = other.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
        _tamperedCopies = Fill(tampered);
        _foreignCopies = Fill(foreignCookie);
        _garbageCopies = Fill("session=" + new string('x', 200));
    }

    private static string Fill(string cookie) => string.Join("; ", Enumerable.Repeat(cookie, (32 * 1024) / (cookie.Length + 2)));

    [Benchmark(Baseline = true, Description = "normal load (one valid cookie)")]
    public async ValueTask<int> Normal() => (await SessionStore.LoadAsync(_storage, _valid)).Count;

    [Benchmark(Description = "32 KB of tampered copies (same key id)")]
    public async ValueTask<int> Tampered() => (await SessionStore.LoadAsync(_storage, _tamperedCopies)).Count;

    [Benchmark(Description = "32 KB of cookies from another secret")]
    public async ValueTask<int> Foreign() => (await SessionStore.LoadAsync(_storage, _foreignCopies)).Count;

    [Benchmark(Description = "32 KB of garbage values")]
    public async ValueTask<int> Garbage() => (await SessionStore.LoadAsync(_storage, _garbageCopies)).Count;
}
