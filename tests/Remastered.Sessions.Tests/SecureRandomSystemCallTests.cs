using System.Runtime.InteropServices;
using Remastered.Sessions.Internal;
using Xunit;

namespace Remastered.Sessions.Tests;

/// <summary>
/// How the <c>getrandom</c> system-call path handles what the kernel answers: an interrupted call is asked again, a
/// kernel without the call or a sandbox that forbids it turns the path off, anything else fails that one request. The
/// answers come from a scripted stand-in for libc's <c>syscall</c> that sets <c>errno</c> as the real one does; the
/// real function is called too, with a number no kernel knows, for a real <c>ENOSYS</c>.
/// </summary>
[Collection(SecureRandomCollection.Name)]
public sealed unsafe class SecureRandomSystemCallTests
{
    private const int EPERM = 1;
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int EFAULT = 14;
    private const int ENOSYS = 38;

    // The stand-in's script, one entry per call: an errno to fail with, 0 to fill the buffer, -1 to write half of it.
    [ThreadStatic] private static Queue<int>? t_script;
    [ThreadStatic] private static int t_calls;

    [Fact]
    public void An_interrupted_call_is_asked_again_until_it_fills_the_buffer()
    {
        var (outcome, calls, bytes) = Run(EINTR, EINTR, 0);
        Assert.Equal(SystemCallOutcome.Filled, outcome);
        Assert.Equal(3, calls);
        Assert.All(bytes, b => Assert.Equal(0xA5, b));
    }

    [Fact]
    public void A_call_still_interrupted_after_the_last_attempt_fails_that_request()
    {
        var (outcome, calls, _) = Run([.. Enumerable.Repeat(EINTR, SecureRandom.MaxInterruptedAttempts), 0]);
        Assert.Equal(SystemCallOutcome.Failed, outcome);
        Assert.Equal(SecureRandom.MaxInterruptedAttempts, calls);
    }

    [Theory]
    [InlineData(ENOSYS)]
    [InlineData(EPERM)]
    public void A_kernel_without_the_call_or_a_sandbox_that_forbids_it_refuses_for_good(int errno)
    {
        var (outcome, calls, _) = Run(errno, 0);
        Assert.Equal(SystemCallOutcome.Refused, outcome);
        Assert.Equal(1, calls);
    }

    [Theory]
    [InlineData(EAGAIN)]
    [InlineData(EFAULT)]
    [InlineData(-1)]
    public void Other_errors_and_short_reads_fail_only_that_request(int answer)
    {
        var (outcome, calls, _) = Run(answer, 0);
        Assert.Equal(SystemCallOutcome.Failed, outcome);
        Assert.Equal(1, calls);
    }

    [Fact]
    public void The_real_syscall_function_reports_the_kernels_ENOSYS_through_errno()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.True(SecureRandom.LibcSyscall is null);
            return;
        }

        Assert.True(SecureRandom.LibcSyscall is not null);
        var buffer = new byte[12];
        // No architecture's table reaches this number: the kernel answers ENOSYS, read back as errno after the call.
        Assert.Equal(SystemCallOutcome.Refused, SecureRandom.CallGetRandom(SecureRandom.LibcSyscall, 100_000, buffer));
        Assert.Equal(SystemCallOutcome.Filled, SecureRandom.CallGetRandom(SecureRandom.LibcSyscall, SecureRandom.GetRandomSystemCallNumber(RuntimeInformation.ProcessArchitecture), buffer));
    }

    private static (SystemCallOutcome Outcome, int Calls, byte[] Bytes) Run(params int[] script)
    {
        t_script = new Queue<int>(script);
        t_calls = 0;
        var bytes = new byte[16];
        var outcome = SecureRandom.CallGetRandom(&Scripted, 318, bytes);
        return (outcome, t_calls, bytes);
    }

    [UnmanagedCallersOnly]
    private static nint Scripted(nint number, byte* buffer, nuint length, nint flags)
    {
        t_calls++;
        var answer = t_script!.Dequeue();
        if (answer > 0)
        {
            Marshal.SetLastSystemError(answer);
            return -1;
        }

        var written = answer == 0 ? length : length / 2;
        new Span<byte>(buffer, (int)written).Fill(0xA5);
        return (nint)written;
    }
}
