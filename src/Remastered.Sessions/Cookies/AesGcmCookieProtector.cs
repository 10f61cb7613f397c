using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Remastered.Sessions.Internal;

namespace Remastered.Sessions.Cookies;

/// <summary>
/// The default protector: AES-256-GCM, keys derived with HKDF-SHA256 from each secret, once per secret and cookie context.
/// </summary>
/// <remarks>
/// <para>
/// Value layout (then base64url): <c>version(1) | keyId(4) | nonce(12) | ciphertext | tag(16)</c>. The first secret
/// encrypts, all decrypt.
/// </para>
/// <para>
/// Version 2 (written) binds a value to its context (cookie name, storage kind, purpose) through the key: each secret's
/// HKDF pseudorandom key is expanded once per context, so a value issued under one context fails authentication under
/// any other, and the version and key id select the key (a changed byte selects another key or none). No associated
/// data is passed, which saves OpenSSL one update call per encryption and per decryption.
/// </para>
/// <para>
/// Version 1 (read only, for cookies issued before version 2) used one key per secret and passed
/// <c>version | keyId | context</c> as associated data. A version 1 value opens and counts as issued under a retired key,
/// so the next commit re-issues it as version 2.
/// </para>
/// </remarks>
internal sealed class AesGcmCookieProtector : SessionCookieProtector
{
    /// <summary>The format written.</summary>
    public const byte FormatVersion = 2;

    /// <summary>The previous format, still read: a key per secret and the context as associated data.</summary>
    public const byte LegacyFormatVersion = 1;
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + KeyIdSize + NonceSize;
    public const int Overhead = HeaderSize + TagSize;

    /// <summary>Longer values are rejected before any decoding work.</summary>
    public const int MaxValueLength = 16 * 1024;

    private static readonly byte[] Salt = "Remastered.Sessions/cookie/v1"u8.ToArray();
    private static readonly byte[] LegacyEncryptionInfo = "AES-256-GCM encryption key"u8.ToArray();
    private static readonly byte[] KeyIdInfo = "key identifier"u8.ToArray();
    private const string ContextKeyInfoPrefix = "AES-256-GCM key for context\u001f";

    private readonly Secret[] _secrets;
    private readonly ConcurrentDictionary<string, ContextKeys> _contexts = new(StringComparer.Ordinal);

    // Every codec uses one context: the last one found saves the dictionary lookup on each cookie.
    private volatile ContextKeys? _lastContext;

    public AesGcmCookieProtector(IList<string> secrets)
    {
        _secrets = new Secret[secrets.Count];
        for (var i = 0; i < secrets.Count; i++)
        {
            _secrets[i] = new Secret(Encoding.UTF8.GetBytes(secrets[i]));
        }
    }

