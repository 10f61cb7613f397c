using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Remastered.Sessions.Benchmarks.Scenarios;

namespace Remastered.Sessions.Benchmarks;

/// <summary>
/// One request's session work, side by side: load from the header, read two keys (the user id and the cart), set one,
/// flash one, commit to a header. The AES-GCM floor is the baseline of the ratios.
/// </summary>
[MemoryDiagnoser]
public class CookieSessionBenchmarks
{
    private const string Secret = "benchmark-secret-0123456789abcdefghijklmnop";
    private CookieSessionStorage _storage = null!;
    private string _cookieHeader = null!;
    private IDataProtector _protector = null!;
    private string _dataProtectionCookie = null!;
    private MemoryDistributedCache _cache = null!;
    private string _isessionKey = null!;
    private AesGcm _aes = null!;
    private string _floorCookie = null!;
    private int _payloadLength;

    [Params(SessionSize.Small, SessionSize.Medium, SessionSize.Large)]
    public SessionSize Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var seed = CookieBenchSession.LoadAsync(_storage, null).AsTask().GetAwaiter().GetResult();
        seed.UserId = 42;
        seed.User = SessionData.User(Size);
        if (Size != SessionSize.Small)
        {
            seed.Cart = SessionData.Cart(Size);
        }

        if (Size == SessionSize.Large)
        {
            seed.History = SessionData.History(Size);
        }

