using System.Text.Json;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging.Abstractions;

namespace Remastered.Sessions.Benchmarks.Scenarios;

/// <summary>The ASP.NET Core <c>ISession</c> contender: <see cref="DistributedSession"/> with JSON get/set helpers.</summary>
public static class AspNetCoreSessionScenario
{
    public static DistributedSession NewSession(IDistributedCache cache, string sessionKey)
        => new(cache, sessionKey, TimeSpan.FromMinutes(20), TimeSpan.FromMinutes(1), static () => true, NullLoggerFactory.Instance, isNewSessionKey: false);

    /// <summary>Stores the scenario's keys, each as JSON bytes.</summary>
    public static void Seed(IDistributedCache cache, string sessionKey, IEnumerable<KeyValuePair<string, byte[]>> values)
    {
        var session = NewSession(cache, sessionKey);
        session.LoadAsync().GetAwaiter().GetResult();
        foreach (var (key, value) in values)
        {
            session.Set(key, value);
        }

        session.CommitAsync().GetAwaiter().GetResult();
    }

    /// <summary>One request: load, read the user id and the cart, set one key, "flash" one (a plain set: ISession has no flash), commit.</summary>
    public static async Task<int> RequestAsync(IDistributedCache cache, string sessionKey)
    {
        var session = NewSession(cache, sessionKey);
        await session.LoadAsync();
        var userId = session.TryGetValue("user_id", out var idBytes) ? JsonSerializer.Deserialize(idBytes, BenchJson.Default.Int32) : 0;
        var cart = session.TryGetValue("cart", out var cartBytes) ? JsonSerializer.Deserialize(cartBytes, BenchJson.Default.ListCartItem) : null;
        session.Set("visits", JsonSerializer.SerializeToUtf8Bytes(userId + (cart?.Count ?? 0), BenchJson.Default.Int32));
        session.Set("notice", JsonSerializer.SerializeToUtf8Bytes("Saved!", BenchJson.Default.String));
        await session.CommitAsync();
        return userId;
    }
}
