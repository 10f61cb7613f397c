namespace Remastered.Sessions.Generator.Tests.Schemas;

public sealed class Address
{
    public string? City { get; set; }

    public List<int> Codes { get; set; } = [];
}

public sealed class Member
{
    public string? Name { get; set; }

    public List<string> Roles { get; set; } = [];

    public Address? Home { get; set; }
}

/// <summary>The same keys on every storage, so one suite checks that typed values behave alike everywhere.</summary>
public interface ITrackedSession
{
    List<CartItem>? Cart { get; set; }

    Member? Profile { get; set; }

    Dictionary<string, int>? Counts { get; set; }

    int[]? Scores { get; set; }

    string? Name { get; set; }

    int Visits { get; set; }

    List<Address>? Addresses { get; set; }

    bool IsDirty { get; }

    ValueTask<string?> CommitAsync(CancellationToken cancellationToken = default);
}

[Session<CookieSessionStorage>]
public partial class CookieTrackedSession : ITrackedSession
{
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial Member? Profile { get; set; }
    [SessionKey] public partial Dictionary<string, int>? Counts { get; set; }
    [SessionKey] public partial int[]? Scores { get; set; }
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial int Visits { get; set; }
    [SessionKey] public partial List<Address>? Addresses { get; set; }
}

[Session<JsonSessionStorage>]
public partial class JsonTrackedSession : ITrackedSession
{
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial Member? Profile { get; set; }
    [SessionKey] public partial Dictionary<string, int>? Counts { get; set; }
    [SessionKey] public partial int[]? Scores { get; set; }
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial int Visits { get; set; }
    [SessionKey] public partial List<Address>? Addresses { get; set; }
}

[Session<MemorySessionStorage>]
public partial class MemoryTrackedSession : ITrackedSession
{
    [SessionKey] public partial List<CartItem>? Cart { get; set; }
    [SessionKey] public partial Member? Profile { get; set; }
    [SessionKey] public partial Dictionary<string, int>? Counts { get; set; }
    [SessionKey] public partial int[]? Scores { get; set; }
    [SessionKey] public partial string? Name { get; set; }
    [SessionKey] public partial int Visits { get; set; }
    [SessionKey] public partial List<Address>? Addresses { get; set; }
}
