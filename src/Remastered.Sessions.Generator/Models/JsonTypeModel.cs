using Remastered.Sessions.Generator.Helpers;

namespace Remastered.Sessions.Generator.Models
{
    /// <summary>How a type is written to and read from JSON by the generated, reflection-free code.</summary>
    internal enum JsonTypeKind
    {
        Boolean, Byte, SByte, Int16, UInt16, Int32, UInt32, Int64, UInt64, Single, Double, Decimal, Char,
        String, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, Uri, ByteArray,
        Enum, Nullable, Array, List, Set, Dictionary, Object,

        // System.Collections.Immutable: written as the others, read into a list (a dictionary) and then made immutable.
        ImmutableArray, ImmutableList, ImmutableSet, ImmutableDictionary,
    }

    /// <summary>How a member of an object type gets its value when the object is read back.</summary>
    internal enum MemberAssignment
    {
        /// <summary>Not assigned: a constructor parameter, or a member without a public setter (written only).</summary>
        None,

        /// <summary>In the object initializer: <c>init</c> accessors and <c>required</c> members.</summary>
        Initializer,

        /// <summary>Assigned after construction when present in the JSON.</summary>
        Set,

        /// <summary>
        /// An <c>init</c> member (not <c>required</c>): set after construction through its accessor (an
        /// <c>UnsafeAccessor</c>) when present in the JSON, so that one the JSON leaves out keeps its initializer's value,
        /// as System.Text.Json leaves it; an object initializer would overwrite it with the type's default.
        /// </summary>
        InitAccessor,
    }

    /// <summary>How generated code reaches an <c>init</c> accessor after construction (<see cref="MemberAssignment.InitAccessor"/>).</summary>
    /// <param name="SetterName">The accessor's metadata name (<c>set_Name</c>).</param>
    /// <param name="Target">The declaring type as the accessor declares it: the generic definition (<c>Box&lt;T&gt;</c>) for a generic one.</param>
    /// <param name="ValueType">The member's type in the definition's terms (<c>List&lt;T&gt;</c>).</param>
    /// <param name="TypeParameters">The definition's type parameters, outermost type first, comma-separated (empty when not generic).</param>
    /// <param name="TypeArguments">The type arguments that close it here, in the same order.</param>
    /// <param name="ByRef">The declaring type is a struct: the accessor takes it by reference.</param>
    /// <param name="Constraints">The type parameters' constraints as the holder repeats them (<c> where T : struct</c>), or empty.</param>
    internal sealed record InitAccessorModel(string SetterName, string Target, string ValueType, string TypeParameters, string TypeArguments, bool ByRef, string Constraints);

    /// <summary>When a member is written (<c>[JsonIgnore(Condition = ...)]</c>, as System.Text.Json applies it).</summary>
    internal enum JsonWriteCondition
    {
        /// <summary>Always written.</summary>
        Always,

        /// <summary><c>WhenWritingNull</c>: left out when <c>null</c>.</summary>
        WhenNotNull,

        /// <summary><c>WhenWritingDefault</c>: left out when equal to the type's default.</summary>
        WhenNotDefault,
    }

