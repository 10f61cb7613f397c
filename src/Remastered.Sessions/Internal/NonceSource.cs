using System.Security.Cryptography;

namespace Remastered.Sessions.Internal;

/// <summary>
/// Fresh random nonces without a system call per message: each thread draws 4 KiB from the operating system's
/// cryptographic generator at a time and hands out consecutive slices. Every nonce is still uniformly random and
/// used once; a system call per nonce would cost more than the rest of a small commit.
/// </summary>
internal static class NonceSource
{
    private const int BlockSize = 4096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_position;

    public static void Fill(Span<byte> nonce)
    {
        var block = t_block;
        if (block is null || t_position + nonce.Length > BlockSize)
        {
            block = t_block ??= new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            t_position = 0;
        }

        var slice = block.AsSpan(t_position, nonce.Length);
        slice.CopyTo(nonce);
        // A handed-out nonce is never handed out again, and nothing of it stays in memory.
        slice.Clear();
        t_position += nonce.Length;
    }
}
