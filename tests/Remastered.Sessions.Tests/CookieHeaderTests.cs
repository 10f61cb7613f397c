using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class CookieHeaderTests
{
    [Theory]
    [InlineData("session=abc", "abc")]
    [InlineData("a=1; session=abc; b=2", "abc")]
    [InlineData("a=1;session=abc;b=2", "abc")]
    [InlineData("  session  =  abc  ", "abc")]
    [InlineData("session=\"abc\"", "abc")]
    [InlineData("flag; session=abc", "abc")]
    [InlineData("session=a=b", "a=b")]
    [InlineData("xsession=no; session=abc", "abc")]
    public void Finds_the_named_cookie_whatever_the_spacing_quoting_and_neighbours(string header, string expected)
        => Assert.Equal([expected], CookieHeader.GetValues(header, "session"));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(";;;")]
    [InlineData("other=1")]
    [InlineData("Session=abc")]
    [InlineData("session")]
    public void Yields_nothing_when_the_cookie_is_absent(string? header)
        => Assert.Empty(CookieHeader.GetValues(header, "session"));

    [Fact]
    public void Yields_every_value_of_a_duplicated_name_in_order()
        => Assert.Equal(["one", "two"], CookieHeader.GetValues("session=one; x=y; session=two", "session"));

    [Fact]
    public async Task With_duplicate_names_the_first_cookie_that_decrypts_wins()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var valid = (await store.CommitAsync())!.Split(';')[0];

        var loaded = await SessionStore.LoadAsync(storage, $"session=garbage; theme=dark; {valid}");
        Assert.Equal("ada", (string?)loaded.Get("user"));
    }

    [Fact]
    public async Task An_oversized_cookie_header_is_a_fresh_session()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, "session=" + new string('A', 100_000));
        Assert.Equal(0, store.Count);
    }
}
