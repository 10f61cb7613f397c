using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// Schemas over storages of one's own (docs/storages.md, "Do it yourself"), wrapped in encrypted cookies: the
/// documented example storage works for typed and untyped use, and a request's changes reach other requests only when
/// committed.
/// </summary>
public sealed class DiyStorageSchemaTests
{
    private static readonly CookieSessionOptions Cookie = new() { Name = "diy", Secrets = ["diy-schema-tests-secret-0123456789abcdefgh"] };

    private static string Header(string setCookie) => setCookie.Split(';')[0];

    [Fact]
    public async Task A_schema_over_a_wrapped_object_storage_holds_anything_and_hides_uncommitted_changes()
    {
        var inner = new DictionaryObjectStorage();
        var storage = SessionStorage.WithEncryptedCookies(inner, Cookie);
        var session = await DiyObjectSession.LoadAsync(storage, null);
        var buffer = new MemoryStream([1, 2, 3]);
        session.Buffer = buffer;
        session.Tags = ["a"];
        session.Notice = "Saved!";
        var cookie = Header((await session.CommitAsync())!);
        Assert.Equal(1, inner.Count);

        var reader = await DiyObjectSession.LoadAsync(storage, cookie);
        var writer = await DiyObjectSession.LoadAsync(storage, cookie);
        Assert.Same(buffer, reader.Buffer);
        Assert.Equal("Saved!", reader.Notice);
        writer.Tags = ["mallory"];
        writer.UnsetBuffer();

        // Not committed: a third request sees what was stored.
        var third = await DiyObjectSession.LoadAsync(storage, cookie);
        Assert.Equal(["a"], third.Tags);
        Assert.Same(buffer, third.Buffer);

        Assert.Null(await reader.CommitAsync()); // consumed the flash: a server-side content change, same id cookie
        var after = await DiyObjectSession.LoadAsync(storage, cookie);
        Assert.False(after.HasNotice);
        Assert.Equal(["a"], after.Tags);
    }

    [Fact]
    public async Task A_schema_over_a_wrapped_JSON_storage_saves_in_place_changes_and_sends_nothing_for_reads()
    {
        var storage = SessionStorage.WithEncryptedCookies(new DictionaryJsonStorage(), Cookie);
        var session = await DiyJsonSession.LoadAsync(storage, null);
        session.Cart = [new CartItem("a", 1)];
        var cookie = Header((await session.CommitAsync())!);

        var request = await DiyJsonSession.LoadAsync(storage, cookie);
        request.Cart!.Add(new CartItem("b", 2));
        request.Visits++;
        await request.CommitAsync();

        var next = await DiyJsonSession.LoadAsync(storage, cookie);
        Assert.Equal([new CartItem("a", 1), new CartItem("b", 2)], next.Cart);
        Assert.Equal(1, next.Visits);
        Assert.False(next.IsDirty);
        Assert.Null(await next.CommitAsync());
    }
}
