using Remastered.Sessions.Generator.Tests.Schemas;

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

public sealed class MemorySchemaTests
{
    private readonly MemorySessionStorage _storage = new(new MemorySessionOptions
    {
        Cookie = new CookieSessionOptions { Name = "sid", Secrets = ["generator-tests-secret-0123456789abcdefgh"] },
    });

    [Fact]
    public async Task A_value_stored_as_a_normal_key_by_an_earlier_release_under_a_key_now_declared_Flash_is_shown_once()
    {
        var earlier = await MemorySession.LoadAsync(_storage, null);
        earlier.Store.Set("notice", "Saved by the earlier release");
        earlier.UserId = 7;
        var cookie = (await earlier.CommitAsync())!.Split(';')[0];

        var first = await MemorySession.LoadAsync(_storage, cookie);
        Assert.Equal("Saved by the earlier release", first.Notice);
        await first.CommitAsync();

        var second = await MemorySession.LoadAsync(_storage, cookie);
        Assert.Null(second.Notice);
        Assert.Equal(7, second.UserId);
    }

    [Fact]
    public async Task A_memory_schema_holds_a_stream_and_gets_the_very_same_instance_back()
    {
        var stream = new MemoryStream([1, 2, 3]);
        var first = await MemorySession.LoadAsync(_storage, null);
        first.Upload = stream;
        first.UserId = 3;
        first.Notice = "uploaded";
        var cookie = (await first.CommitAsync())!.Split(';')[0];

        var second = await MemorySession.LoadAsync(_storage, cookie);
        Assert.Same(stream, second.Upload);
        Assert.Equal(3, second.UserId);
        Assert.Equal("uploaded", second.Notice);
        Assert.Same(stream, ((MemorySession.Value.MemoryStream)second.Store.Get("upload")!).Item);
        await second.CommitAsync();

        var third = await MemorySession.LoadAsync(_storage, cookie);
        Assert.Null(third.Notice);
        Assert.Same(stream, third.Upload);
    }

    [Fact]
    public async Task RegenerateId_moves_the_session_to_a_new_id()
    {
        var first = await MemorySession.LoadAsync(_storage, null);
        first.UserId = 1;
        var before = (await first.CommitAsync())!.Split(';')[0];

        var second = await MemorySession.LoadAsync(_storage, before);
        second.RegenerateId();
        var after = (await second.CommitAsync())!.Split(';')[0];

        Assert.Null((await MemorySession.LoadAsync(_storage, before)).UserId);
        Assert.Equal(1, (await MemorySession.LoadAsync(_storage, after)).UserId);
    }
}
