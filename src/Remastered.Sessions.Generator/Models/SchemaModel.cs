using Remastered.Sessions.Generator.Helpers;

namespace Remastered.Sessions.Generator.Models
{
    /// <summary>What the storage of a schema can hold, read from its <c>ISessionStorage&lt;TValue, TMetadata&gt;</c>.</summary>
    internal enum StorageValueKind
    {
        /// <summary><c>TValue</c> is <c>JsonSessionValue</c>: values are written and read as JSON.</summary>
        Json,

        /// <summary><c>TValue</c> is <c>object</c>: values are stored by reference.</summary>
        Object,
    }

    /// <summary>C# accessibility of a member the generator writes.</summary>
    internal enum MemberAccessibility
    {
        Public, Internal, ProtectedInternal, Protected, PrivateProtected, Private,
    }

    /// <summary>How a typed value read from a JSON storage is kept for the rest of the request.</summary>
    internal enum ValueTracking
    {
        /// <summary>An immutable value type: every read may build it again.</summary>
        None,

        /// <summary>Immutable, but a reference: kept so that every read returns the same instance.</summary>
        Identity,

        /// <summary>Can change in place: kept, and compared with its stored form at commit (when that differs, with the stored form read again and written).</summary>
        Compare,

        /// <summary>
        /// Can change in place, and its JSON as read may differ from what was stored (a member written but not read
        /// back): kept with its JSON as read, which the commit compares with, so that reading alone never rewrites it.
        /// </summary>
        CompareWithRead,
    }

    /// <summary>Everything the emitter needs for one schema class; no symbols or syntax survive into it.</summary>
    /// <param name="Namespace">The escaped namespace, or <see langword="null"/> for the global namespace.</param>
    /// <param name="HintName">The generated file's name.</param>
    /// <param name="ContainingTypeDeclarations">The <c>partial class Outer</c> headers around the schema, outermost first.</param>
    /// <param name="TypeDeclaration">The schema's own <c>partial class Name&lt;T&gt;</c> header.</param>
    /// <param name="ClassName">The schema's name as a type in generated code (with type parameters).</param>
    /// <param name="InvalidReason">
    /// Set when the schema cannot be generated (a generic schema, a storage that is not one): only the key properties
    /// are implemented, throwing with this message, so that the analyzer's diagnostic is the only error.
    /// </param>
    /// <param name="TakenNames">Member names the user declared (or inherited) that generated members must not reuse.</param>
    /// <param name="UnionAccessibility">The accessibility of <c>Value</c>, <c>ValueStore</c> and <c>Store</c>: no more than their types allow.</param>
    /// <param name="ExperimentalIds">The ids of <c>[Experimental]</c> on what generated code uses, suppressed in the generated file.</param>
    /// <param name="KeepsParameterlessConstructor">
    /// An unsealed schema without constructors of the user's: the generated constructor would take away the parameterless
    /// one C# gives it, which a derived class (RMS014 if it is a schema) calls, so a protected one that throws stands in.
    /// </param>
    /// <param name="DefinitionParts">
    /// Declarations the user's invalid keys (RMS003) need to compile, so that the analyzer's diagnostic is the error
    /// shown: the definition of a key declared only as an <c>extern</c> implementation, the throwing implementation of
    /// a partial indexer marked as a key.
    /// </param>
    internal sealed record SchemaModel(
        string? Namespace,
        string HintName,
        EquatableArray<string> ContainingTypeDeclarations,
        string TypeDeclaration,
        string ClassName,
        string DisplayName,
        string? InvalidReason,
        string StorageType,
        StorageValueKind ValueKind,
        string ValueType,
        string MetadataType,
        EquatableArray<KeyModel> Keys,
        EquatableArray<UnionCaseModel> Cases,
        EquatableArray<JsonTypeModel> JsonTypes,
        EquatableArray<string> TakenNames,
        MemberAccessibility UnionAccessibility,
        bool EmitBindAsync,
        EquatableArray<string> ExperimentalIds,
        bool KeepsParameterlessConstructor = false,
        EquatableArray<string> DefinitionParts = default);

    /// <summary>One session key: a partial property of the schema.</summary>
    /// <param name="PropertyName">The property as declared, escaped where it is a keyword.</param>
    /// <param name="Name">The property's name without escaping (prefixed by <c>Has</c>, <c>Unset</c>, ...).</param>
    /// <param name="KeyName">The session key.</param>
    /// <param name="PropertyType">The property type as declared (with its nullable annotation).</param>
    /// <param name="PatternType">The type usable in an <c>is</c> pattern and <c>typeof</c>.</param>
    /// <param name="IsNonNullableValueType">A value type other than <c>Nullable&lt;T&gt;</c>: never <c>null</c>.</param>
    /// <param name="Modifiers">
    /// The property's modifiers as declared, <c>partial</c> included, then any <c>ref</c> or <c>ref readonly</c>, with a
    /// trailing space.
    /// </param>
    /// <param name="ReturnsByRef">
    /// The property returns by reference (RMS003): a session value is not a variable to hand out, so its accessors throw.
    /// </param>
    /// <param name="GetterModifiers">The get accessor's own modifiers (such as <c>private</c>), with a trailing space.</param>
    /// <param name="SetterModifiers">The set or init accessor's own modifiers, with a trailing space.</param>
    /// <param name="NeedsUnsafeContext">The type has a pointer: the key is emitted in an <c>unsafe</c> part of the class.</param>
    /// <param name="VersionReader">
    /// For lists, sets and dictionaries of immutable items: the support method that reads the collection's modification
    /// counter, so that an unchanged collection is not serialized at commit.
    /// </param>
    internal sealed record KeyModel(
        string PropertyName,
        string Name,
        string KeyName,
        string PropertyType,
        string PatternType,
        MemberAccessibility Accessibility,
        bool IsFlash,
        bool IsNonNullableValueType,
        string CaseName,
        string? JsonHelper,
        string? NotStorable,
        ValueTracking Tracking,
        string? VersionReader,
        bool IsStatic,
        bool ReturnsByRef,
        bool HasGetter,
        bool HasSetter,
        bool SetterIsInit,
        string Modifiers,
        string GetterModifiers,
        string SetterModifiers,
        bool NeedsUnsafeContext);

    /// <summary>One case of the generated <c>Value</c> union: a distinct value type of the schema (nullable annotations aside).</summary>
    internal sealed record UnionCaseModel(string CaseName, string Type, bool IsNonNullableValueType, bool CanConvertImplicitly, string? JsonHelper, string? NotStorable, ValueTracking Tracking, string? VersionReader);
}
