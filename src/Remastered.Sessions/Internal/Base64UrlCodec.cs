using System.Buffers;

namespace Remastered.Sessions.Internal;

/// <summary>Unpadded base64url (RFC 4648, section 5): the cookie-safe alphabet, strictly decoded.</summary>
internal static class Base64UrlCodec
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static int GetEncodedLength(int byteCount) => (byteCount * 4 + 2) / 3;

    /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> characters.</summary>
    public static void EncodeInto(ReadOnlySpan<byte> data, Span<char> destination)
    {
        System.Buffers.Text.Base64Url.EncodeToChars(data, destination);
    }

    public static int GetMaxDecodedLength(int charCount) => (charCount * 3) / 4 + 2;

    public static string Encode(ReadOnlySpan<byte> data)
    {
        return System.Buffers.Text.Base64Url.EncodeToString(data);
    }

    /// <summary>Decodes strictly: only the base64url alphabet, no padding, no whitespace.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length % 4 == 1)
        {
            return false;
        }

        if (text.IndexOfAnyExcept(Alphabet) >= 0)
        {
            return false;
        }

        // The OperationStatus form reports invalid input (such as non-zero padding bits) instead of throwing.
        var status = System.Buffers.Text.Base64Url.DecodeFromChars(text, destination, out var consumed, out written);
        return status == OperationStatus.Done && consumed == text.Length;
    }
}
