using System.Text;
using System.Text.Json;

namespace Remastered.Sessions;

/// <summary>When a key's value leaves the session, as far as flash semantics go.</summary>
public enum SessionFlashState
{
    /// <summary>A persistent value: it stays until unset or the session ends.</summary>
    Persistent,

    /// <summary>Flashed (or kept) in this request: the next request that loads the session reads it, and its commit removes it.</summary>
    RemovedByNextRequest,

    /// <summary>Flashed by the previous request: readable now, removed when this request's session is committed.</summary>
    RemovedByThisRequest,
}

/// <summary>One key of a session, as a development tool shows it.</summary>
/// <param name="Key">The stored key.</param>
/// <param name="Json">The value's JSON as stored, or <see langword="null"/> for a value a server-side storage holds as an object.</param>
/// <param name="Size">The size in UTF-8 bytes of <paramref name="Json"/> (what it adds to a cookie before encryption), or <see langword="null"/> for an object value.</param>
/// <param name="Display">A readable rendering: the JSON, or the object's type and <see cref="object.ToString"/>.</param>
/// <param name="Flash">Whether and when the value is removed as a flash.</param>
public sealed record SessionEntryInspection(string Key, string? Json, int? Size, string Display, SessionFlashState Flash);

/// <summary>
/// What a session holds at the moment of the call, for development tools such as the ASP.NET Core session inspector.
/// Taking it changes nothing in the session.
/// </summary>
/// <param name="Entries">The keys, persistent and flashed, in ordinal order.</param>
/// <param name="CreatedAt">When the session was first stored, when the storage knows (cookie-carried sessions do); <see langword="null"/> for a new session.</param>
/// <param name="IdleExpiresAt">When the client's current cookie stops being accepted unless a request renews it; <see langword="null"/> for a new session.</param>
/// <param name="IsDirty">Whether a commit would write (see <see cref="SessionStore{TValue}.IsDirty"/>).</param>
/// <param name="IsDestroyed">Whether the session is to be destroyed at commit.</param>
public sealed record SessionInspection(
    IReadOnlyList<SessionEntryInspection> Entries,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? IdleExpiresAt,
    bool IsDirty,
    bool IsDestroyed)
{
    internal static SessionEntryInspection Describe<TValue>(string key, TValue value, SessionFlashState flash)
    {
        switch (value)
        {
            case JsonSessionValue json:
                var text = json.ToString();
                return new SessionEntryInspection(key, text, json.Utf8Json.Length, text, flash);
            case null:
                return new SessionEntryInspection(key, "null", 4, "null", flash);
            case string or bool or int or long or double or float or decimal or Guid or DateTime or DateTimeOffset:
                // Simple values render as the JSON System.Text.Json writes for them.
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    WriteSimple(writer, value);
                }

                var simple = Encoding.UTF8.GetString(buffer.WrittenSpan);
                return new SessionEntryInspection(key, simple, buffer.WrittenCount, simple, flash);
            default:
                return new SessionEntryInspection(key, null, null, $"{FriendlyName(value.GetType())}: {value}", flash);
        }
    }

    private static void WriteSimple(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case Guid g: writer.WriteStringValue(g); break;
            case DateTime t: writer.WriteStringValue(t); break;
            case DateTimeOffset o: writer.WriteStringValue(o); break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    internal static string FriendlyName(Type type)
    {
        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick < 0 ? name : name[..tick]) + "<" + string.Join(", ", type.GetGenericArguments().Select(FriendlyName)) + ">";
    }
}
