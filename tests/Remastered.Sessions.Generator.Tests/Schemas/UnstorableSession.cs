namespace Remastered.Sessions.Generator.Tests.Schemas;

public sealed record Attachment(string Name, Stream Content);

// RMS001 is the analyzer's warning for exactly this; the test shows what happens when a user ignores it.
#pragma warning disable RMS001
[Session<CookieSessionStorage>]
public partial class UnstorableSession
{
    [SessionKey] public partial Attachment? Attachment { get; set; }
    [SessionKey] public partial string? Name { get; set; }
}
#pragma warning restore RMS001
