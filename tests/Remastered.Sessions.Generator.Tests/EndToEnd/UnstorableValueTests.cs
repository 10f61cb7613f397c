using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

public sealed class UnstorableValueTests
{
    [Fact]
    public async Task Setting_a_value_the_storage_cannot_hold_throws_at_that_line_and_writes_nothing()
    {
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = ["generator-tests-secret-0123456789abcdefgh"] });
        var session = await UnstorableSession.LoadAsync(storage, null);
        session.Name = "kept";
        var error = Assert.Throws<SessionValueNotStorableException>(() => session.Attachment = new Attachment("a.png", new MemoryStream()));
        Assert.Equal("UnstorableSession.Attachment -> Attachment.Content -> System.IO.Stream (a stream) cannot be stored by CookieSessionStorage (JSON only)", error.Message);
        Assert.False(session.HasAttachment);
        Assert.Throws<SessionValueNotStorableException>(() => session.Store.Set("attachment", new Attachment("b", Stream.Null)));

        var cookie = (await session.CommitAsync())!.Split(';')[0];
        var next = await UnstorableSession.LoadAsync(storage, cookie);
        Assert.Equal("kept", next.Name);
        Assert.Null(next.Attachment);
    }

    [Fact]
    public async Task Setting_null_removes_a_value_stored_before_the_type_became_unstorable()
    {
        // An earlier version of the app stored "attachment" when its type was still JSON; now nothing of the type can be
        // stored, but clearing the key must still work.
        var storage = new CookieSessionStorage(new CookieSessionOptions { Secrets = ["generator-tests-secret-0123456789abcdefgh"] });
        var earlier = await SessionStore.LoadAsync(storage, null);
        earlier.Set("attachment", JsonSessionValue.Parse("{\"Name\":\"a.png\"}"));
        var cookie = (await earlier.CommitAsync())!.Split(';')[0];

        var session = await UnstorableSession.LoadAsync(storage, cookie);
        Assert.True(session.Store.Has("attachment"));
        // Has is about the typed value: nothing stored reads as a type that cannot be stored, so it says false, as the
        // getter gives null (the untyped store still sees the stored JSON).
        Assert.False(session.HasAttachment);
        Assert.Null(session.Attachment);
        session.Attachment = null;
        Assert.False(session.Store.Has("attachment"));
        var next = await SessionStore.LoadAsync(storage, (await session.CommitAsync())!.Split(';')[0]);
        Assert.False(next.Has("attachment"));
    }
}