    /// <summary>One type of a schema's value graph, with the helpers that read and write it.</summary>
    /// <param name="Helper">The suffix of the generated <c>Write_</c>/<c>Read_</c> helper names, unique by construction.</param>
    /// <param name="Type">The type as written in generated code (nullable-oblivious).</param>
    /// <param name="Kind">The shape.</param>
    /// <param name="IsReferenceType">Whether <c>null</c> is a possible value.</param>
    /// <param name="ElementHelper">For nullable, collections and dictionaries: the element's helper.</param>
    /// <param name="ElementType">For nullable, collections and dictionaries: the element type.</param>
    /// <param name="EnumUnderlying">For enums: the underlying integral kind.</param>
    /// <param name="ConstructedType">For objects: the type to construct.</param>
    /// <param name="Members">For objects: the serialized properties and fields, in System.Text.Json's order.</param>
    /// <param name="IsImmutable">Whether no value of the type can change after it is built (scalars, and objects of them without setters or other state that can change).</param>
    /// <param name="IgnoredConstructorArguments">
    /// For objects: constructor parameters bound to a member marked <c>[JsonIgnore]</c>, with what System.Text.Json passes
    /// for them (their default value, else the type's default).
    /// </param>
    /// <param name="DictionaryKey">
    /// For dictionaries: the key's kind, <see cref="JsonTypeKind.String"/> or an integer kind or
    /// <see cref="JsonTypeKind.Guid"/>, written as System.Text.Json writes such keys (invariant digits, the "D" format).
    /// </param>
    /// <param name="ReadsBack">
    /// Whether reading its JSON restores every member it writes. Not so for a member written but never read back (a
    /// getter-only property outside the constructor, a private setter, as System.Text.Json treats them), nor for a setter
    /// that does more than keep its value (stamps another member, counts, calls a method): such a value can
    /// differ from what was stored as soon as it is read, so a tracked one is compared with its JSON as read.
    /// </param>
    internal sealed record JsonTypeModel(
        string Helper,
        string Type,
        JsonTypeKind Kind,
        bool IsReferenceType,
        string? ElementHelper,
        string? ElementType,
        JsonTypeKind? EnumUnderlying,
        string? ConstructedType,
        EquatableArray<JsonMemberModel> Members,
        bool IsImmutable,
        bool ReadsBack = true,
        EquatableArray<IgnoredConstructorArgument> IgnoredConstructorArguments = default,
        JsonTypeKind DictionaryKey = JsonTypeKind.String)
    {
        /// <summary>
        /// For objects: whether a member the JSON lacks may be filled in with a different value on each read (an
        /// initializer such as <c>DateTime.UtcNow</c>, a constructor body, code that cannot be seen). The full reader then
        /// says so, and a tracked value is compared with its JSON as read, so that reading it alone never rewrites it.
        /// </summary>
        public bool DefaultsMayVary { get; init; }
    }

    /// <summary>A constructor parameter whose member is <c>[JsonIgnore]</c>d: never read, passed as <paramref name="Expression"/>.</summary>
    /// <param name="Index">Its position in the constructor.</param>
    /// <param name="Expression">The C# expression passed for it.</param>
    internal sealed record IgnoredConstructorArgument(int Index, string Expression);

    /// <summary>A serialized property (or <c>[JsonInclude]</c> field) of an object type.</summary>
    /// <param name="MemberName">The C# member, escaped where it is a keyword.</param>
    /// <param name="JsonName">The JSON property name (<c>[JsonPropertyName]</c> or the member name).</param>
    /// <param name="Type">The member type as written in generated code.</param>
    /// <param name="Helper">The helper suffix for the member type.</param>
    /// <param name="ConstructorIndex">Its position in the constructor used for reading, or -1.</param>
    /// <param name="Assignment">How it is set when read.</param>
    /// <param name="IsRequired">Whether the JSON must hold it for the value to be read (a non-optional constructor parameter or a <c>required</c> member).</param>
    /// <param name="DefaultValue">For an optional constructor parameter: its default as a C# expression, used when the JSON lacks it.</param>
    /// <param name="WriteCondition">When it is written; a member that may be left out is never required when read.</param>
    /// <param name="HiddenIn">
    /// For a base member hidden by a derived one of the same name (<c>new</c>): its declaring type, through which
    /// generated code reaches it; otherwise <see langword="null"/>.
    /// </param>
    /// <param name="InitAccessor">For <see cref="MemberAssignment.InitAccessor"/>: how to reach the accessor.</param>
    /// <param name="ReadsInto">
    /// For a member written a second time under another JSON name (an override renamed): the index of the member whose
    /// value it sets when read (the last of the two names in the JSON wins, as in System.Text.Json); otherwise -1.
    /// </param>
    internal sealed record JsonMemberModel(string MemberName, string JsonName, string Type, string Helper, int ConstructorIndex, MemberAssignment Assignment, bool IsRequired, string? DefaultValue = null, JsonWriteCondition WriteCondition = JsonWriteCondition.Always, string? HiddenIn = null, InitAccessorModel? InitAccessor = null, int ReadsInto = -1)
    {
        /// <summary>The member on <paramref name="target"/> as generated code writes it: <c>value.Name</c> or <c>((Base)value).Name</c>.</summary>
        public string On(string target) => HiddenIn is null ? target + "." + MemberName : "((" + HiddenIn + ")" + target + ")." + MemberName;
    }
}
