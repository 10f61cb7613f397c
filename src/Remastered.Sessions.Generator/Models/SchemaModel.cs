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

    /// <summary>Everything the emitter needs for one schema class; no symbols or syntax survive into it.</summary>
    internal sealed record SchemaModel(
        string? Namespace,
        string HintName,
        EquatableArray<string> ContainingTypeDeclarations,
        string TypeDeclaration,
        string ClassName,
        string StorageType,
        StorageValueKind ValueKind,
        string ValueType,
        string MetadataType,
        EquatableArray<KeyModel> Keys,
        EquatableArray<UnionCaseModel> Cases,
        EquatableArray<JsonTypeModel> JsonTypes,
        bool EmitBindAsync);

    /// <summary>One session key: a partial property of the schema.</summary>
    internal sealed record KeyModel(
        string PropertyName,
        string KeyName,
        string PropertyType,
        string PatternType,
        string Accessibility,
        bool IsFlash,
        bool IsNullableValueType,
        string CaseName,
        string? JsonHelper,
        string? NotStorable,
        bool IsStatic,
        bool HasGetter,
        bool HasSetter,
        bool SetterIsInit);

    /// <summary>One case of the generated <c>Value</c> union: a distinct value type of the schema.</summary>
    internal sealed record UnionCaseModel(string CaseName, string Type, string PatternType, bool CanConvertImplicitly, string? JsonHelper, string? NotStorable);
}
