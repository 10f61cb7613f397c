using System.Buffers;
using System.Text.Json;

namespace Remastered.Sessions;

/// <summary>
/// The compact JSON form of a whole session, <c>{"c":{key:value,...},"f":["flashed key",...]}</c>: for storages that
/// keep a session as one readable blob (a database row, an <c>IDistributedCache</c> entry). It is plain
/// System.Text.Json; the cookie storage uses a length-prefixed body instead, which it can load without scanning.
/// </summary>
public static class JsonSessionSerializer
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    /// <summary>Serializes the content and flashed keys of <paramref name="session"/>.</summary>
    /// <param name="session">The session.</param>
    public static byte[] Serialize(StoredSession<JsonSessionValue> session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("c"u8);
            foreach (var (key, value) in session.Content)
            {
                writer.WritePropertyName(key);
                writer.WriteRawValue((value ?? JsonSessionValue.Null).Utf8Json.Span, skipInputValidation: true);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("f"u8);
            foreach (var key in session.FlashedKeys)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a session written by <see cref="Serialize"/>. Values reference <paramref name="utf8Json"/>, which must not be reused.</summary>
    /// <param name="utf8Json">The serialized session.</param>
    /// <exception cref="JsonException">The bytes are not a serialized session.</exception>
    public static StoredSession<JsonSessionValue> Deserialize(ReadOnlyMemory<byte> utf8Json)
    {
        var session = new StoredSession<JsonSessionValue>();
        // Values may nest as deep as System.Text.Json writes them (64), inside this envelope's two levels.
        var reader = new Utf8JsonReader(utf8Json.Span, new JsonReaderOptions { MaxDepth = 64 + 2 });
        Read(ref reader);
        Expect(reader, JsonTokenType.StartObject);
        while (Read(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("c"u8))
            {
                Read(ref reader);
                Expect(reader, JsonTokenType.StartObject);
                while (Read(ref reader) == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    Read(ref reader);
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    session.Content[key] = JsonSessionValue.FromTrustedUtf8(utf8Json[start..end]);
                }
            }
            else if (reader.ValueTextEquals("f"u8))
            {
                Read(ref reader);
                Expect(reader, JsonTokenType.StartArray);
                while (Read(ref reader) == JsonTokenType.String)
                {
                    session.FlashedKeys.Add(reader.GetString()!);
                }
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }

        // Only keys that are in the content can be flashes.
        session.FlashedKeys.IntersectWith(session.Content.Keys);
        return session;
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader)
        => reader.Read() ? reader.TokenType : throw new JsonException("The session document ends early.");

    private static void Expect(in Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in the session document, found {reader.TokenType}.");
        }
    }
}
