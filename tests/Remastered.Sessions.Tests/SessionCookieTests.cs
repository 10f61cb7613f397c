using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>
/// <see cref="SessionStore{TValue}.CommittedCookie"/>: the cookie a commit sends, as data that describes the very
/// header <see cref="SessionStore{TValue}.CommitAsync"/> returned, on every library storage.
/// </summary>
public sealed class SessionCookieTests
{
    public static TheoryData<string> Storages => ["json-over-cookie", "json-over-memory"];

    private static ISessionStorage<JsonSessionValue, object?> Create(string kind, CookieSessionOptions options) => kind switch
    {
        "json-over-cookie" => JsonSessionStorage.Over(new CookieSessionStorage(options)),
        _ => JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions { Cookie = options })),
    };

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task The_committed_cookie_describes_the_returned_header(string kind)
    {
        var options = TestSecrets.Cookie("sid");
        options.Path = "/app";
        options.Domain = "example.test";
        options.MaxAge = TimeSpan.FromHours(2);
        options.SameSite = CookieSameSite.Strict;
        var storage = Create(kind, options);
        var store = await SessionStore.LoadAsync(storage, null);
        Assert.Null(store.CommittedCookie);
        store.Set("user", "ada");
        var header = (await store.CommitAsync())!;

        var cookie = Assert.IsType<SessionCookie>(store.CommittedCookie);
        Assert.Same(header, cookie.SetCookieHeader);
        Assert.Equal("sid", cookie.Name);
        Assert.False(cookie.IsDeletion);
        Assert.Equal(header.Split(';')[0], "sid=" + cookie.Value);
        Assert.Matches("^[A-Za-z0-9_-]+$", cookie.Value);
        Assert.Equal(TimeSpan.FromHours(2), cookie.MaxAge);
        Assert.InRange(cookie.Expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal("/app", cookie.Path);
        Assert.Equal("example.test", cookie.Domain);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(CookieSameSite.Strict, cookie.SameSite);
        Assert.Contains("; Max-Age=7200", header);

        // A later commit that sends nothing clears it.
        Assert.Null(await store.CommitAsync());
        Assert.Null(store.CommittedCookie);

        // The value is the cookie: read back, it opens the session.
        var again = await SessionStore.LoadAsync(storage, "sid=" + cookie.Value);
        Assert.Equal("ada", (string?)again.Get("user"));

        // A commit that sends nothing has no cookie.
        Assert.Null(await again.CommitAsync());
        Assert.Null(again.CommittedCookie);

        // Destroying sends a deletion, described as such.
        var deleted = await again.DestroyAsync();
        var deletion = Assert.IsType<SessionCookie>(again.CommittedCookie);
        Assert.Same(deleted, deletion.SetCookieHeader);
        Assert.True(deletion.IsDeletion);
        Assert.Equal("", deletion.Value);
        Assert.Equal(TimeSpan.Zero, deletion.MaxAge);
        Assert.Equal(DateTimeOffset.UnixEpoch, deletion.Expires);
        Assert.Equal("/app", deletion.Path);
    }

    [Fact]
    public async Task A_storage_that_rewrites_the_header_text_gets_no_cookie_data()
    {
        var storage = new RewritingStorage(new CookieSessionStorage(TestSecrets.Cookie()));
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var header = await store.CommitAsync();
        Assert.EndsWith("; Partitioned", header);
        Assert.Null(store.CommittedCookie);
    }

    [Fact]
    public async Task A_wrapper_that_passes_the_header_through_keeps_the_data()
    {
        var storage = new PassThroughStorage(new CookieSessionStorage(TestSecrets.Cookie()));
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("user", "ada");
        var header = await store.CommitAsync();
        Assert.Same(header, store.CommittedCookie!.SetCookieHeader);
    }

    private sealed class RewritingStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
    {
        public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default) => inner.FromHeaderAsync(header, cancellationToken);

        public async ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default)
            => await inner.ToHeaderAsync(session, cancellationToken) + "; Partitioned";
    }

    private sealed class PassThroughStorage(CookieSessionStorage inner) : ISessionStorage<JsonSessionValue>
    {
        public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default) => inner.FromHeaderAsync(header, cancellationToken);

        public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default) => inner.ToHeaderAsync(session, cancellationToken);
    }

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task Committed_is_raised_for_each_commit_that_wrote_with_what_it_sent(string kind)
    {
        var storage = Create(kind, TestSecrets.Cookie("sid"));
        var store = await SessionStore.LoadAsync(storage, null);
        var told = new List<SessionCommit>();
        store.Committed += told.Add;

        // Nothing to write: nothing to tell.
        Assert.Null(await store.CommitAsync());
        Assert.Empty(told);

        store.Set("user", "ada");
        var header = await store.CommitAsync();
        var first = Assert.Single(told);
        Assert.Same(header, first.Header);
        Assert.Same(store.CommittedCookie, first.Cookie);
        Assert.False(first.EndedSession);

        store.Destroy();
        var deletion = await store.CommitAsync();
        Assert.Equal(2, told.Count);
        Assert.Same(deletion, told[1].Header);
        Assert.True(told[1].Cookie!.IsDeletion);
        Assert.True(told[1].EndedSession);

        // Removed, it hears nothing more.
        store.Committed -= told.Add;
        store.Set("user", "grace");
        Assert.NotNull(await store.CommitAsync());
        Assert.Equal(2, told.Count);
    }
}
