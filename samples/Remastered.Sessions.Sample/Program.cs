// A runnable walk through three requests of one visitor, on the default cookie storage.
// The development secret is generated on first run and kept in a local file that git ignores.
using System.Security.Cryptography;
using Remastered.Sessions;

var secretFile = Path.Combine(AppContext.BaseDirectory, ".dev-secret");
if (!File.Exists(secretFile))
{
    File.WriteAllText(secretFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
}

var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [File.ReadAllText(secretFile)] });
string? cookie = null; // what the browser would send back

async Task Request(string title, Action<SessionStore<JsonSessionValue>> handle)
{
    var store = await SessionStore.LoadAsync(storage, cookie);
    handle(store);
    var setCookie = await store.CommitAsync();
    Console.WriteLine($"{title,-28} -> {(setCookie is null ? "no Set-Cookie" : $"Set-Cookie ({setCookie.Length} bytes)")}");
    if (setCookie is not null)
    {
        cookie = setCookie.Split(';')[0];
    }
}

await Request("POST /login (name=ada)", s =>
{
    s.Set("name", "ada");
    s.Flash("flash", "Welcome, ada!");
});
await Request("GET / (shows the flash)", s => Console.WriteLine($"  signed in as {(string?)s.Get("name")}, flash: {(string?)s.Get("flash")}"));
await Request("GET / (flash is gone)", s => Console.WriteLine($"  signed in as {(string?)s.Get("name")}, flash: {(string?)s.Get("flash") ?? "(none)"}"));
await Request("GET / (nothing changed)", s => Console.WriteLine($"  signed in as {(string?)s.Get("name")}"));
