using System.Buffers;

namespace Remastered.Sessions.Internal;

/// <summary>Unpadded base64url (RFC 4648, section 5): the cookie-safe alphabet.</summary>
internal static class Base64UrlCodec
{
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static int GetEncodedLength(int byteCount) => (byteCount * 4 + 2) / 3;

    /// <summary>Encodes into <paramref name="destination"/>, which must hold <see cref="GetEncodedLength"/> characters.</summary>
    public static void EncodeInto(ReadOnlySpan<byte> data, Span<char> destination)
    {
#if NET9_0_OR_GREATER
        System.Buffers.Text.Base64Url.EncodeToChars(data, destination);
#else
        Encode(data).AsSpan().CopyTo(destination);
#endif
    }

    public static int GetMaxDecodedLength(int charCount) => (charCount * 3) / 4 + 2;

    public static string Encode(ReadOnlySpan<byte> data)
    {
#if NET9_0_OR_GREATER
        return System.Buffers.Text.Base64Url.EncodeToString(data);
#else
        var standard = Convert.ToBase64String(data);
        var end = standard.Length;
        while (end > 0 && standard[end - 1] == '=')
        {
            end--;
        }

        return string.Create(end, standard, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = c == '+' ? '-' : c == '/' ? '_' : c;
            }
        });
#endif
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

#if NET9_0_OR_GREATER
        // The OperationStatus form reports invalid input (such as non-zero padding bits) instead of throwing.
        var status = System.Buffers.Text.Base64Url.DecodeFromChars(text, destination, out var consumed, out written);
        return status == OperationStatus.Done && consumed == text.Length;
#else
        var padded = (text.Length + 3) & ~3;
        var rented = ArrayPool<char>.Shared.Rent(padded);
        try
        {
            var standard = rented.AsSpan(0, padded);
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                standard[i] = c == '-' ? '+' : c == '_' ? '/' : c;
            }

            standard[text.Length..].Fill('=');
            try
            {
                return Convert.TryFromBase64Chars(standard, destination, out written);
            }
            catch (FormatException)
            {
                return false;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
#endif
    }
}
