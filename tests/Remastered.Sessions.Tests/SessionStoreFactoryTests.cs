using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

public sealed class SessionStoreFactoryTests
{
    private sealed class FakeRequest(Dictionary<string, string> headers)
    {
        public Dictionary<string, string> Headers { get; } = headers;

        public int Reads { get; set; }
    }

    private static string? Header(FakeRequest request, string name)
    {
        request.Reads++;
        return request.Headers.GetValueOrDefault(name);
    }

    [Fact]
    public async Task Asking_twice_for_the_same_request_yields_the_same_store()
    {
        var factory = SessionStore.CreateFactory(new CookieSessionStorage(TestSecrets.Cookie()));
        var request = new FakeRequest([]);
        var first = await factory.GetAsync(request, Header);
        var second = await factory.GetAsync(request, Header);
        Assert.Same(first, second);
        Assert.Equal(1, request.Reads);
        Assert.NotSame(first, await factory.GetAsync(new FakeRequest([]), Header));
    }

    [Fact]
    public async Task The_header_name_is_configurable()
    {
        var storage = new CookieSessionStorage(TestSecrets.Cookie());
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "api-client");
        var token = (await store.CommitAsync())!.Split(';')[0];

        var factory = SessionStore.CreateFactory(storage, headerName: "X-Session");
        Assert.Equal("X-Session", factory.HeaderName);
        var fromCustom = await factory.GetAsync(new FakeRequest(new() { ["X-Session"] = token, ["Cookie"] = "" }), Header);
        Assert.Equal("api-client", (string?)fromCustom.Get("user"));

        var cookieFactory = SessionStore.CreateFactory(storage);
        var fromCookie = await cookieFactory.GetAsync(new FakeRequest(new() { ["X-Session"] = token }), Header);
        Assert.Equal(0, fromCookie.Count);
    }
}
