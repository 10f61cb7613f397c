using System.Text.Json.Serialization;

namespace Remastered.Sessions.Generator.Tests.Schemas;

/// <summary>An id made on construction and never read back (a getter-only property outside any constructor).</summary>
public sealed class Draft
{
    public Guid Id { get; } = Guid.NewGuid();

    public string? Title { get; set; }
}

/// <summary>A counter whose setter is private: System.Text.Json writes it and does not read it back.</summary>
public sealed class Tally
{
    public int Total { get; private set; }

    public string? Label { get; set; }

    public void Add(int amount) => Total += amount;
}

/// <summary>Two constructors: System.Text.Json reads with the public parameterless one.</summary>
public sealed class TwoConstructors
{
    public TwoConstructors()
    {
    }

    public TwoConstructors(string name) => Name = name.ToUpperInvariant();

    public string? Name { get; set; }
}

// RMS015 warns that Draft.Id and Tally.Total do not survive a round trip: these schemas test exactly that case.
#pragma warning disable RMS015

/// <summary>Read-back cases over the cookie storage.</summary>
[Session<CookieSessionStorage>]
public partial class ReadBackSession
{
    [SessionKey] public partial Draft? Draft { get; set; }

    [SessionKey] public partial Tally? Tally { get; set; }

    [SessionKey] public partial List<Draft>? Drafts { get; set; }

    [SessionKey] public partial TwoConstructors? Named { get; set; }
}

/// <summary>The same over the JSON storage on memory.</summary>
[Session<JsonSessionStorage>]
public partial class JsonReadBackSession
{
    [SessionKey] public partial Draft? Draft { get; set; }

    [SessionKey] public partial Tally? Tally { get; set; }
}
