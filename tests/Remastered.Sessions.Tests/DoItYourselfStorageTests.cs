using System.Collections.Concurrent;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>The design's do-it-yourself path: a storage written against the public API alone.</summary>
public sealed class DoItYourselfStorageTests
{
    /// <summary>Keeps sessions in a dictionary keyed by an id; the id is its header.</summary>
    private sealed class DictionaryStorage : ISessionStorage<string, string>
    {
        public ConcurrentDictionary<string, (Dictionary<string, string> Content, HashSet<string> Flashed)> Records { get; } = new();

        public ValueTask<SessionReadResult<string, string>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
        {
            if (header is not null && Records.TryGetValue(header, out var record))
            {
                return ValueTask.FromResult(new SessionReadResult<string, string>(new StoredSession<string>(new(record.Content), new(record.Flashed)), header));
            }

            return ValueTask.FromResult(new SessionReadResult<string, string>(new StoredSession<string>(), SessionIds.NewId()));
        }

        public ValueTask<string> ToHeaderAsync(StoredSession<string> session, string id, CancellationToken cancellationToken = default)
        {
            Records[id] = (new(session.Content), new(session.FlashedKeys));
            return ValueTask.FromResult(id);
        }

        public ValueTask<string> DestroyAsync(string id, CancellationToken cancellationToken = default)
        {
            Records.TryRemove(id, out _);
            return ValueTask.FromResult(string.Empty);
        }
    }

    [Fact]
    public async Task A_custom_storage_supports_set_flash_and_commit_with_its_header_as_the_id()
    {
        var storage = new DictionaryStorage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        first.Flash("notice", "hi");
        var id = await first.CommitAsync();
        Assert.NotNull(id);
        Assert.True(storage.Records.ContainsKey(id));

        var second = await SessionStore.LoadAsync(storage, id);
        Assert.Equal("hi", second.Get("notice"));
        Assert.Equal(id, await second.CommitAsync());

        var third = await SessionStore.LoadAsync(storage, id);
        Assert.Equal("ada", third.Get("user"));
        Assert.False(third.Has("notice"));
    }

    [Fact]
    public async Task A_custom_storage_wrapped_in_encrypted_cookies_never_exposes_its_id()
    {
        var inner = new DictionaryStorage();
        var storage = SessionStorage.WithEncryptedCookies(inner, TestSecrets.Cookie("diy"));
        var browser = new Browser();

        var first = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        first.Set("user", "ada");
        browser.Receive(await first.CommitAsync());
        var id = Assert.Single(inner.Records.Keys);
        Assert.DoesNotContain(id, browser.CookieHeader);

        var second = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        Assert.Equal("ada", second.Get("user"));

        second.RegenerateId();
        browser.Receive(await second.CommitAsync());
        var newId = Assert.Single(inner.Records.Keys);
        Assert.NotEqual(id, newId);

        var third = await SessionStore.LoadAsync(storage, browser.CookieHeader);
        browser.Receive(await third.DestroyAsync());
        Assert.Empty(inner.Records);
        Assert.Null(browser.CookieHeader);
    }

    [Fact]
    public async Task A_destroy_whose_storage_answers_an_empty_header_commits_to_null()
    {
        // storages.md: an empty header is a storage's way of saying "send nothing"; CommitAsync then returns null.
        var storage = new DictionaryStorage();
        var first = await SessionStore.LoadAsync(storage, null);
        first.Set("user", "ada");
        var id = await first.CommitAsync();
        var second = await SessionStore.LoadAsync(storage, id);
        second.Destroy();
        Assert.Null(await second.CommitAsync());
        Assert.Empty(storage.Records);
        var third = await SessionStore.LoadAsync(storage, id);
        Assert.Null(await third.DestroyAsync());
    }

    [Fact]
    public async Task A_wrapped_storage_that_finds_a_tampered_cookie_gets_a_null_header()
    {
        var inner = new DictionaryStorage();
        var storage = SessionStorage.WithEncryptedCookies(inner, TestSecrets.Cookie("diy"));
        var store = await SessionStore.LoadAsync(storage, "diy=AAAAtampered");
        Assert.Equal(0, store.Count);
        Assert.Null(await store.CommitAsync());
        Assert.Empty(inner.Records);
    }

    /// <summary>A storage without metadata, through the single-parameter interface.</summary>
    private sealed class SingleSlotStorage : ISessionStorage<int>
    {
        public StoredSession<int> Slot { get; private set; } = new();

        public ValueTask<StoredSession<int>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(new StoredSession<int>(new(Slot.Content), new(Slot.FlashedKeys)));

        public ValueTask<string> ToHeaderAsync(StoredSession<int> session, CancellationToken cancellationToken = default)
        {
            Slot = session;
            return ValueTask.FromResult($"count={session.Content.Count}");
        }
    }

    [Fact]
    public async Task A_storage_without_metadata_works_through_the_same_store()
    {
        var storage = new SingleSlotStorage();
        var store = await SessionStore.LoadAsync(storage, null);
        store.Set("a", 1);
        store.Set("b", 2);
        Assert.Equal("count=2", await store.CommitAsync());
        var destroyed = await (await SessionStore.LoadAsync(storage, null)).DestroyAsync();
        Assert.Equal("count=0", destroyed);
    }
}
