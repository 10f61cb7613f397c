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
}
