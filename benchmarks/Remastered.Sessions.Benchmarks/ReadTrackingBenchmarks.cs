using Remastered.Sessions.Schemas.Support;
using System.Reflection;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Remastered.Sessions.Benchmarks.Scenarios;

namespace Remastered.Sessions.Benchmarks;

/// <summary>A cart item with setters: it can change in place, so its list is compared by serializing at commit.</summary>
public sealed class EditableCartItem
{
    public string Sku { get; set; } = "";

    public string Title { get; set; } = "";

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }
}

[Session<CookieSessionStorage>]
public partial class ReadTrackingSession
{
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial List<EditableCartItem>? EditableCart { get; set; }
}

/// <summary>
/// A request that reads a large cart (20 items) and changes nothing: the cost of keeping read values for the request.
/// The baseline reads the same JSON once through the untyped store (nothing kept, nothing compared); the generated
/// schema keeps the list so that in-place changes would be saved, and at commit finds it unchanged: by the list's
/// modification counter for immutable items, by serializing and comparing for items with setters.
/// </summary>
[MemoryDiagnoser]
public class ReadTrackingBenchmarks
{
    private const string Secret = "benchmark-secret-0123456789abcdefghijklmnop";
    private CookieSessionStorage _storage = null!;
    private string _cookie = null!;
    private string _editableCookie = null!;
    private CompactJsonReadFunc<List<CartItem>> _compactRead = null!;
    private JsonReadFunc<List<CartItem>> _read = null!;

    [GlobalSetup]
    public void Setup()
    {
        _storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = [Secret] });
        var seed = ReadTrackingSession.LoadAsync(_storage, null).AsTask().GetAwaiter().GetResult();
        seed.Cart = SessionData.Cart(SessionSize.Large);
        _cookie = seed.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];

        // Both carts would not fit one cookie: the editable one lives in a session of its own.
        var editable = ReadTrackingSession.LoadAsync(_storage, null).AsTask().GetAwaiter().GetResult();
        editable.EditableCart = [.. SessionData.Cart(SessionSize.Large).Select(i => new EditableCartItem { Sku = i.Sku, Title = i.Title, Quantity = i.Quantity, UnitPrice = i.UnitPrice })];
        _editableCookie = editable.CommitAsync().AsTask().GetAwaiter().GetResult()!.Split(';')[0];

        // The generated schema's own (private) readers, to read exactly as it does but keep nothing.
        var helpers = typeof(ReadTrackingSession).GetNestedType("__SessionJson", BindingFlags.NonPublic)!.GetMethods(BindingFlags.Public | BindingFlags.Static);
        _compactRead = helpers.Single(m => Regex.IsMatch(m.Name, "^TryReadCompact_ListOfCartItem_[0-9]+$")).CreateDelegate<CompactJsonReadFunc<List<CartItem>>>();
        _read = helpers.Single(m => Regex.IsMatch(m.Name, "^Read_ListOfCartItem_[0-9]+$")).CreateDelegate<JsonReadFunc<List<CartItem>>>();
    }

    [Benchmark(Baseline = true, Description = "generated reader, untracked")]
    public async ValueTask<int> UntrackedGeneratedReader()
    {
        var store = await SessionStore.LoadAsync(_storage, _cookie);
        store.TryGet("cart", out var raw);
        raw!.TryRead(_compactRead, _read, out var cart);
        var total = cart!.Sum(i => i.Quantity);
        return total + ((await store.CommitAsync()) is null ? 0 : 1);
    }

    [Benchmark(Description = "System.Text.Json reader, untracked (untyped store)")]
    public async ValueTask<int> Untracked()
    {
        var store = await SessionStore.LoadAsync(_storage, _cookie);
        var cart = store.Get("cart", BenchJson.Default.ListCartItem);
        var total = cart!.Sum(i => i.Quantity);
        return total + ((await store.CommitAsync()) is null ? 0 : 1);
    }

    [Benchmark(Description = "generated: list of records (counter check)")]
    public async ValueTask<int> TrackedRecords()
    {
        var session = await ReadTrackingSession.LoadAsync(_storage, _cookie);
        var total = session.Cart!.Sum(i => i.Quantity);
        return total + ((await session.CommitAsync()) is null ? 0 : 1);
    }

    [Benchmark(Description = "generated: list of classes with setters (JSON compare)")]
    public async ValueTask<int> TrackedEditable()
    {
        var session = await ReadTrackingSession.LoadAsync(_storage, _editableCookie);
        var total = session.EditableCart!.Sum(i => i.Quantity);
        return total + ((await session.CommitAsync()) is null ? 0 : 1);
    }
}
