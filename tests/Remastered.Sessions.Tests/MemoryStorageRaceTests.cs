using Microsoft.Extensions.Time.Testing;
using Remastered.Sessions.Tests.Support;
using Xunit.Abstractions;

namespace Remastered.Sessions.Tests;

/// <summary>
/// The memory storage's two caches under races a reviewer found by interleaving: a load while another request
/// promotes the session, a late commit at the moment of the sign-out, a handler of Committed that throws, and how long
/// a new session waits on probation.
/// </summary>
public sealed class MemoryStorageRaceTests(ITestOutputHelper output)
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    private MemorySessionStorage Create(int maxSessions) => MemoryStorages.Create(_clock, maxSessions, TimeSpan.FromDays(1), TimeSpan.FromDays(2));

    private static Task<string> NewSession(MemorySessionStorage storage, string key, object? value) => MemoryStorages.NewSession(storage, key, value);

    [Fact]
    public async Task Two_requests_that_load_a_new_session_at_once_both_find_it()
    {
        // Every session is new, so on probation; the first load of each promotes it. Pairs of threads load each
        // session at the same moment (a page and its XHR, a browser's parallel requests right after sign-in).
        const int Sessions = 60_000;
        const int Pairs = 2;
        var storage = Create(maxSessions: 4 * Sessions * Pairs + 100);
        var cookies = new string[Pairs][];
        for (var p = 0; p < Pairs; p++)
        {
            cookies[p] = new string[Sessions];
            for (var i = 0; i < Sessions; i++)
            {
                cookies[p][i] = await NewSession(storage, "user", "u" + i);
            }
        }

        var lost = 0;
        var threads = new List<Thread>();
        for (var p = 0; p < Pairs; p++)
        {
            var mine = cookies[p];
            var barrier = new Barrier(2);
            for (var t = 0; t < 2; t++)
            {
                var thread = new Thread(() =>
                {
                    foreach (var cookie in mine)
                    {
                        barrier.SignalAndWait();
                        var store = SessionStore.LoadAsync(storage, cookie).AsTask().GetAwaiter().GetResult();
                        if (!store.Has("user"))
                        {
                            Interlocked.Increment(ref lost); // a new, empty session: this request sees the user signed out
                        }
                    }
                });
                thread.Start();
                threads.Add(thread);
            }
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        output.WriteLine($"loads that found no session: {lost} of {Sessions * Pairs * 2}");
        Assert.Equal(0, lost);
    }

    [Fact]
    public async Task A_late_commit_racing_the_sign_out_never_brings_the_session_back()
    {
        // A slow request loaded the session before the sign-out and commits at the same moment as the sign-out.
        const int Sessions = 60_000;
        const int Pairs = 2;
        var storage = Create(maxSessions: 4 * Sessions * Pairs + 100);
        var work = new (string Cookie, SessionStore<object?> Slow, SessionStore<object?> SignOut)[Pairs][];
        for (var p = 0; p < Pairs; p++)
        {
            work[p] = new (string, SessionStore<object?>, SessionStore<object?>)[Sessions];
            for (var i = 0; i < Sessions; i++)
            {
                var cookie = await NewSession(storage, "user", "u" + i);
                var slow = await SessionStore.LoadAsync(storage, cookie);
                slow.Set("cart", "1 item");
                var signOut = await SessionStore.LoadAsync(storage, cookie);
                signOut.Destroy();
                work[p][i] = (cookie, slow, signOut);
            }
        }

        var threads = new List<Thread>();
        for (var p = 0; p < Pairs; p++)
        {
            var mine = work[p];
            var barrier = new Barrier(2);
            for (var t = 0; t < 2; t++)
            {
                var commitsSlow = t == 0;
                var thread = new Thread(() =>
                {
                    foreach (var (_, slow, signOut) in mine)
                    {
                        barrier.SignalAndWait();
                        (commitsSlow ? slow : signOut).CommitAsync().AsTask().GetAwaiter().GetResult();
                    }
                });
                thread.Start();
                threads.Add(thread);
            }
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var back = 0;
        foreach (var pair in work)
        {
            foreach (var (cookie, _, _) in pair)
            {
                if ((await SessionStore.LoadAsync(storage, cookie)).Count > 0)
                {
                    back++; // the signed-out cookie opens a session again
                }
            }
        }

        output.WriteLine($"signed-out sessions that came back: {back} of {Sessions * Pairs}");
        Assert.Equal(0, back);
    }

    [Fact]
    public async Task A_Committed_handler_that_throws_does_not_turn_a_consumed_flash_into_a_persistent_value()
    {
        var storage = Create(maxSessions: 1000);
        var first = await SessionStore.LoadAsync(storage, null);
        first.Flash("notice", "Saved!");
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        var next = await SessionStore.LoadAsync(storage, cookie); // consumes the flash
        Action<SessionCommit> failing = _ => throw new InvalidOperationException("observer failed");
        next.Committed += failing;
        await Assert.ThrowsAsync<InvalidOperationException>(() => next.CommitAsync().AsTask()); // saved, then the handler threw
        next.Committed -= failing;
        next.Set("cart", "1 item");
        await next.CommitAsync();

        var later = await SessionStore.LoadAsync(storage, cookie);
        Assert.False(later.Has("notice"), "the flash consumed by the saved commit came back, as a persistent value: " + later.IsFlash("notice"));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(20_000)]
    public async Task A_new_session_survives_a_fifth_of_MaxSessions_newer_sessions_on_a_storage_that_has_been_full(int maxSessions)
    {
        // Probation is a quarter of MaxSessions, and a session passes through it once: almost all of it must be room
        // for new sessions, not a segment that keeps whatever entered first.
        var storage = Create(maxSessions);
        for (var i = 0; i < 3 * maxSessions; i++)
        {
            await NewSession(storage, "warm-up", i);
        }

        var visitor = await NewSession(storage, "user", "first visit");
        for (var i = 0; i < maxSessions / 5; i++)
        {
            await NewSession(storage, "visit", i);
        }

        Assert.Equal("first visit", (string?)(await SessionStore.LoadAsync(storage, visitor)).Get("user"));
    }
}
