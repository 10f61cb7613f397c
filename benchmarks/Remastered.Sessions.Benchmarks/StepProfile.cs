using System.Diagnostics;
using Remastered.Sessions.Benchmarks.Scenarios;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// Where one medium cookie request spends its time and allocations, step by step: the profile taken before each
/// optimisation (<c>-- --profile</c>). Best of seven rounds per step, so a noisy machine still shows the shape; the
/// comparisons that count are the BenchmarkDotNet runs.
/// </summary>
public static class StepProfile
{
    private const int Rounds = 7;
    private const int Iterations = 20_000;

    public static void Run()
    {
        var (storage, header) = MediumCookie();

        var suite = new CookieSessionBenchmarks { Size = SessionSize.Medium };
        suite.Setup();
        // The whole requests first run long enough for tiered compilation to finish (else the first steps measure
        // code that is not yet optimised, and read slower than the same request timed later).
        Warm(() => suite.Floor(), () => suite.FloorLibraryNonce(), () => suite.GeneratedSchema().GetAwaiter().GetResult(), () => suite.UntypedStore().GetAwaiter().GetResult(), () => suite.DataProtectionDictionary());
        Console.WriteLine($"{"step (medium session)",-44} {"best µs",8} {"bytes",8}");
        Time("whole request: AES-GCM floor", () => suite.Floor());
        Time("whole request: floor, library nonce", () => suite.FloorLibraryNonce());
        Time("whole request: generated schema", () => suite.GeneratedSchema().GetAwaiter().GetResult());
        Time("whole request: untyped Store", () => suite.UntypedStore().GetAwaiter().GetResult());
        Time("whole request: Data Protection baseline", () => suite.DataProtectionDictionary());
        Time("load: storage.FromHeaderAsync", () => storage.FromHeaderAsync(header).GetAwaiter().GetResult());
        Time("load: schema LoadAsync (storage + store)", () => CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult());
        Time("load + read UserId (first read)", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            return s.UserId;
        });
        Time("load + read Cart (first read)", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            return s.Cart;
        });
        Time("load + read UserId, Cart (first read)", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            return (s.UserId, s.Cart);
        });
        Time("load + reads + set + flash (no commit)", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            s.Visits = (s.UserId ?? 0) + (s.Cart?.Count ?? 0);
            s.Notice = "Saved!";
            return s;
        });
        Time("load + set Visits + commit", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            s.Visits = 3;
            return s.CommitAsync().GetAwaiter().GetResult();
        });
        Time("load + read Cart + set Visits + commit", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            s.Visits = s.Cart!.Count;
            return s.CommitAsync().GetAwaiter().GetResult();
        });
        Time("load + set Visits + flash Notice + commit", () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            s.Visits = 3;
            s.Notice = "Saved!";
            return s.CommitAsync().GetAwaiter().GetResult();
        });
        Time("storage: FromHeaderAsync + ToHeaderAsync", () => storage.ToHeaderAsync(storage.FromHeaderAsync(header).GetAwaiter().GetResult()).GetAwaiter().GetResult());
        var session = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
        Time("read UserId", () => _ = session.UserId);
        Time("read Cart (10 items)", () => _ = session.Cart);
        Time("set Visits", () => session.Visits = 3);
        Time("flash Notice", () => session.Notice = "Saved!");
        Time("cart JSON: generated compact reader", CartReader());
        var cartJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(SessionData.Cart(SessionSize.Medium), BenchJson.Default.ListCartItem);
        Time("cart JSON: System.Text.Json source-generated", () => System.Text.Json.JsonSerializer.Deserialize(cartJson, BenchJson.Default.ListCartItem));
        var stored = storage.FromHeaderAsync(header).GetAwaiter().GetResult();
        Time("commit: storage.ToHeaderAsync", () => storage.ToHeaderAsync(stored).GetAwaiter().GetResult());
        suite.Cleanup();
    }

    /// <summary>Runs one contender of the medium cookie request in a loop for a sampling profiler.</summary>
    public static void Loop(string contender, double seconds)
    {
        var suite = new CookieSessionBenchmarks { Size = SessionSize.Medium };
        suite.Setup();
        Action action = contender switch
        {
            "floor" => () => suite.Floor(),
            "generated" => () => suite.GeneratedSchema().GetAwaiter().GetResult(),
            "store" => () => suite.UntypedStore().GetAwaiter().GetResult(),
            "cart" => CartReader(),
            "storage" => StorageRoundTrip(),
            "load" => LoadAndRead(readCart: false),
            "load-read" => LoadAndRead(readCart: true),
            _ => throw new ArgumentException($"Unknown contender '{contender}': floor, generated, store, cart, storage, load or load-read."),
        };
        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 1000; i++)
            {
                action();
            }

            count += 1000;
        }

        Console.WriteLine($"{contender}: {count} requests, {watch.Elapsed.TotalMicroseconds / count:F2} us each");
        suite.Cleanup();
    }

    /// <summary>A cookie storage and the cookie of a medium session stored in it.</summary>
    private static (CookieSessionStorage Storage, string Header) MediumCookie()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = ["benchmark-secret-0123456789abcdefghijklmnop"] });
        var seed = CookieBenchSession.LoadAsync(storage, null).AsTask().GetAwaiter().GetResult();
        seed.UserId = 42;
        seed.User = SessionData.User(SessionSize.Medium);
        seed.Cart = SessionData.Cart(SessionSize.Medium);
        seed.Visits = 1;
        seed.Notice = "Saved!";
        var header = seed.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];
        return (storage, header);
    }

    /// <summary>Loads the medium session and, if asked, reads its cart (the first read, from the stored JSON).</summary>
    private static Action LoadAndRead(bool readCart)
    {
        var (storage, header) = MediumCookie();
        return () =>
        {
            var s = CookieBenchSession.LoadAsync(storage, header).GetAwaiter().GetResult();
            if (readCart)
            {
                _ = s.Cart;
            }
        };
    }

    /// <summary>The storage alone: read the medium cookie and write it again, no session layer.</summary>
    private static Action StorageRoundTrip()
    {
        var (storage, header) = MediumCookie();
        return () => storage.ToHeaderAsync(storage.FromHeaderAsync(header).GetAwaiter().GetResult()).GetAwaiter().GetResult();
    }

    /// <summary>Reads the medium cart's JSON with the generated compact reader, as the schema does on first read.</summary>
    private static Action CartReader()
    {
        var cartJson = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(SessionData.Cart(SessionSize.Medium), BenchJson.Default.ListCartItem);
        var compactCart = typeof(CookieBenchSession).GetNestedType("__SessionJson", System.Reflection.BindingFlags.NonPublic)!
            .GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Single(m => m.Name.StartsWith("TryReadCompact_ListOfCartItem_", StringComparison.Ordinal))
            .CreateDelegate<Remastered.Sessions.Schemas.Support.CompactJsonReadFunc<List<CartItem>>>();
        return () =>
        {
            var reader = new Remastered.Sessions.Schemas.Support.CompactJsonReader(cartJson);
            compactCart(ref reader, out _);
        };
    }

    private static void Warm(params Action[] actions)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (var action in actions)
            {
                for (var i = 0; i < 1000; i++)
                {
                    action();
                }
            }
        }
    }

    private static void Time<T>(string step, Func<T> action) => Time(step, () => { _ = action(); });

    private static void Time(string step, Action action)
    {
        for (var i = 0; i < Iterations; i++)
        {
            action();
        }

        var best = double.MaxValue;
        long bytes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Iterations; i++)
            {
                action();
            }

            watch.Stop();
            best = Math.Min(best, watch.Elapsed.TotalMicroseconds / Iterations);
            bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / Iterations;
        }

        Console.WriteLine($"{step,-44} {best,8:F2} {bytes,8}");
    }
}
