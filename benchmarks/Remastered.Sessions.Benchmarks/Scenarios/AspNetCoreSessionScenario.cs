using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
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

    /// <summary>The session cookie as <c>SessionMiddleware</c> writes it: the key, Data Protection, base64 without padding.</summary>
    public static string ProtectCookie(IDataProtector protector, string sessionKey)
        => Convert.ToBase64String(protector.Protect(Encoding.UTF8.GetBytes(sessionKey))).TrimEnd('=');

    /// <summary>
    /// One request as <c>SessionMiddleware</c> serves it: unprotect the session cookie (every request that has one),
    /// then <see cref="RequestAsync"/>. The cookie is only written for new sessions, so a commit adds no protection.
    /// </summary>
    public static Task<int> RequestWithCookieAsync(IDistributedCache cache, IDataProtector protector, string cookie)
    {
        var padded = cookie.PadRight(cookie.Length + ((4 - (cookie.Length % 4)) % 4), '=');
        var sessionKey = Encoding.UTF8.GetString(protector.Unprotect(Convert.FromBase64String(padded)));
        return RequestAsync(cache, sessionKey);
    }

    /// <summary>One request: load, read the user id and the cart, set one key, "flash" one (a plain set: ISession has no flash), commit.</summary>
    public static async Task<int> RequestAsync(IDistributedCache cache, string sessionKey)
    {
        var session = NewSession(cache, sessionKey);
        await session.LoadAsync();
        var userId = session.TryGetValue("user_id", out var idBytes) ? JsonSerializer.Deserialize(idBytes, BenchJson.Default.Int32) : 0;
        var cart = session.TryGetValue("cart", out var cartBytes) ? JsonSerializer.Deserialize(cartBytes, BenchJson.Default.ListCartItem) : null;
        session.Set("visits", JsonSerializer.SerializeToUtf8Bytes(userId + (cart?.Count ?? 0) + SessionData.NextVisit(), BenchJson.Default.Int32));
        session.Set("notice", JsonSerializer.SerializeToUtf8Bytes("Saved!", BenchJson.Default.String));
        await session.CommitAsync();
        return userId;
    }
}
