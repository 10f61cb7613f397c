using CsCheck;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>Whatever arrives in the Cookie header, reading never throws and never yields data it should not.</summary>
public sealed class CookieTamperingPropertyTests
{
    private static readonly CookieSessionStorage Storage = new(TestSecrets.Cookie());
    private static readonly string ValidValue = CreateValid();

    private static string CreateValid()
    {
        var store = SessionStore.LoadAsync(Storage, null).AsTask().GetAwaiter().GetResult();
        store.Set("user", "ada");
        store.Set("role", "admin");
        return store.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0]["session=".Length..];
    }

    private static int Load(string? header)
        => SessionStore.LoadAsync(Storage, header).AsTask().GetAwaiter().GetResult().Count;

    [Fact]
    public void Random_strings_as_the_whole_header_give_a_fresh_session()
        => Gen.String.Sample(header => Assert.Equal(0, Load(header)), iter: 3000);

    [Fact]
    public void Random_strings_as_the_cookie_value_give_a_fresh_session()
        => Gen.String.Sample(value => Assert.Equal(0, Load("session=" + value)), iter: 3000);

    [Fact]
    public void Random_base64url_values_of_plausible_length_give_a_fresh_session()
        => Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].Array[0, 400]
            .Sample(chars => Assert.Equal(0, Load("session=" + new string(chars))), iter: 3000);

    [Fact]
    public void Changing_any_single_character_of_a_valid_cookie_gives_a_fresh_session()
        => Gen.Select(Gen.Int[0, ValidValue.Length - 1], Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"])
            .Where(t => ValidValue[t.Item1] != t.Item2)
            .Sample(t =>
            {
                var (position, replacement) = t;
                var mutated = string.Concat(ValidValue.AsSpan(0, position), new string(replacement, 1), ValidValue.AsSpan(position + 1));
                // The last character carries only 2 significant bits (the rest are padding bits the decoder ignores),
                // so some replacements there decode to the same bytes: the cookie is then genuinely unchanged.
                var count = Load("session=" + mutated);
                Assert.True(count == 0 || SameBytes(mutated, ValidValue), $"mutation at {position} to '{replacement}' was accepted");
            }, iter: 3000);

    [Fact]
    public void Truncating_a_valid_cookie_anywhere_gives_a_fresh_session()
        => Gen.Int[0, ValidValue.Length - 1].Sample(length => Assert.Equal(0, Load("session=" + ValidValue[..length])), iter: 2000);

    [Fact]
    public void Flipping_bytes_of_the_decoded_cookie_gives_a_fresh_session()
    {
        var raw = FromBase64Url(ValidValue);
        Gen.Select(Gen.Int[0, raw.Length - 1], Gen.Byte[1, 255]).Sample(t =>
        {
            var copy = (byte[])raw.Clone();
            copy[t.Item1] ^= t.Item2;
            Assert.Equal(0, Load("session=" + ToBase64Url(copy)));
        }, iter: 3000);
    }

    [Fact]
    public void Garbage_around_a_valid_cookie_does_not_hide_it()
        => Gen.String.Where(s => !s.Contains(';') && !s.Contains("session", StringComparison.Ordinal)).Sample(noise =>
            Assert.Equal(2, Load($"{noise}; session={ValidValue}; x={noise}")), iter: 1000);

    private static bool SameBytes(string a, string b) => FromBase64Url(a).AsSpan().SequenceEqual(FromBase64Url(b));

    private static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight((s.Length + 3) / 4 * 4, '='));
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
