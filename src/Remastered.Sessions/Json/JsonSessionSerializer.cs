using System.Buffers;
using System.Text.Json;
using Remastered.Sessions.Json;

namespace Remastered.Sessions;

/// <summary>
/// The compact JSON form of a whole session, <c>{"c":{key:value,...},"f":["flashed key",...]}</c>: for storages that
/// keep a session as one readable blob (a database row, an <c>IDistributedCache</c> entry). The cookie storage uses a
/// length-prefixed body instead, which it can load without scanning.
/// </summary>
public static class JsonSessionSerializer
{
    /// <summary>Serializes the content and flashed keys of <paramref name="session"/>.</summary>
    /// <param name="session">The session.</param>
    public static byte[] Serialize(StoredSession<JsonSessionValue> session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var buffer = new ArrayBufferWriter<byte>(256);
        SessionPayloadJson.Write(session, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a session written by <see cref="Serialize"/>. Values reference <paramref name="utf8Json"/>, which must not be reused.</summary>
    /// <param name="utf8Json">The serialized session.</param>
    /// <exception cref="JsonException">The bytes are not a serialized session.</exception>
    public static StoredSession<JsonSessionValue> Deserialize(ReadOnlyMemory<byte> utf8Json) => SessionPayloadJson.Read(utf8Json);
}
