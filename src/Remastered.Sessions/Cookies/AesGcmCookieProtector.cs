using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// The default protector: AES-256-GCM with one key per secret, derived once with HKDF-SHA256.
/// </summary>
/// <remarks>
/// Value layout (then base64url): <c>version(1) | keyId(4) | nonce(12) | ciphertext | tag(16)</c>. The associated data is
/// <c>version | keyId | cookie name</c>, which binds a value to its cookie name. The first secret encrypts, all decrypt.
/// </remarks>
internal sealed class AesGcmCookieProtector : SessionCookieProtector
{
    public const byte FormatVersion = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize;
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Longer values are rejected before any decoding work.</summary>
    public const int MaxValueLength = 16 * 1024;

    private static readonly byte[] Salt = "Remastered.Sessions/cookie/v1"u8.ToArray();
    private static readonly byte[] EncryptionInfo = "AES-256-GCM encryption key"u8.ToArray();
    private static readonly byte[] KeyIdInfo = "key identifier"u8.ToArray();

    private readonly Key[] _keys;

    public AesGcmCookieProtector(IList<string> secrets)
    {
        _keys = new Key[secrets.Count];
        for (var i = 0; i < secrets.Count; i++)
        {
            _keys[i] = new Key(Encoding.UTF8.GetBytes(secrets[i]));
        }
    }

    private bool HasKey(uint keyId)
    {
        foreach (var key in _keys)
        {
            if (key.Id == keyId)
            {
                return true;
            }
        }

        return false;
    }

    public static int GetValueLength(int plaintextLength) => ((Overhead + plaintextLength) * 4 + 2) / 3;

    public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext)
    {
        var total = Overhead + plaintext.Length;
        var rented = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            Seal(cookieName, plaintext, rented);
            return Base64UrlCodec.Encode(rented.AsSpan(0, total));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }
    }

    /// <summary>Encrypts into <paramref name="destination"/> (at least <see cref="Overhead"/> + plaintext bytes); returns the length.</summary>
    public int Seal(string cookieName, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var key = _keys[0];
        var total = Overhead + plaintext.Length;
        {
            var token = destination[..total];
            token[0] = FormatVersion;
            BinaryPrimitives.WriteUInt32BigEndian(token[1..], key.Id);
            var nonce = token.Slice(1 + KeyIdSize, NonceSize);
            NonceSource.Fill(nonce);
            var ciphertext = token.Slice(HeaderSize, plaintext.Length);
            var tag = token.Slice(HeaderSize + plaintext.Length, TagSize);

            Span<byte> aadBuffer = stackalloc byte[256];
            var aad = BuildAssociatedData(token[..(1 + KeyIdSize)], cookieName, aadBuffer, out var aadRented);
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

            return total;
        }
    }

    public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
    {
        usedRetiredKey = false;
        reason = CookieRejectionReason.Malformed;
        if (cookieValue.Length > MaxValueLength || cookieValue.Length < GetValueLength(0) - 1)
        {
            return false;
        }

        // The version and key id are in the first six bytes (eight characters): refuse a stranger's cookie before
        // decoding the whole value, so a header full of them costs little.
        Span<byte> head = stackalloc byte[6];
        if (!Base64UrlCodec.TryDecode(cookieValue[..8], head, out _))
        {
            return false;
        }

        if (head[0] != FormatVersion)
        {
            reason = CookieRejectionReason.UnsupportedVersion;
            return false;
        }

        if (!HasKey(BinaryPrimitives.ReadUInt32BigEndian(head[1..])))
        {
            reason = CookieRejectionReason.UnknownKey;
            return false;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Base64UrlCodec.GetMaxDecodedLength(cookieValue.Length));
        try
        {
            if (!Base64UrlCodec.TryDecode(cookieValue, raw, out var length) || length < Overhead)
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
            var keyIndex = -1;
            for (var i = 0; i < _keys.Length; i++)
            {
                if (_keys[i].Id == keyId)
                {
                    keyIndex = i;
                    break;
                }
            }

            if (keyIndex < 0)
            {
                reason = CookieRejectionReason.UnknownKey;
                return false;
            }

            var key = _keys[keyIndex];
            var nonce = data.Slice(1 + KeyIdSize, NonceSize);
            var ciphertext = data[HeaderSize..^TagSize];
            var tag = data[^TagSize..];
            var output = plaintext.GetSpan(ciphertext.Length)[..ciphertext.Length];

            Span<byte> aadBuffer = stackalloc byte[256];
            var aad = BuildAssociatedData(data[..(1 + KeyIdSize)], cookieName, aadBuffer, out var aadRented);
            var aes = key.Rent();
            try
            {
                aes.Decrypt(nonce, ciphertext, tag, output, aad);
            }
            catch (AuthenticationTagMismatchException)
            {
                output.Clear();
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

            plaintext.Advance(ciphertext.Length);
            usedRetiredKey = keyIndex > 0;
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw, clearArray: true);
        }
    }

    private static ReadOnlySpan<byte> BuildAssociatedData(ReadOnlySpan<byte> header, string cookieName, Span<byte> buffer, out byte[]? rented)
    {
        var length = header.Length + Encoding.UTF8.GetByteCount(cookieName);
        rented = null;
        if (length > buffer.Length)
        {
            rented = ArrayPool<byte>.Shared.Rent(length);
            buffer = rented;
        }

        header.CopyTo(buffer);
        Encoding.UTF8.GetBytes(cookieName, buffer[header.Length..]);
        return buffer[..length];
    }

    private sealed class Key
    {
        private readonly byte[] _material;
        // AesGcm instances are not safe for concurrent use, and creating one costs a key schedule: a few slots,
        // taken and returned with one interlocked operation each, which is cheaper than a ConcurrentBag.
        private readonly AesGcm?[] _slots = new AesGcm?[Math.Max(4, Environment.ProcessorCount * 2)];

        public Key(byte[] secret)
        {
            _material = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, Salt, EncryptionInfo);
            var id = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyIdSize, Salt, KeyIdInfo);
            Id = BinaryPrimitives.ReadUInt32BigEndian(id);
            CryptographicOperations.ZeroMemory(secret);
        }

        public uint Id { get; }

        public AesGcm Rent()
        {
            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } aes)
                {
                    return aes;
                }
            }

            return new AesGcm(_material, TagSize);
        }

        public void Return(AesGcm aes)
        {
            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                if (Interlocked.CompareExchange(ref slots[i], aes, null) is null)
                {
                    return;
                }
            }

            aes.Dispose();
        }


    }
}
