using System.Text;
using System.Text.Json.Nodes;
using System.Buffers.Binary;
using CsCheck;
using Microsoft.Extensions.Logging;
using Remastered.Sessions.Cookies;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>The length-prefixed body inside the cookie's encryption.</summary>
public sealed class CookiePayloadTests
{
    private static readonly Gen<JsonSessionValue> Value = Gen.OneOf(
        Gen.Int.Select(i => (JsonSessionValue)i),
        Gen.String.Select(s => (JsonSessionValue)s),
        Gen.Bool.Select(b => (JsonSessionValue)b),
        Gen.Const(JsonSessionValue.Null),
        Gen.String[0, 300].List[0, 4].Select(items => (JsonSessionValue)new JsonArray([.. items.Select(i => (JsonNode?)i)])));

    private static byte[] Write(StoredSession<JsonSessionValue> session)
    {
        var body = new byte[CookiePayload.GetLength(session)];
        Assert.Equal(body.Length, CookiePayload.Write(session, body));
        return body;
    }

    [Fact]
    public void Any_session_round_trips_with_its_flashes()
        => Gen.Select(Gen.String[0, 200], Value).List[0, 10].Select(Gen.Bool.List[10, 10]).Sample((entries, flashes) =>
        {
            var session = StoredSessions.Build(entries, flashes);

            var back = CookiePayload.Read(Write(session));
            StoredSessions.AssertSame(session, back);
        }, iter: 2000);

    [Fact]
    public void Every_truncation_or_extension_of_a_body_is_a_FormatException()
    {
        var session = new StoredSession<JsonSessionValue>();
        session.Content["user"] = "ada";
        session.Content["cart"] = JsonSessionValue.Parse("[1,2,3]"u8);
        session.FlashedKeys.Add("user");
        var body = Write(session);
        for (var length = 1; length < body.Length; length++)
        {
            Assert.Throws<FormatException>(() => CookiePayload.Read(body.AsMemory(0, length)));
        }

        Assert.Throws<FormatException>(() => CookiePayload.Read(body.Concat(new byte[] { 0 }).ToArray()));
    }

    [Fact]
    public void Arbitrary_bytes_after_the_marker_are_a_FormatException_or_a_session_never_another_exception()
        => Gen.Byte.Array[0, 40].Sample(bytes =>
        {
            try
            {
                _ = CookiePayload.Read(new[] { CookiePayload.Marker }.Concat(bytes).ToArray());
            }
            catch (FormatException)
            {
            }
        }, iter: 5000);

    [Fact]
    public void A_body_without_the_marker_is_not_a_session()
    {
        // One format: a JSON document (the envelope of unreleased builds) or any other body is a parse failure.
        Assert.Throws<FormatException>(() => CookiePayload.Read(Encoding.UTF8.GetBytes("""{"c":{"user":"ada","n":1},"f":["n"]}""")));
        Assert.Throws<FormatException>(() => CookiePayload.Read(Array.Empty<byte>()));
        Assert.Throws<FormatException>(() => CookiePayload.Read(new byte[] { 0x01, 0x00 }));
    }

    [Fact]
    public void Loaded_keys_reuse_one_string_per_key_across_requests()
    {
        var session = new StoredSession<JsonSessionValue>();
        session.Content["user_id"] = 42;
        var body = Write(session);
        var first = CookiePayload.Read(body).Content.Keys.Single();
        var second = CookiePayload.Read(body.ToArray()).Content.Keys.Single();
        Assert.Equal("user_id", first);
        Assert.Same(first, second);
    }

    [Fact]
    public void A_key_that_is_not_valid_UTF16_fails_the_write_instead_of_changing()
    {
        var session = new StoredSession<JsonSessionValue>();
        session.Content["bad\ud800"] = 1;
        Assert.ThrowsAny<ArgumentException>(() => Write(session));
    }

    [Fact]
    public async Task A_cookie_that_decrypts_to_a_malformed_body_starts_a_fresh_session_and_is_logged()
    {
        var logger = new ListLogger<CookieSessionStorage>();
        var storage = new CookieSessionStorage(TestSecrets.Cookie(), logger);
        var plaintext = new byte[24 + 4];
        var now = DateTimeOffset.UtcNow;
        BinaryPrimitives.WriteInt64BigEndian(plaintext, now.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(plaintext.AsSpan(8), now.AddHours(1).ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(plaintext.AsSpan(16), now.ToUnixTimeMilliseconds());
        new byte[] { CookiePayload.Marker, 3, 0, 9 }.CopyTo(plaintext, 24);
        var value = new AesGcmCookieProtector([TestSecrets.Current]).Protect("session\u001fsession-body", plaintext); // name and storage kind, as the cookie storage binds them

        var store = await SessionStore.LoadAsync(storage, "session=" + value);

        Assert.Equal(0, store.Count);
        var entry = Assert.Single(logger.Entries, e => e.EventId.Id == 1003);
        Assert.Equal(LogLevel.Warning, entry.Level);
    }
}
