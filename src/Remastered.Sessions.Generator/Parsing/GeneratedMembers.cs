using System.Collections.Generic;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// The names of the members the generator adds to a schema. A user member with one of these names wins: the generator
    /// leaves the generated member out (or implements the interface member explicitly) and the analyzer reports RMS013.
    /// </summary>
    internal static class GeneratedMembers
    {
        public const string Value = "Value";
        public const string ValueStore = "ValueStore";
        public const string Store = "Store";

        /// <summary>Members of every schema, with what each does (for the RMS013 message).</summary>
        public static readonly IReadOnlyList<string> SchemaMembers = new[]
        {
            "LoadAsync", "FromStore", "BindAsync", Store, "IsDirty", "IsDestroyed", "CommitAsync", "Destroy", "DestroyAsync",
            "RegenerateId", "Seal", Value, ValueStore,
        };

        /// <summary>The members generated for one key property.</summary>
        public static IEnumerable<string> ForKey(string propertyName, bool isFlash)
        {
            yield return "Has" + propertyName;
            yield return "Unset" + propertyName;
            yield return "Flash" + propertyName;
            if (isFlash)
            {
                yield return "Keep" + propertyName;
            }
        }
    }
}
