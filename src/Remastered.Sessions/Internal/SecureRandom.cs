using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Remastered.Sessions.Internal;

/// <summary>
/// Cryptographically secure random bytes for cookie nonces and session ids, from the kernel's generator on Linux.
/// </summary>
/// <remarks>
/// <para>
/// .NET's <see cref="RandomNumberGenerator"/> goes through OpenSSL on Linux (<c>RAND_bytes</c>: a generator whose state
/// lives in the process, seeded from the kernel and reseeded on <c>fork</c>), about 0.76 us per 12-byte nonce on the CI
/// VM, and every copy of a process restored from one snapshot continues that state. On Linux the bytes come from the
/// kernel's generator instead, which reseeds when a virtual machine is cloned (if the hypervisor exposes a VM generation
/// id and the guest kernel handles it):
/// </para>
/// <list type="number">
/// <item>through the vDSO's <c>getrandom</c> (Linux 6.11 and later on x86-64, 6.12-6.14 on other architectures; what glibc 2.41 and later use for
/// <c>getrandom(3)</c>): about 0.03 us, no system call. The vDSO keeps a per-thread state (a key and up to a few dozen
/// bytes of output not yet handed out) in memory mapped with the flags the kernel asks for: wiped on <c>fork</c>, and
/// discarded when the kernel's generator reseeds (its generation counter, bumped at least every minute and when a VM
/// generation change is handled). A process image restored twice by a checkpoint tool that keeps that memory (CRIU
/// before 4.2) within the same generation would repeat output: docs/security.md says when to set
/// <see cref="DisableVdsoSwitch"/>. Each state is used by one thread at a time, as the kernel requires;</item>
/// <item>else (or with the switch) through the <c>getrandom</c> system call itself, made with libc's <c>syscall</c>
/// (libc's <c>getrandom</c> uses the vDSO from glibc 2.41 on): about 0.35 us, no state in the process;</item>
/// <item>else (Windows, macOS, a sandbox that filters the call) through <see cref="RandomNumberGenerator.Fill"/>.</item>
/// </list>
/// </remarks>
internal static unsafe class SecureRandom
{
    /// <summary>
    /// The <see cref="AppContext"/> switch that keeps the vDSO path off, so every draw is a system call and no generator
    /// state lives in the process: for deployments that restore one process image into several running copies (CRIU
    /// before 4.2, <c>podman container restore</c> of one checkpoint more than once). Read once, at first use.
    /// </summary>
    internal const string DisableVdsoSwitch = "Remastered.Sessions.DisableVdsoRandom";

    // getrandom never returns short reads of up to 256 bytes once the kernel's generator is initialised; longer requests
    // (none in this library) go to RandomNumberGenerator.
    private const int MaxKernelRequest = 256;
    private const int EPERM = 1;
    private const int EINTR = 4;
    private const int ENOSYS = 38;
    internal const int MaxInterruptedAttempts = 8;

    // Spacing of the vDSO states: the kernel writes a thread's state on every call, so two threads never share a line.
    private const int CacheLineSize = 64;

    private static readonly delegate* unmanaged<nint, byte*, nuint, nint, nint> s_syscall;
    private static readonly nint s_getRandomNumber;
    private static readonly delegate* unmanaged<byte*, nuint, uint, void*, nuint, nint> s_vdsoGetRandom;
    private static readonly delegate* unmanaged<void*, nuint, int, int, int, nint, void*> s_mmap;
    private static readonly VdsoParameters s_vdsoParameters;
    private static volatile bool s_systemCallRefused;
    private static volatile bool s_vdsoRefused;

    // vDSO states no thread holds: handed to threads as they first draw, given back when a thread has ended.
    private static readonly Stack<nint> s_freeStates = new();
    private static readonly Lock s_statesLock = new();

    [ThreadStatic]
    private static VdsoState? t_state;

    // Pages of vDSO states mapped so far (tests check that ended threads' states are reused rather than new ones mapped).
    private static int s_mappedPages;

    static SecureRandom()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // glibc's soname first (nearly every distribution and container image), then whatever "libc" resolves to (musl).
        foreach (var name in (ReadOnlySpan<string>)["libc.so.6", "libc"])
        {
            if (!NativeLibrary.TryLoad(name, out var libc))
            {
                continue;
            }

            s_getRandomNumber = GetRandomSystemCallNumber(RuntimeInformation.ProcessArchitecture);
            if (s_getRandomNumber != 0 && NativeLibrary.TryGetExport(libc, "syscall", out var syscall))
            {
                // syscall(2) is variadic in C: every argument is passed as a full register-sized integer, as libc reads them.
                s_syscall = (delegate* unmanaged<nint, byte*, nuint, nint, nint>)syscall;
            }

            if (NativeLibrary.TryGetExport(libc, "mmap", out var mmap))
            {
                s_mmap = (delegate* unmanaged<void*, nuint, int, int, int, nint, void*>)mmap;
            }

            break;
        }

        if (s_mmap is null || VdsoTurnedOff())
        {
            return;
        }

