using Remastered.Sessions.Internal;

namespace Remastered.Sessions;

/// <summary>Session id generation for server-side storages.</summary>
public static class SessionIds
{
    /// <summary>The number of random bytes in an id (256 bits).</summary>
    public const int ByteLength = 32;

    /// <summary>A new id: 256 bits from the operating system's cryptographic random generator, base64url (43 characters).</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[ByteLength];
        SecureRandom.Fill(bytes);
        return Base64UrlCodec.Encode(bytes);
    }

    /// <summary>Whether <paramref name="id"/> has the shape of an id from <see cref="NewId"/>.</summary>
    /// <param name="id">The candidate id.</param>
    public static bool IsWellFormed(ReadOnlySpan<char> id)
    {
        Span<byte> bytes = stackalloc byte[ByteLength + 2];
        return id.Length == 43 && Base64UrlCodec.TryDecode(id, bytes, out var written) && written == ByteLength;
    }
}
