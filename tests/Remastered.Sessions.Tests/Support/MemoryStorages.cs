using Microsoft.Extensions.Logging;

namespace Remastered.Sessions.Tests.Support;

/// <summary>Memory storages on a test clock, and sessions started in them, for the memory storage's tests.</summary>
internal static class MemoryStorages
{
    public static MemorySessionStorage Create(TimeProvider clock, int maxSessions, TimeSpan idle, TimeSpan lifetime, ILogger<MemorySessionStorage>? logger = null)
        => new(new MemorySessionOptions
        {
            Cookie = new CookieSessionOptions { Name = "sid", Secrets = [TestSecrets.Current] },
            MaxSessions = maxSessions,
            IdleTimeout = idle,
            AbsoluteLifetime = lifetime,
        }, logger, clock);

    /// <summary>A new session holding <paramref name="key"/>, committed; returns its <c>Cookie</c> header value.</summary>
    public static async Task<string> NewSession(MemorySessionStorage storage, string key, object? value)
    {
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set(key, value);
        return (await store.CommitAsync())!.Split(';')[0];
    }
}
