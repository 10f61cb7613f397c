using CsCheck;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Tests;

/// <summary>
/// The cookie decoder accepts exactly the canonical unpadded base64url text of some bytes: no padding, whitespace,
/// standard-alphabet characters or stray bits, so one cookie value has one spelling.
/// </summary>
public sealed class Base64UrlCodecTests
{
    private static readonly char[] Intruders = [' ', '\t', '\r', '\n', '=', '+', '/', '%', '3', 'D', '.', 'A', '_', '-', '\0', 'é', '\u00A0'];

    [Fact]
    public void Encoded_bytes_decode_back()
        => Gen.Byte.Array[0, 64].Sample(bytes =>
        {
            var text = Base64UrlCodec.Encode(bytes);
            Assert.Equal(Base64UrlCodec.GetEncodedLength(bytes.Length), text.Length);
            var decoded = new byte[Base64UrlCodec.GetMaxDecodedLength(text.Length)];
            Assert.True(Base64UrlCodec.TryDecode(text, decoded, out var written));
            Assert.Equal(bytes, decoded[..written]);
        }, iter: 3000);

    [Fact]
    public void Any_edit_of_an_encoding_decodes_only_if_it_is_itself_canonical()
        => Gen.Select(Gen.Byte.Array[0, 48], Gen.Int[0, 2], Gen.Int[0, 1000], Gen.Int[0, Intruders.Length - 1], Gen.Int[1, 3]).Sample((bytes, operation, at, intruder, count) =>
        {
            var text = Base64UrlCodec.Encode(bytes);
            var position = text.Length == 0 ? 0 : at % (text.Length + 1);
            var edited = operation switch
            {
                0 => text.Insert(position, new string(Intruders[intruder], count)),
                1 when text.Length > 0 => text.Remove(Math.Min(position, text.Length - 1), 1).Insert(Math.Min(position, text.Length - 1), Intruders[intruder].ToString()),
                _ when text.Length > 0 => text.Remove(Math.Min(position, text.Length - 1), 1),
                _ => Intruders[intruder].ToString(),
            };
            var decoded = new byte[Base64UrlCodec.GetMaxDecodedLength(edited.Length) + 8];
            if (Base64UrlCodec.TryDecode(edited, decoded, out var written))
            {
                Assert.Equal(edited, Base64UrlCodec.Encode(decoded.AsSpan(0, written)));
            }
        }, iter: 20000);
}
