using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using Remastered.Sessions.Internal;
using Xunit;

namespace Remastered.Sessions.Tests;

/// <summary>
/// The random bytes behind cookie nonces and session ids: from the kernel's generator on Linux (the vDSO's
/// <c>getrandom</c>, else the system call), from <see cref="RandomNumberGenerator"/> elsewhere; every byte written, no
/// two draws alike, no vDSO state shared by two threads.
/// </summary>
/// <remarks>
/// Not run in parallel with other tests: one test flips a process-wide <see cref="AppContext"/> switch, and another
/// counts the vDSO states threads hold.
/// </remarks>
[Collection(SecureRandomCollection.Name)]
public sealed class SecureRandomTests
{
    /// <summary>
    /// The vDSO offers getrandom from Linux 6.11 on x86-64, 6.12 on LoongArch, PowerPC and s390, 6.14 on arm64; glibc
    /// lists the vDSO, musl does not. (Other architectures: not known here, and the tests below expect the system call.)
    /// </summary>
    private static bool VdsoExpected
        => OperatingSystem.IsLinux()
            && !RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal)
            && Environment.OSVersion.Version >= RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => new Version(6, 11),
                Architecture.LoongArch64 or Architecture.Ppc64le or Architecture.S390x => new Version(6, 12),
                Architecture.Arm64 => new Version(6, 14),
                _ => new Version(int.MaxValue, 0),
            };

    [Fact]
    public void On_Linux_the_bytes_come_from_the_kernel_and_elsewhere_from_RandomNumberGenerator()
    {
        // The CI VM runs Linux 6.18 with glibc: the vDSO path.
        var expected = VdsoExpected ? RandomSource.Vdso : OperatingSystem.IsLinux() ? RandomSource.SystemCall : RandomSource.RandomNumberGenerator;
        Assert.Equal(expected, SecureRandom.Source);
        Span<byte> nonce = stackalloc byte[12];
        Assert.Equal(VdsoExpected, SecureRandom.TryFillFromVdso(nonce));
        Assert.Equal(OperatingSystem.IsLinux(), SecureRandom.TryFillFromSystemCall(nonce));
        Assert.Equal(expected, SecureRandom.Source);
    }

    [Fact]
    public void The_system_call_number_is_the_architectures_own()
    {
        // The numbers of the kernel's syscall tables (x86-64 318, the generic table 278, arm 384, i386 355, ...).
        Assert.Equal(318, SecureRandom.GetRandomSystemCallNumber(Architecture.X64));
        Assert.Equal(278, SecureRandom.GetRandomSystemCallNumber(Architecture.Arm64));
        Assert.Equal(278, SecureRandom.GetRandomSystemCallNumber(Architecture.RiscV64));
        Assert.Equal(278, SecureRandom.GetRandomSystemCallNumber(Architecture.LoongArch64));
        Assert.Equal(384, SecureRandom.GetRandomSystemCallNumber(Architecture.Arm));
        Assert.Equal(355, SecureRandom.GetRandomSystemCallNumber(Architecture.X86));
        Assert.Equal(359, SecureRandom.GetRandomSystemCallNumber(Architecture.Ppc64le));
        Assert.Equal(349, SecureRandom.GetRandomSystemCallNumber(Architecture.S390x));
        Assert.Equal(0, SecureRandom.GetRandomSystemCallNumber(Architecture.Wasm));
    }

    [Fact]
    public void Requests_longer_than_the_kernel_answers_whole_go_to_RandomNumberGenerator_and_leave_the_kernel_paths_on()
    {
        var expected = SecureRandom.Source;
        var buffer = new byte[257];
        Assert.False(SecureRandom.TryFillFromVdso(buffer));
        Assert.False(SecureRandom.TryFillFromSystemCall(buffer));
        Assert.Equal(expected, SecureRandom.Source);
        Assert.Equal(OperatingSystem.IsLinux(), expected != RandomSource.RandomNumberGenerator);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(32)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    public void Every_byte_of_the_destination_is_written(int length)
    {
        // A position never written stays zero; a written one is zero in all of eight draws with probability 2^-64.
        var seenNonZero = new bool[length];
        var buffer = new byte[length];
        for (var draw = 0; draw < 8; draw++)
        {
            Array.Clear(buffer);
            SecureRandom.Fill(buffer);
            for (var i = 0; i < length; i++)
            {
                seenNonZero[i] |= buffer[i] != 0;
            }
        }

        Assert.DoesNotContain(false, seenNonZero);
    }

    [Fact]
    public void Every_byte_is_written_by_each_kernel_path_on_its_own()
    {
        // The vDSO and the system call, each asked directly (Fill uses only the first that works).
        var paths = new (string Name, Func<byte[], bool> Fill, bool Available)[]
        {
            ("vDSO", b => SecureRandom.TryFillFromVdso(b), VdsoExpected),
            ("system call", b => SecureRandom.TryFillFromSystemCall(b), OperatingSystem.IsLinux()),
        };
        foreach (var (name, fill, available) in paths)
        {
            var seenNonZero = new bool[256];
            var buffer = new byte[256];
            for (var draw = 0; draw < 8; draw++)
            {
                Array.Clear(buffer);
                Assert.True(available == fill(buffer), $"{name}: available {available}");
                for (var i = 0; i < buffer.Length; i++)
                {
                    seenNonZero[i] |= buffer[i] != 0;
                }
            }

            // Unavailable, it writes nothing; available, every byte.
            Assert.True(available ? !seenNonZero.Contains(false) : !seenNonZero.Contains(true), name);
        }
    }

    [Fact]
    public void Nonces_are_distinct_and_their_bytes_uniform()
    {
        // 20,000 nonces of 12 bytes: any repeat among them has probability about 2^-68; each byte value is expected
        // 937.5 times (standard deviation 30.6), so the bounds below are more than eight deviations away.
        const int Draws = 20_000;
        var seen = new HashSet<UInt128>();
        var counts = new int[256];
        Span<byte> nonce = stackalloc byte[16];
        for (var i = 0; i < Draws; i++)
        {
            nonce.Clear();
            SecureRandom.Fill(nonce[..12]);
            Assert.True(seen.Add(BinaryPrimitives.ReadUInt128LittleEndian(nonce)), $"nonce {i} repeated an earlier one");
            foreach (var b in nonce[..12])
            {
                counts[b]++;
            }
        }

        Assert.All(counts, count => Assert.InRange(count, 680, 1200));
    }

    [Fact]
    public void Threads_alive_at_once_hold_distinct_vDSO_states_which_return_when_the_threads_end()
    {
        // The kernel requires one user per state at a time. Sixteen threads draw and then wait for each other, so all
        // hold their state together: sixteen different addresses. Once they have ended and their holders are finalized,
        // the next sixteen threads get states from the free ones (theirs, or those of other threads that ended): no new
        // page is mapped. Threads of earlier tests are finalized first.
        static List<nint> Wave()
        {
            var addresses = new ConcurrentBag<nint>();
            using var together = new Barrier(16);
            var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
            {
                Span<byte> nonce = stackalloc byte[12];
                SecureRandom.Fill(nonce);
                addresses.Add(SecureRandom.CurrentThreadState);
                together.SignalAndWait();
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
            return [.. addresses];
        }

        static void CollectEndedThreadsStates()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        CollectEndedThreadsStates();
        var first = Wave();
        var freeWhileHeld = SecureRandom.FreeStates;
        CollectEndedThreadsStates();
        var freeOnceReturned = SecureRandom.FreeStates;
        var pages = SecureRandom.MappedPages;
        var second = Wave();
        if (!VdsoExpected)
        {
            Assert.All(first.Concat(second), address => Assert.Equal(0, address));
            return;
        }

        Assert.Equal(16, first.Distinct().Count());
        Assert.DoesNotContain((nint)0, first);
        Assert.Equal(16, second.Distinct().Count());
        Assert.True(freeOnceReturned - freeWhileHeld >= 16, $"{freeOnceReturned - freeWhileHeld} states came back");
        Assert.Equal(pages, SecureRandom.MappedPages);
        Assert.True(pages > 0);
    }

    [Fact]
    public void Threads_drawing_at_once_never_see_the_same_nonce()
    {
        var nonces = new ConcurrentBag<UInt128>();
        var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
        {
            Span<byte> nonce = stackalloc byte[16];
            for (var i = 0; i < 2000; i++)
            {
                nonce.Clear();
                SecureRandom.Fill(nonce[..12]);
                nonces.Add(BinaryPrimitives.ReadUInt128LittleEndian(nonce));
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        Assert.Equal(16 * 2000, nonces.Distinct().Count());
    }

    [Fact]
    public void The_AppContext_switch_keeps_the_vDSO_path_off_for_the_process()
    {
        // The switch is read once, when the class is first used: a fresh copy of the library, loaded into a context of
        // its own, runs its static constructor again, with the switch on and then off.
        static string SourceOfAFreshCopy()
        {
            var context = new AssemblyLoadContext("fresh SecureRandom", isCollectible: true);
            try
            {
                var copy = context.LoadFromAssemblyPath(typeof(SessionStore).Assembly.Location);
                var type = copy.GetType(typeof(SecureRandom).FullName!, throwOnError: true)!;
                return type.GetProperty(nameof(SecureRandom.Source), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!.ToString()!;
            }
            finally
            {
                context.Unload();
            }
        }

        AppContext.SetSwitch(SecureRandom.DisableVdsoSwitch, true);
        string withSwitch;
        try
        {
            withSwitch = SourceOfAFreshCopy();
        }
        finally
        {
            AppContext.SetSwitch(SecureRandom.DisableVdsoSwitch, false);
        }

        Assert.Equal(OperatingSystem.IsLinux() ? nameof(RandomSource.SystemCall) : nameof(RandomSource.RandomNumberGenerator), withSwitch);
        Assert.Equal(SecureRandom.Source.ToString(), SourceOfAFreshCopy());
    }

    [Fact]
    public void Session_ids_drawn_from_it_are_distinct_and_well_formed()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionIds.NewId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.True(SessionIds.IsWellFormed(id)));
    }
}

/// <summary>Runs <see cref="SecureRandomTests"/> alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SecureRandomCollection
{
    public const string Name = "SecureRandom (alone)";
}
