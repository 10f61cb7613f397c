using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Remastered.Sessions.AspNetCore;

/// <summary>
/// Protects session cookies with ASP.NET Core Data Protection: the application's key ring (its storage, encryption
/// at rest and rotation) replaces explicit secrets. Each cookie name gets its own purpose, so a value cannot be
/// replayed under another name.
/// </summary>
public sealed class DataProtectionCookieProtector : SessionCookieProtector
{
    private const string Purpose = "Remastered.Sessions.Cookie";
    private readonly IDataProtectionProvider _provider;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IDataProtector> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates the protector over the application's Data Protection provider.</summary>
    /// <param name="provider">The provider (from dependency injection).</param>
    public DataProtectionCookieProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
    }

    /// <inheritdoc />
    public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext)
        => Convert.ToBase64String(For(cookieName).Protect(plaintext.ToArray())).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc />
    public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
    {
        usedRetiredKey = false;
        reason = CookieRejectionReason.Malformed;
        byte[] bytes;
        try
        {
            var text = cookieValue.ToString().Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(text.PadRight((text.Length + 3) / 4 * 4, '='));
        }
        catch (FormatException)
        {
            return false;
        }

        try
        {
            var protector = For(cookieName);
            byte[] opened;
            if (protector is IPersistedDataProtector persisted)
            {
                opened = persisted.DangerousUnprotect(bytes, ignoreRevocationErrors: false, out var requiresMigration, out var wasRevoked);
                if (wasRevoked)
                {
                    reason = CookieRejectionReason.UnknownKey;
                    return false;
                }

                // A value under a key that is no longer the default one is re-issued under the current key.
                usedRetiredKey = requiresMigration;
            }
            else
            {
                opened = protector.Unprotect(bytes);
            }

            plaintext.Write(opened);
            CryptographicOperations.ZeroMemory(opened);
            return true;
        }
        catch (CryptographicException)
        {
            reason = CookieRejectionReason.Tampered;
            return false;
        }
    }

    private IDataProtector For(string cookieName)
        => _byName.GetOrAdd(cookieName, name => _provider.CreateProtector(Purpose, name));
}
