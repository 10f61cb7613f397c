using System.Text;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// The body of a cookie session, inside the encryption: length-prefixed entries, so that loading a session finds every
/// value without scanning its JSON.
/// </summary>
/// <remarks>
/// <para>
/// Layout: <c>marker(1) | count | entry*</c>, where an entry is <c>flags(1) | keyLength | key (UTF-8) | valueLength | value
/// (UTF-8 JSON)</c>, lengths and the count are unsigned LEB128 varints, and flag bit 0 marks a flashed key. The marker is
/// <c>0x02</c>, the one format there is; a body without it is not a session. The distributed-cache storage keeps the
/// same body.
/// </para>
/// </remarks>
internal static class CookiePayload
{
    public const byte Marker = 0x02;
    private const byte FlashFlag = 0x01;

    // Keys are written strictly: a key that is not valid UTF-16 fails the commit instead of changing silently.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The exact number of bytes <see cref="Write"/> produces for <paramref name="session"/>.</summary>
    public static int GetLength(StoredSession<JsonSessionValue> session)
    {
        var content = session.Content;
        var length = 1 + VarIntLength(content.Count);
        foreach (var (key, value) in content)
        {
            var keyLength = KeyByteCount(key);
            var valueLength = (value ?? JsonSessionValue.Null).Utf8Json.Length;
            length += 1 + VarIntLength(keyLength) + keyLength + VarIntLength(valueLength) + valueLength;
        }

        return length;
    }

    /// <summary>Writes <paramref name="session"/> into <paramref name="destination"/>, which holds <see cref="GetLength"/> bytes.</summary>
    /// <returns>The number of bytes written.</returns>
    public static int Write(StoredSession<JsonSessionValue> session, Span<byte> destination)
    {
        var content = session.Content;
        var flashed = session.FlashedKeys;
        destination[0] = Marker;
        var position = 1 + WriteVarInt(destination[1..], content.Count);
        foreach (var (key, value) in content)
        {
            destination[position++] = flashed.Count > 0 && flashed.Contains(key) ? FlashFlag : (byte)0;
            var keyLength = KeyByteCount(key);
            position += WriteVarInt(destination[position..], keyLength);
            position += WriteKey(key, destination[position..]);
            var json = (value ?? JsonSessionValue.Null).Utf8Json.Span;
            position += WriteVarInt(destination[position..], json.Length);
            json.CopyTo(destination[position..]);
            position += json.Length;
        }

        return position;
    }

    /// <summary>Reads a session; its values are slices of <paramref name="body"/>, which must not be reused.</summary>
    /// <exception cref="FormatException">The body is not a session payload (only possible with a valid key, so a bug or a stolen secret).</exception>
    public static StoredSession<JsonSessionValue> Read(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        if (span.IsEmpty || span[0] != Marker)
        {
            throw Malformed();
        }

        var position = 1;
        var count = ReadVarInt(span, ref position);
        if (count > span.Length)
        {
            throw Malformed();
        }

        var session = new StoredSession<JsonSessionValue>(count);
        for (var i = 0; i < count; i++)
        {
            if (position >= span.Length)
            {
                throw Malformed();
            }

            var flags = span[position++];
            var keyLength = ReadVarInt(span, ref position);
            if (keyLength > span.Length - position)
            {
                throw Malformed();
            }

            var key = SessionKeyCache.GetString(span.Slice(position, keyLength));
            position += keyLength;
            var valueLength = ReadVarInt(span, ref position);
            if (valueLength == 0 || valueLength > span.Length - position)
            {
                throw Malformed();
            }

            session.Content[key] = JsonSessionValue.FromTrustedUtf8(body.Slice(position, valueLength));
            position += valueLength;
            if ((flags & FlashFlag) != 0)
            {
                session.FlashedKeys.Add(key);
            }
        }

        if (position != span.Length)
        {
            throw Malformed();
        }

        return session;
    }

    // Keys are nearly always ASCII, whose UTF-8 is one byte per character: checked and copied without the encoder.
    private static int KeyByteCount(string key) => Ascii.IsValid(key) ? key.Length : StrictUtf8.GetByteCount(key);

    private static int WriteKey(string key, Span<byte> destination)
        => Ascii.FromUtf16(key, destination, out var written) == System.Buffers.OperationStatus.Done ? written : StrictUtf8.GetBytes(key, destination);

    private static int VarIntLength(int value)
    {
        var length = 1;
        for (var rest = (uint)value >> 7; rest != 0; rest >>= 7)
        {
            length++;
        }

        return length;
    }

    private static int WriteVarInt(Span<byte> destination, int value)
    {
        var rest = (uint)value;
        var written = 0;
        while (rest >= 0x80)
        {
            destination[written++] = (byte)(rest | 0x80);
            rest >>= 7;
        }

        destination[written++] = (byte)rest;
        return written;
    }

    private static int ReadVarInt(ReadOnlySpan<byte> source, ref int position)
    {
        var result = 0;
        for (var shift = 0; shift < 28; shift += 7)
        {
            if (position >= source.Length)
            {
                throw Malformed();
            }

            var b = source[position++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed();
    }

    private static FormatException Malformed() => new("The session cookie's payload is malformed.");
}
