using System.Linq;
using Microsoft.CodeAnalysis;

namespace Remastered.Sessions.Generator.Diagnostics
{
    /// <summary>Every diagnostic of Remastered.Sessions, with stable ids and help links to docs/diagnostics.md.</summary>
    public static class DiagnosticDescriptors
    {
        private const string Usage = "Remastered.Sessions.Usage";
        private const string Storage = "Remastered.Sessions.Storage";
        private const string HelpBase = "https://github.com/remastered-sessions/remastered-sessions/blob/main/docs/diagnostics.md#";

        /// <summary>RMS001: a key's type graph holds something the schema's JSON storage cannot round-trip.</summary>
        public static readonly DiagnosticDescriptor ValueNotStorable = new(
            "RMS001", "Session value cannot be stored", "{0}",
            Storage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "JSON storages can only hold values that round-trip as JSON. Setting such a key throws SessionValueNotStorableException.",
            helpLinkUri: HelpBase + "rms001");

        /// <summary>RMS002: the schema class is not partial.</summary>
        public static readonly DiagnosticDescriptor SchemaNotPartial = new(
            "RMS002", "Session schema must be partial", "Session schema '{0}' and every type containing it must be declared partial so that its accessors can be generated",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms002");

        /// <summary>RMS003: a key property is not a partial property with both accessors.</summary>
        public static readonly DiagnosticDescriptor KeyNotPartialProperty = new(
            "RMS003", "Session key must be a partial property with get and set", "Session key '{0}' must be declared 'partial' with both 'get' and 'set' accessors and no bodies",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms003");

        /// <summary>RMS004: a key property is static.</summary>
        public static readonly DiagnosticDescriptor StaticKey = new(
            "RMS004", "Session key must not be static", "Session key '{0}' is static; a key belongs to one user's session and must be an instance property",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms004");

        /// <summary>RMS005: two keys of a schema have the same name.</summary>
        public static readonly DiagnosticDescriptor DuplicateKey = new(
            "RMS005", "Duplicate session key", "Session key name '{0}' of '{1}' is already used by '{2}'",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms005");

        /// <summary>RMS006: a property carries both [SessionKey] and [Flash].</summary>
        public static readonly DiagnosticDescriptor KeyAndFlash = new(
            "RMS006", "Session key cannot be both persistent and flash", "'{0}' has both [SessionKey] and [Flash]; keep one",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms006");

        /// <summary>RMS007: a key name is empty or reserved for storage metadata.</summary>
        public static readonly DiagnosticDescriptor InvalidKeyName = new(
            "RMS007", "Invalid session key name", "Session key name '{0}' of '{1}' is {2}",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms007");

        /// <summary>RMS008: the schema's TStorage is not a session storage.</summary>
        public static readonly DiagnosticDescriptor NotAStorage = new(
            "RMS008", "Session schema storage is not a session storage", "'{0}' {2}, so '{1}' cannot be stored in it",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms008");

        /// <summary>RMS009: the schema is generic or nested in a generic type.</summary>
        public static readonly DiagnosticDescriptor GenericSchema = new(
            "RMS009", "Generic session schemas are not supported", "Session schema '{0}' is generic or nested in a generic type; declare a non-generic schema",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms009");

        /// <summary>RMS010: partial properties need C# 13.</summary>
        public static readonly DiagnosticDescriptor LanguageVersionTooLow = new(
            "RMS010", "Session schemas need C# 13", "Session schema '{0}' uses partial properties, which need C# 13 or later (this project uses C# {1}); set <LangVersion>13</LangVersion> or later",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms010");

        /// <summary>RMS011: a non-nullable reference-type key; missing values read as null.</summary>
        public static readonly DiagnosticDescriptor NonNullableReferenceKey = new(
            "RMS011", "Session key of a reference type should be nullable", "Session key '{0}' of type '{1}' reads as null when the session does not hold it; declare it as '{1}?'",
            Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms011");

        /// <summary>RMS012: the schema's bounded worst case does not fit a browser cookie.</summary>
        public static readonly DiagnosticDescriptor CookieBudgetExceeded = new(
            "RMS012", "Session may not fit in a cookie", "At its largest, session schema '{0}' needs a Set-Cookie of about {1} bytes, over the 4096 bytes browsers keep; store less or use a server-side storage",
            Storage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms012");
    

        /// <summary>RMS013: a member of the schema has the name of a member the generator adds.</summary>
        public static readonly DiagnosticDescriptor GeneratedMemberClash = new(
            "RMS013", "Member name clashes with a generated member", "'{0}' has the name of the member the generator adds {1}, so the generated '{0}' is left out; rename yours to get it",
            Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "The user's member wins: the generated member is left out (interface members are then implemented explicitly), so the schema compiles but loses that part of its generated API.",
            helpLinkUri: HelpBase + "rms013");

        /// <summary>
        /// RMS014: no session can be created from the schema (abstract, static, derived from another schema, or from a
        /// class without a parameterless constructor the generated constructor can call).
        /// </summary>
        public static readonly DiagnosticDescriptor SchemaNotInstantiable = new(
            "RMS014", "Session schema must be a class that can be created", "Session schema '{0}' cannot be created by LoadAsync: it {1}",
            Usage, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms014");

        /// <summary>RMS015: a member of a stored type is written but not read back, so it comes back as its initial value.</summary>
        public static readonly DiagnosticDescriptor MemberNotReadBack = new(
            "RMS015", "Session value member is written but not read back", "{0}: stored, but not read back (System.Text.Json's rules), so it reads as its initial value; give it a public set or init accessor, a parameter of the constructor System.Text.Json uses (a struct's must be marked [JsonConstructor]), or [JsonIgnore]",
            Storage, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + "rms015");

        /// <summary>Every descriptor, by id.</summary>
        public static DiagnosticDescriptor ById(string id) => All.First(d => d.Id == id);

        /// <summary>RMS016: a System.Text.Json attribute on a key property, where it changes nothing.</summary>
        public static readonly DiagnosticDescriptor JsonAttributeOnKey = new(
            "RMS016", "System.Text.Json attribute on a session key has no effect", "[{0}] on session key '{1}' has no effect: {2}",
            Usage, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "A key's name comes from [SessionKey(\"name\")] or [Flash(\"name\")], and its value is stored as System.Text.Json writes its type by default (a memory storage holds the object itself); System.Text.Json attributes on the key property itself are not applied.",
            helpLinkUri: HelpBase + "rms016");

        /// <summary>Every descriptor.</summary>
        public static readonly System.Collections.Immutable.ImmutableArray<DiagnosticDescriptor> All = System.Collections.Immutable.ImmutableArray.Create(
            ValueNotStorable, SchemaNotPartial, KeyNotPartialProperty, StaticKey, DuplicateKey, KeyAndFlash, InvalidKeyName,
            NotAStorage, GenericSchema, LanguageVersionTooLow, NonNullableReferenceKey, CookieBudgetExceeded, GeneratedMemberClash, SchemaNotInstantiable, MemberNotReadBack, JsonAttributeOnKey);
    }
}
