using System.Buffers;

namespace Remastered.Sessions.Internal;

/// <summary>Unpadded base64url (RFC 4648, section 5): the cookie-safe alphabet, strictly decoded.</summary>
internal static class Base64UrlCodec
{
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

        // One pass, no separate alphabet check: the OperationStatus form reports invalid input (characters outside the
        // base64url alphabet, '+' and '/' included, and non-zero padding bits) instead of throwing. It skips whitespace
        // and accepts padding, which leave fewer bytes than the text's length promises: the length check refuses them
        // (Base64UrlCodecTests edits encodings at random to show that only canonical text decodes).
        var status = System.Buffers.Text.Base64Url.DecodeFromChars(text, destination, out var consumed, out written);
        return status == OperationStatus.Done && consumed == text.Length && written == text.Length * 3 / 4;
    }
}