        // glibc lists the vDSO among its loaded objects under its soname (linux-vdso64 on 64-bit PowerPC and s390);
        // the function's name differs by architecture (__vdso_getrandom on x86-64, __kernel_getrandom on arm64, ...),
        // so both are tried. musl does not list the vDSO: the system call serves there.
        foreach (var soname in (ReadOnlySpan<string>)["linux-vdso.so.1", "linux-vdso64.so.1"])
        {
            if (!NativeLibrary.TryLoad(soname, out var vdso))
            {
                continue;
            }

            foreach (var symbol in (ReadOnlySpan<string>)["__vdso_getrandom", "__kernel_getrandom"])
            {
                if (!NativeLibrary.TryGetExport(vdso, symbol, out var address))
                {
                    continue;
                }

                var function = (delegate* unmanaged<byte*, nuint, uint, void*, nuint, nint>)address;
                VdsoParameters parameters;
                // The kernel's documented query: no buffer, and an opaque length of ~0 asks for the state's size and
                // the mmap protection and flags its memory needs.
                if (function(null, 0, 0, &parameters, nuint.MaxValue) == 0
                    && parameters.SizeOfOpaqueState > 0
                    && parameters.SizeOfOpaqueState <= (uint)Environment.SystemPageSize
                    && StateSpacing(parameters.SizeOfOpaqueState) <= Environment.SystemPageSize)
                {
                    s_vdsoParameters = parameters;
                    s_vdsoGetRandom = function;
                }

                return;
            }
        }
    }

    /// <summary>Whether <see cref="DisableVdsoSwitch"/> is set.</summary>
    internal static bool VdsoTurnedOff() => AppContext.TryGetSwitch(DisableVdsoSwitch, out var off) && off;

    /// <summary>Where the bytes come from in this process now.</summary>
    internal static RandomSource Source
        => s_vdsoGetRandom is not null && !s_vdsoRefused ? RandomSource.Vdso
            : s_syscall is not null && !s_systemCallRefused ? RandomSource.SystemCall
            : RandomSource.RandomNumberGenerator;

    /// <summary>How many pages of vDSO states have been mapped.</summary>
    internal static int MappedPages => Volatile.Read(ref s_mappedPages);

    /// <summary>How many vDSO states no thread holds.</summary>
    internal static int FreeStates
    {
        get
        {
            lock (s_statesLock)
            {
                return s_freeStates.Count;
            }
        }
    }

    /// <summary>The address of this thread's vDSO state, 0 if it has none (tests check that no two threads share one).</summary>
    internal static nint CurrentThreadState => t_state?.Address ?? 0;

    /// <summary>Fills <paramref name="destination"/> with cryptographically secure random bytes.</summary>
    public static void Fill(Span<byte> destination)
    {
        if (!TryFillFromVdso(destination) && !TryFillFromSystemCall(destination))
        {
            RandomNumberGenerator.Fill(destination);
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> through the vDSO's <c>getrandom</c> with this thread's state; false (nothing
    /// usable written) where it is not available, refused, or the request is longer than 256 bytes. A refusal turns the
    /// vDSO path off for the process (the system call then serves: slower, as safe).
    /// </summary>
    internal static bool TryFillFromVdso(Span<byte> destination)
    {
        var function = s_vdsoGetRandom;
        if (function is null || s_vdsoRefused || destination.Length > MaxKernelRequest)
        {
            return false;
        }

        var state = t_state ??= AcquireState();
        if (state is null)
        {
            return false;
        }

        fixed (byte* buffer = destination)
        {
            // Flags 0, as for the system call. The state is this thread's alone (the kernel requires one user at a time).
            if (function(buffer, (nuint)destination.Length, 0, (void*)state.Address, s_vdsoParameters.SizeOfOpaqueState) == destination.Length)
            {
                return true;
            }
        }

        s_vdsoRefused = true;
        return false;
    }

    /// <summary>libc's <c>syscall</c> function; null where it was not found (not Linux, or no known call number).</summary>
    internal static delegate* unmanaged<nint, byte*, nuint, nint, nint> LibcSyscall => s_syscall;

    /// <summary>
    /// Fills <paramref name="destination"/> through the <c>getrandom</c> system call; false (nothing usable written)
    /// where it is not available, refused, or the request is longer than 256 bytes. An interrupted call is retried; a
    /// kernel without the call or a sandbox that forbids it (<c>ENOSYS</c>, <c>EPERM</c>) turns this path off for the
    /// process; any other failure leaves this one request to <see cref="RandomNumberGenerator"/>.
    /// </summary>
    internal static bool TryFillFromSystemCall(Span<byte> destination)
    {
        var syscall = s_syscall;
        if (syscall is null || s_systemCallRefused || destination.Length > MaxKernelRequest)
        {
            return false;
        }

        var outcome = CallGetRandom(syscall, s_getRandomNumber, destination);
        if (outcome == SystemCallOutcome.Refused)
        {
            s_systemCallRefused = true;
        }

        return outcome == SystemCallOutcome.Filled;
    }

    /// <summary>
    /// One <c>getrandom</c> request through <paramref name="syscall"/> (libc's <c>syscall</c>, or a scripted stand-in in
    /// tests): retried while interrupted (<c>EINTR</c>, at most 8 attempts); <see cref="SystemCallOutcome.Refused"/> for
    /// <c>ENOSYS</c> and <c>EPERM</c>; <see cref="SystemCallOutcome.Failed"/> for any other error or a short read.
    /// </summary>
    /// <remarks>
    /// <c>errno</c> is cleared before and read right after the call with <see cref="Marshal.SetLastSystemError"/> and
    /// <see cref="Marshal.GetLastSystemError"/>, the same sequence the <c>LibraryImport</c> generator emits around a
    /// call declared with <c>SetLastError = true</c>.
    /// </remarks>
    internal static SystemCallOutcome CallGetRandom(delegate* unmanaged<nint, byte*, nuint, nint, nint> syscall, nint number, Span<byte> destination)
    {
        fixed (byte* buffer = destination)
        {
            for (var attempt = 0; attempt < MaxInterruptedAttempts; attempt++)
            {
                Marshal.SetLastSystemError(0);
                // Flags 0: the kernel's generator, blocking only until it is first initialised (EINTR then possible).
                var result = syscall(number, buffer, (nuint)destination.Length, 0);
                if (result == destination.Length)
                {
                    return SystemCallOutcome.Filled;
                }

                var error = result < 0 ? Marshal.GetLastSystemError() : 0;
                if (error == EINTR)
                {
                    continue;
                }

                return error is ENOSYS or EPERM ? SystemCallOutcome.Refused : SystemCallOutcome.Failed;
            }
        }

        return SystemCallOutcome.Failed;
    }

    /// <summary>The <c>getrandom</c> system call's number on <paramref name="architecture"/>; 0 where not known here.</summary>
    internal static nint GetRandomSystemCallNumber(Architecture architecture) => architecture switch
    {
        Architecture.X64 => 318,
        Architecture.Arm64 or Architecture.RiscV64 or Architecture.LoongArch64 => 278,
        Architecture.Arm => 384,
        Architecture.X86 => 355,
        Architecture.Ppc64le => 359,
        Architecture.S390x => 349,
        _ => 0,
    };

    private static int StateSpacing(uint size) => ((int)size + CacheLineSize - 1) / CacheLineSize * CacheLineSize;

    /// <summary>A state for this thread: a free one, or one of a new page of them; null if memory cannot be mapped.</summary>
    private static VdsoState? AcquireState()
    {
        lock (s_statesLock)
        {
            if (s_freeStates.Count == 0)
            {
                var pageSize = Environment.SystemPageSize;
                var page = s_mmap(null, (nuint)pageSize, (int)s_vdsoParameters.MmapProtection, (int)s_vdsoParameters.MmapFlags, -1, 0);
                if (page is null || page == (void*)-1)
                {
                    s_vdsoRefused = true;
                    return null;
                }

                s_mappedPages++;

                // States at cache-line multiples inside the page, none crossing its end (the kernel's requirement).
                var size = (int)s_vdsoParameters.SizeOfOpaqueState;
                var spacing = StateSpacing(s_vdsoParameters.SizeOfOpaqueState);
                for (var offset = 0; offset + size <= pageSize; offset += spacing)
                {
                    s_freeStates.Push((nint)page + offset);
                }
            }

            return new VdsoState(s_freeStates.Pop());
        }
    }

    /// <summary>What the kernel answers about its vDSO state (<c>struct vgetrandom_opaque_params</c>, 64 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct VdsoParameters
    {
        public uint SizeOfOpaqueState;
        public uint MmapProtection;
        public uint MmapFlags;
#pragma warning disable CS0169 // Reserved by the kernel: part of the structure it writes.
        private fixed uint _reserved[13];
#pragma warning restore CS0169
    }

    /// <summary>A thread's vDSO state; once the thread has ended (and only then), its state goes back to the free ones.</summary>
    private sealed class VdsoState(nint address)
    {
        public nint Address { get; } = address;

        ~VdsoState()
        {
            // The thread-static field keeps this object reachable for as long as its thread lives: nobody uses the state
            // any more. A state taken back before the thread's next draw cannot happen, as the thread is gone.
            lock (s_statesLock)
            {
                s_freeStates.Push(Address);
            }
        }
    }
}

/// <summary>Where <see cref="SecureRandom"/> draws from.</summary>
internal enum RandomSource
{
    /// <summary>The vDSO's <c>getrandom</c> (Linux 6.11 and later, with glibc).</summary>
    Vdso,

    /// <summary>The <c>getrandom</c> system call.</summary>
    SystemCall,

    /// <summary><see cref="System.Security.Cryptography.RandomNumberGenerator"/>.</summary>
    RandomNumberGenerator,
}

/// <summary>How one <c>getrandom</c> request through the system call ended.</summary>
internal enum SystemCallOutcome
{
    /// <summary>Every byte asked for was written.</summary>
    Filled,

    /// <summary>The kernel lacks the call or a sandbox forbids it (<c>ENOSYS</c>, <c>EPERM</c>): not worth asking again.</summary>
    Refused,

    /// <summary>Any other error, a short read, or still interrupted after the last attempt: this request only.</summary>
    Failed,
}
