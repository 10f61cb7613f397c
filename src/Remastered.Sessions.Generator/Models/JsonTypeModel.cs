using Remastered.Sessions.Generator.Helpers;

namespace Remastered.Sessions.Generator.Models
{
    /// <summary>How a type is written to and read from JSON by the generated, reflection-free code.</summary>
    internal enum JsonTypeKind
    {
        Boolean, Byte, SByte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double, Decimal, Char,
        String, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, Uri, ByteArray,
        Enum, Nullable, Array, List, Set, Dictionary, Object,
    }

    /// <summary>One type of a schema's value graph, with the helpers that read and write it.</summary>
    /// <param name="Helper">The suffix of the generated <c>Write_</c>/<c>Read_</c> helper names.</param>
    /// <param name="Type">The type as written in generated code (reference types carry <c>?</c>).</param>
    /// <param name="Kind">The shape.</param>
    /// <param name="IsReferenceType">Whether <c>null</c> is a possible value.</param>
    /// <param name="ElementHelper">For nullable, collections and dictionaries: the element's helper.</param>
    /// <param name="ElementType">For collections and dictionaries: the element type.</param>
    /// <param name="EnumUnderlying">For enums: the underlying integral kind (<c>Int32</c>, <c>Int64</c>, ...).</param>
    /// <param name="ConstructedType">For objects and collections: the type to construct (no <c>?</c>).</param>
    /// <param name="Members">For objects: the serialized properties.</param>
    /// <param name="HasCompactReader">
    /// Whether a compact fast-path reader is generated (its whole graph is booleans, 32/64-bit integers, decimals,
    /// doubles, strings, enums over those, nullables, collections and objects whose property names need no escaping).
    /// </param>
    internal sealed record JsonTypeModel(
        string Helper,
        string Type,
        JsonTypeKind Kind,
        bool IsReferenceType,
        string? ElementHelper,
        string? ElementType,
        string? EnumUnderlying,
        string? ConstructedType,
        EquatableArray<JsonMemberModel> Members,
        bool HasCompactReader = false);

    /// <summary>A serialized property of an object type.</summary>
    /// <param name="PropertyName">The C# property.</param>
    /// <param name="JsonName">The JSON property name (<c>[JsonPropertyName]</c> or the property name).</param>
    /// <param name="Type">The property type as written in generated code.</param>
    /// <param name="Helper">The helper suffix for the property type.</param>
    /// <param name="ConstructorIndex">Its position in the constructor used for reading, or -1.</param>
    /// <param name="Assignment">How it is set when read: <c>none</c>, <c>init</c> (object initializer) or <c>set</c>.</param>
    /// <param name="IsOptional">For constructor parameters: whether it has a default value, so it may be missing.</param>
    internal sealed record JsonMemberModel(string PropertyName, string JsonName, string Type, string Helper, int ConstructorIndex, string Assignment, bool IsOptional);
}