    private int IndexOfKey(uint keyId)
    {
        for (var i = 0; i < _secrets.Length; i++)
        {
            if (_secrets[i].Id == keyId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The version 2 keys of <paramref name="context"/>, one per secret in the secrets' order.</summary>
    private AesKey[] KeysFor(string context)
    {
        var last = _lastContext;
        if (last is not null && (ReferenceEquals(last.Context, context) || string.Equals(last.Context, context, StringComparison.Ordinal)))
        {
            return last.Keys;
        }

        var found = _contexts.GetOrAdd(context, static (c, secrets) =>
        {
            var info = Encoding.UTF8.GetBytes(ContextKeyInfoPrefix + c);
            var keys = new AesKey[secrets.Length];
            for (var i = 0; i < secrets.Length; i++)
            {
                keys[i] = new AesKey(HKDF.Expand(HashAlgorithmName.SHA256, secrets[i].PseudorandomKey, 32, info));
            }

            return new ContextKeys(c, keys);
        }, _secrets);
        _lastContext = found;
        return found.Keys;
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

    /// <summary>
    /// Encrypts into <paramref name="destination"/> (at least <see cref="Overhead"/> + plaintext bytes); returns the length.
    /// <paramref name="plaintext"/> may be exactly where the ciphertext goes (<see cref="PlaintextOffset"/> bytes into
    /// <paramref name="destination"/>): it is then encrypted in place.
    /// </summary>
    public int Seal(string context, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var key = KeysFor(context)[0];
        var total = Overhead + plaintext.Length;
        var token = destination[..total];
        token[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(token[1..], _secrets[0].Id);
        var nonce = token.Slice(1 + KeyIdSize, NonceSize);
        // Drawn from the kernel's generator for each message (SecureRandom): bytes this library kept in memory for later
        // nonces would be handed out again by every copy of a process restored from one snapshot (AWS Lambda SnapStart,
        // CRIU, a cloned VM), and two messages under one key and one nonce give the GCM authentication key away. The
        // vDSO's own per-thread state is wiped on fork and discarded when the kernel reseeds (docs/security.md).
        SecureRandom.Fill(nonce);
        var ciphertext = token.Slice(HeaderSize, plaintext.Length);
        var tag = token.Slice(HeaderSize + plaintext.Length, TagSize);
        var aes = key.Rent();
        try
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }
        finally
        {
            key.Return(aes);
        }

        return total;
    }

    public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
    {
        usedRetiredKey = false;
        if (!TryCheckHead(cookieValue, out reason))
        {
            return false;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Base64UrlCodec.GetMaxDecodedLength(cookieValue.Length));
        try
        {
            if (!Base64UrlCodec.TryDecode(cookieValue, raw, out var length) || length < Overhead)
            {
                return false;
            }

            var output = plaintext.GetSpan(length - Overhead)[..(length - Overhead)];
            if (!TryOpen(cookieName, raw.AsSpan(0, length), output, out usedRetiredKey, out reason))
            {
                return false;
            }

            plaintext.Advance(output.Length);
            return true;
        }
        finally
        {
            // Ciphertext only (what the client sent): nothing secret to clear.
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>
    /// <see cref="TryUnprotect"/> without a buffer of its own: decodes the value into a new array of exactly its size and
    /// decrypts there, so the plaintext is bytes <see cref="PlaintextOffset"/> to <c>Length - </c><see cref="TagSize"/> of
    /// <paramref name="token"/>, which the caller keeps. A refused value leaves no plaintext behind.
    /// </summary>
    public bool TryUnprotectInPlace(string cookieName, ReadOnlySpan<char> cookieValue, [NotNullWhen(true)] out byte[]? token, out bool usedRetiredKey, out CookieRejectionReason reason)
    {
        token = null;
        usedRetiredKey = false;
        if (!TryCheckHead(cookieValue, out reason) || cookieValue.Length % 4 == 1)
        {
            return false;
        }

        // Canonical base64url of n bytes has exactly n * 4 / 3 characters (rounded up): anything else fails the decode.
        var data = new byte[cookieValue.Length * 3 / 4];
        if (!Base64UrlCodec.TryDecode(cookieValue, data, out _) || data.Length < Overhead
            || !TryOpen(cookieName, data, data.AsSpan(HeaderSize, data.Length - Overhead), out usedRetiredKey, out reason))
        {
            return false;
        }

        token = data;
        return true;
    }

    /// <summary>
    /// Where a token carries its ciphertext: the plaintext's offset in the token <see cref="TryUnprotectInPlace"/> gives,
    /// and where <see cref="Seal"/> takes a plaintext to encrypt in place.
    /// </summary>
    public const int PlaintextOffset = HeaderSize;

    /// <summary>
    /// Refuses a value by its size and first six bytes (eight characters: the version and key id) before decoding the
    /// whole of it, so a header full of strangers' cookies costs little.
    /// </summary>
    private bool TryCheckHead(ReadOnlySpan<char> cookieValue, out CookieRejectionReason reason)
    {
        reason = CookieRejectionReason.Malformed;
        if (cookieValue.Length > MaxValueLength || cookieValue.Length < GetValueLength(0) - 1)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[6];
        if (!Base64UrlCodec.TryDecode(cookieValue[..8], head, out _))
        {
            return false;
        }

        if (head[0] is not (FormatVersion or LegacyFormatVersion))
        {
            reason = CookieRejectionReason.UnsupportedVersion;
            return false;
        }

        if (IndexOfKey(BinaryPrimitives.ReadUInt32BigEndian(head[1..])) < 0)
        {
            reason = CookieRejectionReason.UnknownKey;
            return false;
        }

        return true;
    }

    /// <summary>
    /// Authenticates and decrypts a decoded token into <paramref name="output"/> (its ciphertext's length; may be the
    /// ciphertext itself, for a decryption in place). On refusal <paramref name="output"/> is cleared.
    /// </summary>
    private bool TryOpen(string cookieName, Span<byte> data, Span<byte> output, out bool usedRetiredKey, out CookieRejectionReason reason)
    {
        usedRetiredKey = false;
        var version = data[0];
        if (version is not (FormatVersion or LegacyFormatVersion))
        {
            reason = CookieRejectionReason.UnsupportedVersion;
            return false;
        }

        var keyIndex = IndexOfKey(BinaryPrimitives.ReadUInt32BigEndian(data[1..]));
        if (keyIndex < 0)
        {
            reason = CookieRejectionReason.UnknownKey;
            return false;
        }

        var nonce = data.Slice(1 + KeyIdSize, NonceSize);
        var ciphertext = data[HeaderSize..^TagSize];
        var tag = data[^TagSize..];
        var opened = version == FormatVersion
            ? TryDecrypt(KeysFor(cookieName)[keyIndex], nonce, ciphertext, tag, output, associatedData: default)
            : TryDecryptLegacy(_secrets[keyIndex].LegacyKey, data[..(1 + KeyIdSize)], cookieName, nonce, ciphertext, tag, output);
        if (!opened)
        {
            output.Clear();
            reason = CookieRejectionReason.Tampered;
            return false;
        }

        // A legacy value is re-issued in the current format by the next commit, as one under a retired secret is.
        usedRetiredKey = keyIndex > 0 || version == LegacyFormatVersion;
        reason = default;
        return true;
    }

    private static bool TryDecrypt(AesKey key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> output, ReadOnlySpan<byte> associatedData)
    {
        var aes = key.Rent();
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, output, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            key.Return(aes);
        }
    }

    private static bool TryDecryptLegacy(AesKey key, ReadOnlySpan<byte> header, string context, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> output)
    {
        // Version 1's associated data: version | key id | context.
        var length = header.Length + Encoding.UTF8.GetByteCount(context);
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            header.CopyTo(rented);
            Encoding.UTF8.GetBytes(context, rented.AsSpan(header.Length));
            return TryDecrypt(key, nonce, ciphertext, tag, output, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> in the version 1 format, which is only read now: tests use it to show that
    /// cookies issued before version 2 still open.
    /// </summary>
    internal string ProtectLegacy(string context, ReadOnlySpan<byte> plaintext)
    {
        var token = new byte[Overhead + plaintext.Length];
        token[0] = LegacyFormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(token.AsSpan(1), _secrets[0].Id);
        var nonce = token.AsSpan(1 + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var associatedData = new byte[1 + KeyIdSize + Encoding.UTF8.GetByteCount(context)];
        token.AsSpan(0, 1 + KeyIdSize).CopyTo(associatedData);
        Encoding.UTF8.GetBytes(context, associatedData.AsSpan(1 + KeyIdSize));
        var key = _secrets[0].LegacyKey;
        var aes = key.Rent();
        try
        {
            aes.Encrypt(nonce, plaintext, token.AsSpan(HeaderSize, plaintext.Length), token.AsSpan(HeaderSize + plaintext.Length, TagSize), associatedData);
        }
        finally
        {
            key.Return(aes);
        }

        return Base64UrlCodec.Encode(token);
    }

    /// <summary>One secret: its HKDF pseudorandom key (the secret itself is not kept) and its key id.</summary>
    private sealed class Secret
    {
        private AesKey? _legacyKey;

        public Secret(byte[] secret)
        {
            PseudorandomKey = HKDF.Extract(HashAlgorithmName.SHA256, secret, Salt);
            // Expand(Extract(secret)) is DeriveKey(secret): the ids (and version 1 keys) are those of earlier releases.
            Id = BinaryPrimitives.ReadUInt32BigEndian(HKDF.Expand(HashAlgorithmName.SHA256, PseudorandomKey, KeyIdSize, KeyIdInfo));
            CryptographicOperations.ZeroMemory(secret);
        }

        public byte[] PseudorandomKey { get; }

        public uint Id { get; }

        /// <summary>The version 1 key, derived when a version 1 cookie first arrives.</summary>
        public AesKey LegacyKey => _legacyKey ??= new AesKey(HKDF.Expand(HashAlgorithmName.SHA256, PseudorandomKey, 32, LegacyEncryptionInfo));
    }

    private sealed record ContextKeys(string Context, AesKey[] Keys);

    /// <summary>One AES key and a few reusable <see cref="AesGcm"/> instances for it.</summary>
    private sealed class AesKey(byte[] material)
    {
        // AesGcm instances are not safe for concurrent use, and creating one costs a key schedule: a few slots,
        // taken and returned with one interlocked operation each, which is cheaper than a ConcurrentBag.
        private readonly AesGcm?[] _slots = new AesGcm?[Math.Max(4, Environment.ProcessorCount * 2)];

        // One instance per thread for the key it last returned, taken and put back without an interlocked operation:
        // a request decrypts and encrypts with the same key on the same thread. Cleared while in use, so a nested use
        // on the thread takes a slot instead.
        [ThreadStatic]
        private static AesKey? t_key;
        [ThreadStatic]
        private static AesGcm? t_aes;

        public AesGcm Rent()
        {
            if (ReferenceEquals(t_key, this) && t_aes is { } cached)
            {
                t_aes = null;
                return cached;
            }

            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                if (Volatile.Read(ref slots[i]) is not null && Interlocked.Exchange(ref slots[i], null) is { } aes)
                {
                    return aes;
                }
            }

            return new AesGcm(material, TagSize);
        }

        public void Return(AesGcm aes)
        {
            var held = t_aes;
            if (held is null || !ReferenceEquals(t_key, this))
            {
                // This key takes the thread's place: the key last used keeps it. An instance held there for another key
                // goes back to that key's slots (or is disposed when they are full).
                var previousKey = t_key;
                t_key = this;
                t_aes = aes;
                if (held is not null)
                {
                    previousKey!.ReturnToSlots(held);
                }

                return;
            }

            ReturnToSlots(aes);
        }

        private void ReturnToSlots(AesGcm aes)
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
