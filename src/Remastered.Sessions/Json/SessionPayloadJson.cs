using System.Buffers;
using System.Text.Json;

namespace Remastered.Sessions.Json;

/// <summary>
/// The compact JSON form of a whole session: <c>{"c":{key:value,...},"f":["flashed key",...]}</c>.
/// </summary>
internal static class SessionPayloadJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static void Write(StoredSession<JsonSessionValue> session, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        Write(session, writer);
    }

    public static void Write(StoredSession<JsonSessionValue> session, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("c"u8);
        foreach (var (key, value) in session.Content)
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue((value ?? JsonSessionValue.Null).Utf8Json.Span, skipInputValidation: true);
        }

        writer.WriteEndObject();
        if (session.FlashedKeys.Count > 0)
        {
            writer.WriteStartArray("f"u8);
            foreach (var key in session.FlashedKeys)
            {
                writer.WriteStringValue(key);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Reads a session; values become slices of <paramref name="json"/>, which must not be reused.</summary>
    /// <exception cref="JsonException">The payload is not a session document.</exception>
    public static StoredSession<JsonSessionValue> Read(ReadOnlyMemory<byte> json)
    {
        var session = new StoredSession<JsonSessionValue>();
        var reader = new Utf8JsonReader(json.Span, ReaderOptions);
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("c"u8))
            {
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    session.Content[key] = JsonSessionValue.FromTrustedUtf8(json[start..end]);
                }
            }
            else if (reader.ValueTextEquals("f"u8))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    session.FlashedKeys.Add(reader.GetString()!);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // A flashed key without content would be meaningless; keep the two consistent.
        session.FlashedKeys.IntersectWith(session.Content.Keys);
        return session;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in the session payload.");
        }
    }
}
