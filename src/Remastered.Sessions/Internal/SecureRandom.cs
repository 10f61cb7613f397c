using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Remastered.Sessions.Internal;

/// <summary>
/// Cryptographically secure random bytes for nonces and session ids, drawn from the kernel's generator on every call.
/// </summary>
/// <remarks>
/// <para>
/// .NET's <see cref="RandomNumberGenerator"/> goes through OpenSSL on Linux (<c>RAND_bytes</c>: a generator inside the
/// process, seeded from the kernel), which costs about 0.76 us per 12-byte nonce on the CI VM and, being state inside
/// the process, is handed out again by every copy of a process restored from one snapshot (OpenSSL reseeds on
/// <c>fork</c>, not when a VM snapshot is restored). On Linux the bytes come from the kernel's own generator instead,
/// which reseeds when a virtual machine is cloned (VM generation id):
/// </para>
/// <list type="number">
/// <item>through the vDSO's <c>getrandom</c> (Linux 6.11 and later; what glibc 2.41 and later use for
/// <c>getrandom(3)</c>): about 0.03 us, no system call. Its state lives in memory the kernel supplies the flags for
/// (dropped on fork, regenerated on a VM clone: the kernel designed it to be snapshot-safe) and is used by one thread at
/// a time;</item>
/// <item>else through the <c>getrandom(2)</c> system call: about 0.35 us;</item>
/// <item>else (Windows, macOS, a sandbox that filters the call) through <see cref="RandomNumberGenerator.Fill"/>.</item>
/// </list>
/// <para>Nothing is drawn ahead of time: each call asks the generator for exactly the bytes it returns.</para>
/// </remarks>
internal static unsafe class SecureRandom
{
    // getrandom never returns short reads of up to 256 bytes once the kernel's generator is initialised (it is, for any
    // process that runs after early boot); longer requests go to RandomNumberGenerator.
    private const int MaxKernelRequest = 256;

    private static readonly delegate* unmanaged<byte*, nuint, uint, nint> s_getRandom;
    private static readonly delegate* unmanaged<byte*, nuint, uint, void*, nuint, nint> s_vdsoGetRandom;
    private static readonly delegate* unmanaged<void*, nuint, int, int, int, nint, void*> s_mmap;
    private static readonly VdsoParameters s_vdsoParameters;
    private static volatile bool s_kernelRefused;
    private static volatile bool s_vdsoRefused;

    // vDSO states not held by a thread: handed to threads as they first draw, returned when a thread ends.
    private static readonly Stack<nint> s_freeStates = new();
    private static readonly Lock s_statesLock = new();

    [ThreadStatic]
    private static VdsoState? t_state;

    static SecureRandom()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // glibc's soname first (nearly every distribution and container image), then whatever "libc" resolves to.
        foreach (var name in (ReadOnlySpan<string>)["libc.so.6", "libc"])
        {
            if (NativeLibrary.TryLoad(name, out var libc))
            {
                if (NativeLibrary.TryGetExport(libc, "getrandom", out var getRandom))
                {
                    s_getRandom = (delegate* unmanaged<byte*, nuint, uint, nint>)getRandom;
                }

                if (NativeLibrary.TryGetExport(libc, "mmap", out var mmap))
                {
                    s_mmap = (delegate* unmanaged<void*, nuint, int, int, int, nint, void*>)mmap;
                }

                break;
            }
        }

        // glibc lists the vDSO among the loaded objects under this name; elsewhere the lookup fails and the system
        // call serves.
        if (s_mmap is not null
            && NativeLibrary.TryLoad("linux-vdso.so.1", out var vdso)
            && NativeLibrary.TryGetExport(vdso, "__vdso_getrandom", out var vdsoGetRandom))
        {
            var function = (delegate* unmanaged<byte*, nuint, uint, void*, nuint, nint>)vdsoGetRandom;
            VdsoParameters parameters;
            // The kernel's documented query: no buffer, and an opaque length of ~0 asks for the state's size and the
            // mmap protection and flags its memory needs.
            if (function(null, 0, 0, &parameters, nuint.MaxValue) == 0
                && parameters.SizeOfOpaqueState > 0
                && parameters.SizeOfOpaqueState <= Environment.SystemPageSize)
            {
                s_vdsoParameters = parameters;
                s_vdsoGetRandom = function;
            }
        }
    }

    /// <summary>Where the bytes come from in this process now.</summary>
    internal static RandomSource Source
        => s_vdsoGetRandom is not null && !s_vdsoRefused ? RandomSource.Vdso
            : s_getRandom is not null && !s_kernelRefused ? RandomSource.SystemCall
            : RandomSource.RandomNumberGenerator;

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
    /// vDSO path off for the process.
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

    /// <summary>
    /// Fills <paramref name="destination"/> through the <c>getrandom(2)</c> system call; false (nothing usable written)
    /// where it is not available, refused, or the request is longer than 256 bytes. A refusal turns this path off for
    /// the process.
    /// </summary>
    internal static bool TryFillFromSystemCall(Span<byte> destination)
    {
        var getRandom = s_getRandom;
        if (getRandom is null || s_kernelRefused || destination.Length > MaxKernelRequest)
        {
            return false;
        }

        fixed (byte* buffer = destination)
        {
            // Flags 0: the kernel's generator, blocking only until it is first initialised.
            if (getRandom(buffer, (nuint)destination.Length, 0) == destination.Length)
            {
                return true;
            }
        }

        // -1 (ENOSYS or EPERM from a seccomp filter, say) or a short read: do not ask again.
        s_kernelRefused = true;
        return false;
    }

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

                // States packed in the page, none crossing its end (the kernel's requirement).
                var size = (int)s_vdsoParameters.SizeOfOpaqueState;
                for (var offset = 0; offset + size <= pageSize; offset += size)
                {
                    s_freeStates.Push((nint)page + offset);
                }
            }

            return new VdsoState(s_freeStates.Pop());
        }
    }

    /// <summary>What the kernel answers about its vDSO state (<c>struct vgetrandom_opaque_params</c>).</summary>
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

    /// <summary>A thread's vDSO state; when the thread ends, the state goes back to the free ones.</summary>
    private sealed class VdsoState(nint address)
    {
        public nint Address { get; } = address;

        ~VdsoState()
        {
            // Only a finished thread's object becomes unreachable: nobody else uses its state any more.
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
    /// <summary>The vDSO's <c>getrandom</c> (Linux 6.11 and later with glibc).</summary>
    Vdso,

    /// <summary>The <c>getrandom(2)</c> system call.</summary>
    SystemCall,

    /// <summary><see cref="System.Security.Cryptography.RandomNumberGenerator"/>.</summary>
    RandomNumberGenerator,
}
