namespace Remastered.Sessions.Generator.Tests.Schemas;

// The same 64-GUID schema as the RMS012 analyzer test, compiled for real to check the estimate against reality.
#pragma warning disable RMS012
[Session<CookieSessionStorage>]
public partial class TokensSession
#pragma warning restore RMS012
{
    [SessionKey] public partial Guid? Token0 { get; set; }
    [SessionKey] public partial Guid? Token1 { get; set; }
    [SessionKey] public partial Guid? Token2 { get; set; }
    [SessionKey] public partial Guid? Token3 { get; set; }
    [SessionKey] public partial Guid? Token4 { get; set; }
    [SessionKey] public partial Guid? Token5 { get; set; }
    [SessionKey] public partial Guid? Token6 { get; set; }
    [SessionKey] public partial Guid? Token7 { get; set; }
    [SessionKey] public partial Guid? Token8 { get; set; }
    [SessionKey] public partial Guid? Token9 { get; set; }
    [SessionKey] public partial Guid? Token10 { get; set; }
    [SessionKey] public partial Guid? Token11 { get; set; }
    [SessionKey] public partial Guid? Token12 { get; set; }
    [SessionKey] public partial Guid? Token13 { get; set; }
    [SessionKey] public partial Guid? Token14 { get; set; }
    [SessionKey] public partial Guid? Token15 { get; set; }
    [SessionKey] public partial Guid? Token16 { get; set; }
    [SessionKey] public partial Guid? Token17 { get; set; }
    [SessionKey] public partial Guid? Token18 { get; set; }
    [SessionKey] public partial Guid? Token19 { get; set; }
    [SessionKey] public partial Guid? Token20 { get; set; }
    [SessionKey] public partial Guid? Token21 { get; set; }
    [SessionKey] public partial Guid? Token22 { get; set; }
    [SessionKey] public partial Guid? Token23 { get; set; }
    [SessionKey] public partial Guid? Token24 { get; set; }
    [SessionKey] public partial Guid? Token25 { get; set; }
    [SessionKey] public partial Guid? Token26 { get; set; }
    [SessionKey] public partial Guid? Token27 { get; set; }
    [SessionKey] public partial Guid? Token28 { get; set; }
    [SessionKey] public partial Guid? Token29 { get; set; }
    [SessionKey] public partial Guid? Token30 { get; set; }
    [SessionKey] public partial Guid? Token31 { get; set; }
    [SessionKey] public partial Guid? Token32 { get; set; }
    [SessionKey] public partial Guid? Token33 { get; set; }
    [SessionKey] public partial Guid? Token34 { get; set; }
    [SessionKey] public partial Guid? Token35 { get; set; }
    [SessionKey] public partial Guid? Token36 { get; set; }
    [SessionKey] public partial Guid? Token37 { get; set; }
    [SessionKey] public partial Guid? Token38 { get; set; }
    [SessionKey] public partial Guid? Token39 { get; set; }
    [SessionKey] public partial Guid? Token40 { get; set; }
    [SessionKey] public partial Guid? Token41 { get; set; }
    [SessionKey] public partial Guid? Token42 { get; set; }
    [SessionKey] public partial Guid? Token43 { get; set; }
    [SessionKey] public partial Guid? Token44 { get; set; }
    [SessionKey] public partial Guid? Token45 { get; set; }
    [SessionKey] public partial Guid? Token46 { get; set; }
    [SessionKey] public partial Guid? Token47 { get; set; }
    [SessionKey] public partial Guid? Token48 { get; set; }
    [SessionKey] public partial Guid? Token49 { get; set; }
    [SessionKey] public partial Guid? Token50 { get; set; }
    [SessionKey] public partial Guid? Token51 { get; set; }
    [SessionKey] public partial Guid? Token52 { get; set; }
    [SessionKey] public partial Guid? Token53 { get; set; }
    [SessionKey] public partial Guid? Token54 { get; set; }
    [SessionKey] public partial Guid? Token55 { get; set; }
    [SessionKey] public partial Guid? Token56 { get; set; }
    [SessionKey] public partial Guid? Token57 { get; set; }
    [SessionKey] public partial Guid? Token58 { get; set; }
    [SessionKey] public partial Guid? Token59 { get; set; }
    [SessionKey] public partial Guid? Token60 { get; set; }
    [SessionKey] public partial Guid? Token61 { get; set; }
    [SessionKey] public partial Guid? Token62 { get; set; }
    [SessionKey] public partial Guid? Token63 { get; set; }
}
