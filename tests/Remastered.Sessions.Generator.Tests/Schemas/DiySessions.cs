using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Remastered.Sessions.Generator.Tests.Schemas;

/// <summary>The ISessionStorage documentation's example: sessions in a dictionary, handed out and kept as copies.</summary>
public sealed class DictionaryObjectStorage : ISessionStorage<object, string>
{
    private readonly ConcurrentDictionary<string, StoredSession<object>> _sessions = new();

    public int Count => _sessions.Count;

    private static StoredSession<object> Copy(StoredSession<object> s) => new(new(s.Content), new(s.FlashedKeys));

    public ValueTask<SessionReadResult<object, string>> FromHeaderAsync(string? header, CancellationToken ct = default)
        => ValueTask.FromResult(header is not null && _sessions.TryGetValue(header, out var s)
            ? new SessionReadResult<object, string>(Copy(s), header)
            : new SessionReadResult<object, string>(new(), Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));

    public ValueTask<string> ToHeaderAsync(StoredSession<object> session, string id, CancellationToken ct = default)
    {
        _sessions[id] = Copy(session);
        return ValueTask.FromResult(id);
    }

    public ValueTask<string> DestroyAsync(string id, CancellationToken ct = default)
    {
        _sessions.TryRemove(id, out _);
        return ValueTask.FromResult(string.Empty);
    }
}

/// <summary>The same, holding JSON: a schema over it stores JSON-serializable values only.</summary>
public sealed class DictionaryJsonStorage : ISessionStorage<JsonSessionValue, string>
{
    private readonly ConcurrentDictionary<string, StoredSession<JsonSessionValue>> _sessions = new();

    private static StoredSession<JsonSessionValue> Copy(StoredSession<JsonSessionValue> s) => new(new(s.Content), new(s.FlashedKeys));

    public ValueTask<SessionReadResult<JsonSessionValue, string>> FromHeaderAsync(string? header, CancellationToken ct = default)
        => ValueTask.FromResult(header is not null && _sessions.TryGetValue(header, out var s)
            ? new SessionReadResult<JsonSessionValue, string>(Copy(s), header)
            : new SessionReadResult<JsonSessionValue, string>(new(), Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));

    public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, string id, CancellationToken ct = default)
    {
        _sessions[id] = Copy(session);
        return ValueTask.FromResult(id);
    }
}

/// <summary>A schema over the object storage wrapped in encrypted cookies: anything, by reference.</summary>
[Session<EncryptedCookieStorage<object, string>>]
public sealed partial class DiyObjectSession
{
    [SessionKey] public partial System.IO.MemoryStream? Buffer { get; set; }
    [SessionKey] public partial List<string>? Tags { get; set; }
    [Flash] public partial string? Notice { get; set; }
}

/// <summary>A schema over the JSON storage wrapped in encrypted cookies.</summary>
[Session<EncryptedCookieStorage<JsonSessionValue, string>>]
public sealed partial class DiyJsonSession
{
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial int Visits { get; set; }
    [Flash] public partial string? Notice { get; set; }
}
