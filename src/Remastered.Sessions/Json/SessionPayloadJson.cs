using System.Buffers;
using System.Text;
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

    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[]"u8);
    private static readonly SearchValues<byte> StringEnd = SearchValues.Create("\"\\"u8);
    private static readonly SearchValues<byte> ScalarEnd = SearchValues.Create(",}] \t\r\n"u8);

    /// <summary>Reads a session; values become slices of <paramref name="json"/>, which must not be reused.</summary>
    /// <remarks>
    /// The payload was authenticated and written by <see cref="Write(StoredSession{JsonSessionValue}, Utf8JsonWriter)"/>
    /// (compact, values already valid JSON), so value boundaries are found by a byte scan instead of tokenizing every
    /// value (measured: most of the load cost of a 1 KB session). Anything unexpected falls back to the full reader.
    /// </remarks>
    /// <exception cref="JsonException">The payload is not a session document.</exception>
    public static StoredSession<JsonSessionValue> Read(ReadOnlyMemory<byte> json)
    {
        try
        {
            if (TryReadCompact(json, out var session))
            {
                return session;
            }
        }
        catch (Exception exception) when (exception is IndexOutOfRangeException or ArgumentOutOfRangeException or DecoderFallbackException or InvalidOperationException)
        {
            // Not the compact shape after all: the full reader below decides.
        }

        return ReadWithReader(json);
    }

    private static bool TryReadCompact(ReadOnlyMemory<byte> memory, out StoredSession<JsonSessionValue> session)
    {
        session = new StoredSession<JsonSessionValue>();
        var json = memory.Span;
        if (!json.StartsWith("{\"c\":{"u8))
        {
            return false;
        }

        var i = 6;
        if (json[i] == (byte)'}')
        {
            i++;
        }
        else
        {
            while (true)
            {
                if (json[i] != (byte)'"')
                {
                    return false;
                }

                var keyEnd = SkipString(json, i);
                var key = DecodeString(json[i..keyEnd]);
                if (json[keyEnd] != (byte)':')
                {
                    return false;
                }

                var valueStart = keyEnd + 1;
                var valueEnd = SkipValue(json, valueStart);
                session.Content[key] = JsonSessionValue.FromTrustedUtf8(memory[valueStart..valueEnd]);
                i = valueEnd;
                if (json[i] == (byte)',')
                {
                    i++;
                    continue;
                }

                if (json[i] != (byte)'}')
                {
                    return false;
                }

                i++;
                break;
            }
        }

        if (json[i] == (byte)',')
        {
            if (!json[i..].StartsWith(",\"f\":["u8))
            {
                return false;
            }

            i += 6;
            while (json[i] == (byte)'"')
            {
                var end = SkipString(json, i);
                session.FlashedKeys.Add(DecodeString(json[i..end]));
                i = end;
                if (json[i] == (byte)',')
                {
                    i++;
                }
            }

            if (json[i] != (byte)']')
            {
                return false;
            }

            i++;
        }

        if (json[i] != (byte)'}' || i != json.Length - 1)
        {
            return false;
        }

        session.FlashedKeys.IntersectWith(session.Content.Keys);
        return true;
    }

    /// <summary>The index just after the JSON string starting at <paramref name="start"/> (its opening quote).</summary>
    private static int SkipString(ReadOnlySpan<byte> json, int start)
    {
        var i = start + 1;
        while (true)
        {
            var next = json[i..].IndexOfAny(StringEnd);
            if (next < 0)
            {
                throw new JsonException("Unterminated string in the session payload.");
            }

            i += next;
            if (json[i] == (byte)'\\')
            {
                i += 2;
                continue;
            }

            return i + 1;
        }
    }

    /// <summary>The index just after the JSON value starting at <paramref name="start"/>.</summary>
    private static int SkipValue(ReadOnlySpan<byte> json, int start)
    {
        var c = json[start];
        if (c == (byte)'"')
        {
            return SkipString(json, start);
        }

        if (c is (byte)'{' or (byte)'[')
        {
            var depth = 0;
            var i = start;
            while (true)
            {
                var next = json[i..].IndexOfAny(Structural);
                if (next < 0)
                {
                    throw new JsonException("Unbalanced value in the session payload.");
                }

                i += next;
                switch (json[i])
                {
                    case (byte)'"':
                        i = SkipString(json, i);
                        continue;
                    case (byte)'{' or (byte)'[':
                        depth++;
                        break;
                    default:
                        depth--;
                        break;
                }

                i++;
                if (depth == 0)
                {
                    return i;
                }
            }
        }

        var end = json[start..].IndexOfAny(ScalarEnd);
        if (end <= 0)
        {
            throw new JsonException("Unterminated value in the session payload.");
        }

        return start + end;
    }

    /// <summary>A JSON string token (with its quotes) as text; escapes are decoded by the full reader.</summary>
    private static string DecodeString(ReadOnlySpan<byte> quoted)
    {
        var content = quoted[1..^1];
        if (content.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(content);
        }

        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.GetString()!;
    }

    private static StoredSession<JsonSessionValue> ReadWithReader(ReadOnlyMemory<byte> json)
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
