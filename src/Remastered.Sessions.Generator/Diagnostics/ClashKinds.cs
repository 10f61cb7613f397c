using System.Collections.Immutable;

namespace Remastered.Sessions.Generator.Diagnostics
{
    /// <summary>
    /// What an RMS013 report is about, in the diagnostic's properties: the rename code fix renames only a member the user
    /// declared in the schema, not a type of theirs named like a generated nested type, nor an inherited member.
    /// </summary>
    internal static class ClashKinds
    {
        public const string Key = "clash";
        public const string TypeName = "type";
        public const string Inherited = "inherited";

        public static ImmutableDictionary<string, string?> Properties(string kind)
            => ImmutableDictionary<string, string?>.Empty.Add(Key, kind);
    }
}
