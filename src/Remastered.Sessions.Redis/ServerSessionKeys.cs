using System.Security.Cryptography;
using System.Text;

namespace Remastered.Sessions.Redis;

/// <summary>How server-side keys are derived from session ids.</summary>
internal static class ServerSessionKeys
{
    /// <summary>
    /// The storage key of a session id: a one-way hash, so a dump of the store does not hand out live session cookies
    /// (the cookie carries the id; the store only knows its SHA-256).
    /// </summary>
    public static string For(string prefix, string sessionId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(sessionId), hash);
        return prefix + Convert.ToHexString(hash).ToLowerInvariant();
    }
}
