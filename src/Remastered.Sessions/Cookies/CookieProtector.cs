using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// Authenticated encryption of cookie payloads with AES-256-GCM.
/// </summary>
/// <remarks>
/// Token layout (then base64url): <c>version(1) | keyId(4) | nonce(12) | ciphertext | tag(16)</c>.
/// The plaintext is <c>issuedAtMs(8) | expiresAtMs(8) | body</c>, so expiry is authenticated and enforced on read
/// whatever the client did with <c>Max-Age</c>. The associated data is <c>version | keyId | cookie name</c>, which
/// binds a value to its cookie name. Keys come from HKDF-SHA256 once per secret at construction.
/// </remarks>
internal sealed class CookieProtector
{
    public const byte FormatVersion = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize;
    private const int TimestampsSize = 16;
    public const int Overhead = HeaderSize + TagSize + TimestampsSize;

    /// <summary>Longer values are rejected before any decoding work.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(5);
    private static readonly byte[] Salt = "Remastered.Sessions/cookie/v1"u8.ToArray();
    private static readonly byte[] EncryptionInfo = "AES-256-GCM encryption key"u8.ToArray();
    private static readonly byte[] KeyIdInfo = "key identifier"u8.ToArray();

    private readonly Key[] _keys;
    private readonly byte[] _nameBytes;

    public CookieProtector(IList<string> secrets, string cookieName)
    {
        _keys = new Key[secrets.Count];
        for (var i = 0; i < secrets.Count; i++)
        {
            _keys[i] = new Key(Encoding.UTF8.GetBytes(secrets[i]));
        }

        _nameBytes = Encoding.UTF8.GetBytes(cookieName);
    }

    public int KeyCount => _keys.Length;

    public static int GetTokenLength(int bodyLength)
    {
        var bytes = Overhead + bodyLength;
        return (bytes * 4 + 2) / 3;
    }