        seed.Visits = 1;
        seed.Notice = "Saved!";
        _cookieHeader = seed.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];

        // What a .NET developer writes today: a dictionary of JSON elements, protected like CookieTempDataProvider.
        _protector = new EphemeralDataProtectionProvider().CreateProtector("Microsoft.AspNetCore.Mvc.ViewFeatures.CookieTempDataProviderToken.v1");
        var dictionary = new Dictionary<string, JsonElement>
        {
            ["user_id"] = JsonSerializer.SerializeToElement(42, BenchJson.Default.Int32),
            ["user"] = JsonSerializer.SerializeToElement(SessionData.User(Size), BenchJson.Default.UserInfo),
            ["visits"] = JsonSerializer.SerializeToElement(1, BenchJson.Default.Int32),
            ["notice"] = JsonSerializer.SerializeToElement("Saved!", BenchJson.Default.String),
        };
        if (Size != SessionSize.Small)
        {
            dictionary["cart"] = JsonSerializer.SerializeToElement(SessionData.Cart(Size), BenchJson.Default.ListCartItem);
        }

        if (Size == SessionSize.Large)
        {
            dictionary["history"] = JsonSerializer.SerializeToElement(SessionData.History(Size), BenchJson.Default.ListString);
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(dictionary, BenchJson.Default.DictionaryStringJsonElement);
        _payloadLength = json.Length;
        _dataProtectionCookie = WebEncoders.Base64UrlEncode(_protector.Protect(json));

        // ASP.NET Core session: DistributedSession over MemoryDistributedCache, JSON through Get/Set helpers.
        _cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        _isessionKey = Guid.NewGuid().ToString();
        AspNetCoreSessionScenario.Seed(_cache, _isessionKey, dictionary.Select(e => KeyValuePair.Create(e.Key, JsonSerializer.SerializeToUtf8Bytes(e.Value, BenchJson.Default.JsonElement))));

        // The floor: decrypt and encrypt the same number of bytes, base64url both ways, no JSON.
        _aes = new AesGcm(RandomNumberGenerator.GetBytes(32), 16);
        var floor = new byte[12 + 16 + _payloadLength];
        RandomNumberGenerator.Fill(floor.AsSpan(0, 12));
        _aes.Encrypt(floor.AsSpan(0, 12), json, floor.AsSpan(28), floor.AsSpan(12, 16));
        _floorCookie = WebEncoders.Base64UrlEncode(floor);
        Console.WriteLine($"// {Size}: JSON payload {_payloadLength} B, our Set-Cookie value {_cookieHeader.Length} chars");
    }

    [GlobalCleanup]
    public void Cleanup() => _aes.Dispose();

    [Benchmark(Baseline = true, Description = "AES-GCM floor (no JSON)")]
    public string Floor()
    {
        var bytes = WebEncoders.Base64UrlDecode(_floorCookie);
        var plaintext = ArrayPool<byte>.Shared.Rent(bytes.Length - 28);
        _aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plaintext.AsSpan(0, bytes.Length - 28));
        var output = new byte[bytes.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        _aes.Encrypt(output.AsSpan(0, 12), plaintext.AsSpan(0, bytes.Length - 28), output.AsSpan(28), output.AsSpan(12, 16));
        ArrayPool<byte>.Shared.Return(plaintext);
        return "session=" + WebEncoders.Base64UrlEncode(output) + "; path=/; samesite=lax; httponly";
    }

    /// <summary>
    /// The floor with its nonce drawn as the library draws nonces (on Linux the kernel's generator through the vDSO, see
    /// <c>SecureRandom</c>) instead of <see cref="RandomNumberGenerator"/> (OpenSSL's <c>RAND_bytes</c>): shows how
    /// much of the difference to the floor is the nonce, and how much the session's own work.
    /// </summary>
    [Benchmark(Description = "AES-GCM floor, library's nonce source")]
    public string FloorLibraryNonce()
    {
        var bytes = WebEncoders.Base64UrlDecode(_floorCookie);
        var plaintext = ArrayPool<byte>.Shared.Rent(bytes.Length - 28);
        _aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plaintext.AsSpan(0, bytes.Length - 28));
        var output = new byte[bytes.Length];
        Remastered.Sessions.Internal.SecureRandom.Fill(output.AsSpan(0, 12));
        _aes.Encrypt(output.AsSpan(0, 12), plaintext.AsSpan(0, bytes.Length - 28), output.AsSpan(28), output.AsSpan(12, 16));
        ArrayPool<byte>.Shared.Return(plaintext);
        return "session=" + WebEncoders.Base64UrlEncode(output) + "; path=/; samesite=lax; httponly";
    }

    [Benchmark(Description = "Remastered generated schema")]
    public async ValueTask<string?> GeneratedSchema()
    {
        var session = await CookieBenchSession.LoadAsync(_storage, _cookieHeader);
        var userId = session.UserId;
        var cart = session.Cart;
        session.Visits = (userId ?? 0) + (cart?.Count ?? 0) + SessionData.NextVisit();
        session.Notice = "Saved!";
        return await session.CommitAsync();
    }

    [Benchmark(Description = "Remastered untyped Store")]
    public async ValueTask<string?> UntypedStore()
    {
        var store = await SessionStore.LoadAsync(_storage, _cookieHeader);
        var userId = store.Get("user_id", BenchJson.Default.Int32);
        var cart = store.Get("cart", BenchJson.Default.ListCartItem);
        store.Set("visits", userId + (cart?.Count ?? 0) + SessionData.NextVisit());
        store.Flash("notice", "Saved!");
        return await store.CommitAsync();
    }

    [Benchmark(Description = "Data Protection + Dictionary<string, JsonElement>")]
    public string DataProtectionDictionary()
    {
        var json = _protector.Unprotect(WebEncoders.Base64UrlDecode(_dataProtectionCookie));
        var values = JsonSerializer.Deserialize(json, BenchJson.Default.DictionaryStringJsonElement)!;
        var userId = values["user_id"].GetInt32();
        var cart = values.TryGetValue("cart", out var c) ? c.Deserialize(BenchJson.Default.ListCartItem) : null;
        values["visits"] = JsonSerializer.SerializeToElement(userId + (cart?.Count ?? 0) + SessionData.NextVisit(), BenchJson.Default.Int32);
        values["notice"] = JsonSerializer.SerializeToElement("Saved!", BenchJson.Default.String);
        var protectedBytes = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(values, BenchJson.Default.DictionaryStringJsonElement));
        return ".AspNetCore.Mvc.CookieTempDataProvider=" + WebEncoders.Base64UrlEncode(protectedBytes) + "; path=/; samesite=lax; httponly";
    }

    [Benchmark(Description = "ASP.NET Core ISession (memory cache)")]
    public Task<int> AspNetCoreSession() => AspNetCoreSessionScenario.RequestAsync(_cache, _isessionKey);
}
