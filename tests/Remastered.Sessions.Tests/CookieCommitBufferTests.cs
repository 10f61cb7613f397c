using System.Buffers;
using System.Text;
using Remastered.Sessions.Cookies;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>
/// A commit builds the session's plaintext in a buffer of the shared <see cref="ArrayPool{T}"/>: what goes back to the
/// pool must hold no plaintext, whether the commit encrypted in place (the built-in protector), handed the plaintext to
/// a custom protector, or refused an oversized session.
/// </summary>
public sealed class CookieCommitBufferTests
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("plaintext-marker-7f3a");

    [Fact]
    public async Task The_built_in_protector_leaves_only_ciphertext_in_the_pool()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("secret", "plaintext-marker-7f3a " + new string('q', 300));
        Assert.NotNull(await store.CommitAsync());
        AssertPoolHoldsNoMarker();
    }

    [Fact]
    public async Task A_custom_protector_leaves_no_plaintext_in_the_pool()
    {
        var options = TestSecrets.Cookie().UseProtector(new HexProtector());
        var storage = new CookieSessionStorage(options);
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("secret", "plaintext-marker-7f3a " + new string('q', 300));
        var header = await store.CommitAsync();
        Assert.Contains(Convert.ToHexString(Marker), header, StringComparison.Ordinal);
        AssertPoolHoldsNoMarker();
    }

    [Fact]
    public async Task A_refused_oversized_session_leaves_no_plaintext_in_the_pool()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("secret", "plaintext-marker-7f3a " + new string('q', 5000));
        await Assert.ThrowsAsync<SessionTooLargeException>(async () => await store.CommitAsync());
        AssertPoolHoldsNoMarker();
    }

    [Fact]
    public async Task The_encrypted_cookie_wrapper_leaves_only_ciphertext_in_the_pool()
    {
        // The wrapper encrypts what the inner storage's header says (here the marker itself): the other Write overload.
        var storage = new EncryptedCookieStorage<JsonSessionValue, NoMetadata>(new HeaderIsTheSecret(), TestSecrets.Cookie());
        var read = await storage.FromHeaderAsync(null);
        read.Session.Content["n"] = 1;
        Assert.NotEmpty(await storage.ToHeaderAsync(read.Session, read.Metadata));
        AssertPoolHoldsNoMarker();
    }

    /// <summary>
    /// The commit ran synchronously on this thread, so its buffer went back to this thread's slot (or this core's
    /// share) of its size's bucket: rents of every bucket size get it back.
    /// </summary>
    private static void AssertPoolHoldsNoMarker()
    {
        for (var size = 16; size <= 16 * 1024; size *= 2)
        {
            var rented = new List<byte[]>();
            try
            {
                for (var i = 0; i < 40; i++)
                {
                    var array = ArrayPool<byte>.Shared.Rent(size);
                    rented.Add(array);
                    Assert.True(array.AsSpan().IndexOf(Marker) < 0, $"A pooled array of {array.Length} bytes still holds the session's plaintext.");
                }
            }
            finally
            {
                rented.Reverse();
                foreach (var array in rented)
                {
                    ArrayPool<byte>.Shared.Return(array);
                }
            }
        }
    }

    /// <summary>An inner storage whose header is a secret the cookie must carry encrypted.</summary>
    private sealed class HeaderIsTheSecret : ISessionStorage<JsonSessionValue>
    {
        public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new StoredSession<JsonSessionValue>());

        public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
            => ValueTask.FromResult("plaintext-marker-7f3a " + new string('q', 300));
    }

    /// <summary>Not encryption: hex of the plaintext, enough to see which buffer the storage hands over.</summary>
    private sealed class HexProtector : SessionCookieProtector
    {
        public override string Protect(string cookieName, ReadOnlySpan<byte> plaintext) => Convert.ToHexString(plaintext);

        public override bool TryUnprotect(string cookieName, ReadOnlySpan<char> cookieValue, IBufferWriter<byte> plaintext, out bool usedRetiredKey, out CookieRejectionReason reason)
        {
            usedRetiredKey = false;
            reason = CookieRejectionReason.Tampered;
            try
            {
                plaintext.Write(Convert.FromHexString(cookieValue));
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }
}
