using System.Security.Cryptography;
using Remastered.Sessions.Internal;
using Xunit;

namespace Remastered.Sessions.Tests;

/// <summary>
/// The random bytes behind cookie nonces and session ids: from the kernel's <c>getrandom</c> on Linux (vDSO or system call), from
/// <see cref="RandomNumberGenerator"/> elsewhere and for long requests, every byte written, no two draws alike.
/// </summary>
public sealed class SecureRandomTests
{
    [Fact]
    public void On_Linux_the_bytes_come_from_the_kernel_and_elsewhere_from_RandomNumberGenerator()
    {
        // Linux 6.11 and later offer getrandom in the vDSO on x86-64 (the CI VM runs 6.18 with glibc): no system call.
        var vdsoExpected = OperatingSystem.IsLinux()
            && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64
            && Environment.OSVersion.Version >= new Version(6, 11)
            && File.Exists("/lib/x86_64-linux-gnu/libc.so.6");
        var expected = vdsoExpected ? RandomSource.Vdso : OperatingSystem.IsLinux() ? RandomSource.SystemCall : RandomSource.RandomNumberGenerator;
        Assert.Equal(expected, SecureRandom.Source);
        Span<byte> nonce = stackalloc byte[12];
        Assert.Equal(vdsoExpected, SecureRandom.TryFillFromVdso(nonce));
        Assert.Equal(OperatingSystem.IsLinux(), SecureRandom.TryFillFromSystemCall(nonce));
        Assert.Equal(expected, SecureRandom.Source);
    }

    [Fact]
    public void Requests_longer_than_the_kernel_answers_whole_go_to_RandomNumberGenerator_and_leave_the_kernel_paths_on()
    {
        var buffer = new byte[257];
        Assert.False(SecureRandom.TryFillFromVdso(buffer));
        Assert.False(SecureRandom.TryFillFromSystemCall(buffer));
        Assert.Equal(OperatingSystem.IsLinux(), SecureRandom.Source != RandomSource.RandomNumberGenerator);
    }

    [Fact]
    public async Task Threads_drawing_at_once_each_get_their_own_bytes()
    {
        // The vDSO state is one thread's at a time: many threads drawing together (and ending, which returns their
        // states for new threads to reuse) still never see the same nonce twice.
        var nonces = new System.Collections.Concurrent.ConcurrentBag<UInt128>();
        for (var wave = 0; wave < 3; wave++)
        {
            var threads = Enumerable.Range(0, 16).Select(_ => new Thread(() =>
            {
                Span<byte> nonce = stackalloc byte[16];
                for (var i = 0; i < 2000; i++)
                {
                    nonce.Clear();
                    SecureRandom.Fill(nonce[..12]);
                    nonces.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(nonce));
                }
            })).ToList();
            threads.ForEach(thread => thread.Start());
            threads.ForEach(thread => thread.Join());
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Yield();
        }

        Assert.Equal(3 * 16 * 2000, nonces.Count);
        Assert.Equal(nonces.Count, nonces.Distinct().Count());
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
            Assert.True(seen.Add(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(nonce)), $"nonce {i} repeated an earlier one");
            foreach (var b in nonce[..12])
            {
                counts[b]++;
            }
        }

        Assert.All(counts, count => Assert.InRange(count, 680, 1200));
    }

    [Fact]
    public void Session_ids_drawn_from_it_are_distinct_and_well_formed()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SessionIds.NewId()).ToHashSet();
        Assert.Equal(1000, ids.Count);
        Assert.All(ids, id => Assert.True(SessionIds.IsWellFormed(id)));
    }
}