    public string Protect(ReadOnlySpan<byte> body, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var key = _keys[0];
        var total = Overhead + body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total + TimestampsSize + body.Length);
        try
        {
            var token = rented.AsSpan(0, total);
            var plaintext = rented.AsSpan(total, TimestampsSize + body.Length);
            BinaryPrimitives.WriteInt64BigEndian(plaintext, issuedAt.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteInt64BigEndian(plaintext[8..], expiresAt.ToUnixTimeMilliseconds());
            body.CopyTo(plaintext[TimestampsSize..]);

            token[0] = FormatVersion;
            BinaryPrimitives.WriteUInt32BigEndian(token[1..], key.Id);
            var nonce = token.Slice(1 + KeyIdSize, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            var ciphertext = token.Slice(HeaderSize, plaintext.Length);
            var tag = token.Slice(HeaderSize + plaintext.Length, TagSize);

            Span<byte> aadBuffer = stackalloc byte[256];
            var aad = BuildAssociatedData(token[..(1 + KeyIdSize)], aadBuffer, out var aadRented);
            var aes = key.Rent();
            try
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);
            }
            finally
            {
                key.Return(aes);
                if (aadRented is not null)
                {
                    ArrayPool<byte>.Shared.Return(aadRented);
                }
            }

            return Base64UrlCodec.Encode(token);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Decrypts and checks a token; on success the caller must dispose the payload.</summary>
    public bool TryUnprotect(ReadOnlySpan<char> token, DateTimeOffset now, out UnprotectedPayload payload, out CookieRejectionReason reason)
    {
        payload = default;
        reason = CookieRejectionReason.Malformed;
        if (token.Length > MaxTokenLength || token.Length < GetTokenLength(0) - 1)
        {
            return false;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Base64UrlCodec.GetMaxDecodedLength(token.Length));
        byte[]? plainBuffer = null;
        try
        {
            if (!Base64UrlCodec.TryDecode(token, raw, out var length) || length < Overhead)
            {
                return false;
            }

            var data = raw.AsSpan(0, length);
            if (data[0] != FormatVersion)
            {
                reason = CookieRejectionReason.UnsupportedVersion;
                return false;
            }

            var keyId = BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
            var keyIndex = Array.FindIndex(_keys, k => k.Id == keyId);
            if (keyIndex < 0)
            {
                reason = CookieRejectionReason.UnknownKey;
                return false;
            }

            var key = _keys[keyIndex];
            var nonce = data.Slice(1 + KeyIdSize, NonceSize);
            var ciphertext = data[HeaderSize..^TagSize];
            var tag = data[^TagSize..];
            plainBuffer = ArrayPool<byte>.Shared.Rent(ciphertext.Length);
            var plaintext = plainBuffer.AsSpan(0, ciphertext.Length);

            Span<byte> aadBuffer = stackalloc byte[256];
            var aad = BuildAssociatedData(data[..(1 + KeyIdSize)], aadBuffer, out var aadRented);
            var aes = key.Rent();
            try
            {
                aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
            }
            catch (AuthenticationTagMismatchException)
            {
                reason = CookieRejectionReason.Tampered;
                return false;
            }
            finally
            {
                key.Return(aes);
                if (aadRented is not null)
                {
                    ArrayPool<byte>.Shared.Return(aadRented);
                }
            }

            var issuedAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(plaintext));
            var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(plaintext[8..]));
            if (expiresAt <= now)
            {
                reason = CookieRejectionReason.Expired;
                return false;
            }

            if (issuedAt > now + AllowedClockSkew)
            {
                reason = CookieRejectionReason.IssuedInFuture;
                return false;
            }

            payload = new UnprotectedPayload(plainBuffer, TimestampsSize, plaintext.Length - TimestampsSize, issuedAt, expiresAt, keyIndex);
            plainBuffer = null;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Timestamps outside DateTimeOffset's range can only come from a forged payload that still authenticated,
            // which cannot happen without the key; treat it as malformed rather than fail the request.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
            if (plainBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(plainBuffer, clearArray: true);
            }
        }
    }

    private ReadOnlySpan<byte> BuildAssociatedData(ReadOnlySpan<byte> header, Span<byte> buffer, out byte[]? rented)
    {
        var length = header.Length + _nameBytes.Length;
        rented = null;
        if (length > buffer.Length)
        {
            rented = ArrayPool<byte>.Shared.Rent(length);
            buffer = rented;
        }

        header.CopyTo(buffer);
        _nameBytes.CopyTo(buffer[header.Length..]);
        return buffer[..length];
    }

    private sealed class Key
    {
        private readonly byte[] _material;
        private readonly ConcurrentBag<AesGcm> _pool = new();

        public Key(byte[] secret)
        {
            _material = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, Salt, EncryptionInfo);
            var id = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyIdSize, Salt, KeyIdInfo);
            Id = BinaryPrimitives.ReadUInt32BigEndian(id);
            CryptographicOperations.ZeroMemory(secret);
        }

        public uint Id { get; }

        // AesGcm instances are not safe for concurrent use, and creating one costs a key schedule: keep a small pool.
        public AesGcm Rent() => _pool.TryTake(out var aes) ? aes : new AesGcm(_material, TagSize);

        public void Return(AesGcm aes)
        {
            if (_pool.Count < Environment.ProcessorCount * 4)
            {
                _pool.Add(aes);
            }
            else
            {
                aes.Dispose();
            }
        }
    }
}

/// <summary>A decrypted cookie body in a pooled buffer.</summary>
internal readonly struct UnprotectedPayload(byte[] buffer, int offset, int length, DateTimeOffset issuedAt, DateTimeOffset expiresAt, int keyIndex) : IDisposable
{
    public ReadOnlySpan<byte> Body => buffer.AsSpan(offset, length);

    public DateTimeOffset IssuedAt => issuedAt;

    public DateTimeOffset ExpiresAt => expiresAt;

    /// <summary>0 when the current secret was used; higher for retired secrets.</summary>
    public int KeyIndex => keyIndex;

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
