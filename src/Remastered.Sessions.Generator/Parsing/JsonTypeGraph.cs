using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// Walks a value type's graph and records, once per type, how the generated code writes and reads it as JSON.
    /// Returns <see langword="null"/> for anything that cannot round-trip (the analyzer explains which member).
    /// </summary>
    internal sealed class JsonTypeGraph
    {
        private readonly Compilation _compilation;
        private readonly Dictionary<string, JsonTypeModel?> _byType = new(StringComparer.Ordinal);
        private readonly List<JsonTypeModel> _ordered = new();
        private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _failures = new(StringComparer.Ordinal);
        private List<string> _currentFailures = new();

        public JsonTypeGraph(Compilation compilation) => _compilation = compilation;

        public IEnumerable<JsonTypeModel> Types => CompactReaders.Mark(_ordered);

        /// <summary>
        /// Why the last type passed to <see cref="Add"/> cannot be stored: one path per unstorable member, such as
        /// <c>CartItem.Image -&gt; System.IO.Stream</c>. Empty when it can.
        /// </summary>
        public IReadOnlyList<string> Failures(ITypeSymbol type)
        {
            var key = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return _failures.TryGetValue(key, out var list) ? list : (IReadOnlyList<string>)Array.Empty<string>();
        }

        /// <summary>Adds <paramref name="type"/> and everything it contains; returns its helper name.</summary>
        public string? Add(ITypeSymbol type)
        {
            // Helpers are shared by reference-nullability variants: the same code handles null for reference types.
            var normalized = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            var key = normalized.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (_byType.TryGetValue(key, out var known))
            {
                if (known is null)
                {
                    _currentFailures.AddRange(_failures[key]);
                }

                return known?.Helper;
            }

            if (!_inProgress.Add(key))
            {
                _currentFailures.Add(Describe(normalized) + " (a cycle: JSON cannot represent it)");
                return null;
            }

            var outer = _currentFailures;
            _currentFailures = new List<string>();
            var model = Build(normalized, key);
            if (model is null && _currentFailures.Count == 0)
            {
                _currentFailures.Add(Describe(normalized) + Reason(normalized));
            }

            var failures = _currentFailures;
            _currentFailures = outer;
            _inProgress.Remove(key);
            if (model is null)
            {
                _failures[key] = failures;
                outer.AddRange(failures);
            }

            _byType[key] = model;
            if (model is not null)
            {
                _ordered.Add(model);
            }

            return model?.Helper;
        }

        private JsonTypeModel? Build(ITypeSymbol type, string display)
        {
            var helper = HelperName(display);
            // Helpers live in a nullable-oblivious context, so one helper serves every nullability variant of a type.
            var nullableDisplay = display;
            JsonTypeModel Simple(JsonTypeKind kind) => new(helper, nullableDisplay, kind, type.IsReferenceType, null, null, null, null, EquatableArray<JsonMemberModel>.Empty);

            switch (type.SpecialType)
            {
                case SpecialType.System_Boolean: return Simple(JsonTypeKind.Boolean);
                case SpecialType.System_Byte: return Simple(JsonTypeKind.Byte);
                case SpecialType.System_SByte: return Simple(JsonTypeKind.SByte);
                case SpecialType.System_Int16: return Simple(JsonTypeKind.Int16);
                case SpecialType.System_UInt16: return Simple(JsonTypeKind.UInt16);
                case SpecialType.System_Int32: return Simple(JsonTypeKind.Int32);
                case SpecialType.System_UInt32: return Simple(JsonTypeKind.UInt32);
                case SpecialType.System_Int64: return Simple(JsonTypeKind.Int64);
                case SpecialType.System_UInt64: return Simple(JsonTypeKind.UInt64);
                case SpecialType.System_Single: return Simple(JsonTypeKind.Single);
                case SpecialType.System_Double: return Simple(JsonTypeKind.Double);
                case SpecialType.System_Decimal: return Simple(JsonTypeKind.Decimal);
                case SpecialType.System_Char: return Simple(JsonTypeKind.Char);
                case SpecialType.System_String: return Simple(JsonTypeKind.String);
                case SpecialType.System_DateTime: return Simple(JsonTypeKind.DateTime);
            }

            switch (display)
            {
                case "global::System.Guid": return Simple(JsonTypeKind.Guid);
                case "global::System.DateTimeOffset": return Simple(JsonTypeKind.DateTimeOffset);
                case "global::System.DateOnly": return Simple(JsonTypeKind.DateOnly);
                case "global::System.TimeOnly": return Simple(JsonTypeKind.TimeOnly);
                case "global::System.TimeSpan": return Simple(JsonTypeKind.TimeSpan);
                case "global::System.Uri": return Simple(JsonTypeKind.Uri);
                case "byte[]": return Simple(JsonTypeKind.ByteArray);
            }

            if (type is IArrayTypeSymbol array)
            {
                return array.Rank == 1 ? Collection(JsonTypeKind.Array, array.ElementType, null) : null;
            }

            if (type is not INamedTypeSymbol named)
            {
                return null;
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                var underlying = named.EnumUnderlyingType!.SpecialType switch
                {
                    SpecialType.System_Byte => "Byte",
                    SpecialType.System_SByte => "SByte",
                    SpecialType.System_Int16 => "Int16",
                    SpecialType.System_UInt16 => "UInt16",
                    SpecialType.System_UInt32 => "UInt32",
                    SpecialType.System_Int64 => "Int64",
                    SpecialType.System_UInt64 => "UInt64",
                    _ => "Int32",
                };
                return new(helper, display, JsonTypeKind.Enum, false, null, null, underlying, null, EquatableArray<JsonMemberModel>.Empty);
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                var inner = Add(named.TypeArguments[0]);
                return inner is null ? null : new(helper, display, JsonTypeKind.Nullable, false, inner, named.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), null, null, EquatableArray<JsonMemberModel>.Empty);
            }

            if (named.IsGenericType)
            {
                var definition = named.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                var args = named.TypeArguments;
                switch (definition)
                {
                    case "global::System.Collections.Generic.List<T>":
                    case "global::System.Collections.Generic.IList<T>":
                    case "global::System.Collections.Generic.ICollection<T>":
                    case "global::System.Collections.Generic.IEnumerable<T>":
                    case "global::System.Collections.Generic.IReadOnlyList<T>":
                    case "global::System.Collections.Generic.IReadOnlyCollection<T>":
                        return Collection(JsonTypeKind.List, args[0], nullableDisplay);
                    case "global::System.Collections.Generic.HashSet<T>":
                    case "global::System.Collections.Generic.ISet<T>":
                    case "global::System.Collections.Generic.IReadOnlySet<T>":
                        return Collection(JsonTypeKind.Set, args[0], nullableDisplay);
                    case "global::System.Collections.Generic.Dictionary<TKey, TValue>":
                    case "global::System.Collections.Generic.IDictionary<TKey, TValue>":
                    case "global::System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>":
                        return args[0].SpecialType == SpecialType.System_String ? Collection(JsonTypeKind.Dictionary, args[1], nullableDisplay) : null;
                }

                if (named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
                {
                    _currentFailures.Add(Describe(named) + " (a collection type the generator does not support: use T[], List<T>, HashSet<T> or Dictionary<string, T>)");
                    return null;
                }
            }

            return BuildObject(named, helper, display, nullableDisplay);

            JsonTypeModel? Collection(JsonTypeKind kind, ITypeSymbol element, string? typeOverride)
            {
                var elementHelper = Add(element);
                if (elementHelper is null)
                {
                    return null;
                }

                var elementType = element.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                return new(helper, typeOverride ?? nullableDisplay, kind, true, elementHelper, elementType, null, null, EquatableArray<JsonMemberModel>.Empty);
            }
        }

        private JsonTypeModel? BuildObject(INamedTypeSymbol type, string helper, string display, string nullableDisplay)
        {
            if (Reason(type).Length > 0 || type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected)
            {
                return null;
            }

            var properties = new List<IPropertySymbol>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object && current.SpecialType != SpecialType.System_ValueType; current = current.BaseType)
            {
                foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                        || property.GetMethod is null || property.GetMethod.DeclaredAccessibility != Accessibility.Public
                        || HasAttribute(property, "System.Text.Json.Serialization.JsonIgnoreAttribute")
                        || property.Name == "EqualityContract" || !seen.Add(property.Name))
                    {
                        continue;
                    }

                    properties.Add(property);
                }
            }

            var constructor = ChooseConstructor(type, properties);
            if (constructor is null && !type.IsValueType)
            {
                _currentFailures.Add(Describe(type) + " (no usable constructor)");
                return null;
            }

            var members = new List<JsonMemberModel>();
            var failed = false;
            foreach (var property in properties)
            {
                var before = _currentFailures.Count;
                var memberHelper = Add(property.Type);
                if (memberHelper is null)
                {
                    // Prefix what the member's type reported with the member itself: "CartItem.Image -> System.IO.Stream".
                    for (var i = before; i < _currentFailures.Count; i++)
                    {
                        _currentFailures[i] = type.Name + "." + property.Name + " -> " + _currentFailures[i];
                    }

                    failed = true;
                    continue;
                }

                var index = constructor is null ? -1 : IndexOfParameter(constructor, property.Name);
                var setter = property.SetMethod;
                var assignment = index >= 0 ? "none"
                    : setter is null || setter.DeclaredAccessibility != Accessibility.Public ? "none"
                    : setter.IsInitOnly ? "init" : "set";
                var jsonName = property.GetAttributes()
                    .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.Text.Json.Serialization.JsonPropertyNameAttribute")
                    ?.ConstructorArguments.FirstOrDefault().Value as string ?? property.Name;
                var optional = index >= 0 && constructor!.Parameters[index].HasExplicitDefaultValue;
                members.Add(new JsonMemberModel(property.Name, jsonName, property.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), memberHelper, index, assignment, optional));
            }

            if (failed)
            {
                return null;
            }

            if (constructor is not null && constructor.Parameters.Any(p => !members.Any(m => string.Equals(m.PropertyName, p.Name, StringComparison.OrdinalIgnoreCase))))
            {
                _currentFailures.Add(Describe(type) + " (no usable constructor)");
                return null;
            }

            return new(helper, nullableDisplay, JsonTypeKind.Object, type.IsReferenceType, null, null, null, display, members.ToEquatableArray());
        }

        /// <summary>
        /// <c>[JsonConstructor]</c> if present, else the public constructor whose parameters all match properties and
        /// that has the most of them (a record's primary constructor), else the parameterless one.
        /// </summary>
        private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties)
        {
            var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(type, c)).ToList();
            var marked = constructors.FirstOrDefault(c => HasAttribute(c, "System.Text.Json.Serialization.JsonConstructorAttribute"));
            if (marked is not null)
            {
                return marked;
            }

            return constructors
                .Where(c => c.Parameters.All(p => properties.Any(m => string.Equals(m.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
                .OrderByDescending(c => c.Parameters.Length)
                .FirstOrDefault();
        }

        private static int IndexOfParameter(IMethodSymbol constructor, string propertyName)
        {
            for (var i = 0; i < constructor.Parameters.Length; i++)
            {
                if (string.Equals(constructor.Parameters[i].Name, propertyName, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>How a type is named in a failure path.</summary>
        public static string Describe(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

        /// <summary>Why a type can never be JSON, or an empty string.</summary>
        private static string Reason(ITypeSymbol type)
        {
            if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
            {
                return " (a pointer)";
            }

            if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
            {
                return " (any object: JSON cannot say which type to read back)";
            }

            if (type is IArrayTypeSymbol { Rank: > 1 })
            {
                return " (a multi-dimensional array)";
            }

            if (type is not INamedTypeSymbol named)
            {
                return " (not a JSON shape)";
            }

            if (named.IsRefLikeType)
            {
                return " (a ref struct)";
            }

            if (named.TypeKind == TypeKind.Delegate || IsDerivedFrom(named, "global::System.Delegate"))
            {
                return " (a delegate)";
            }

            if (IsDerivedFrom(named, "global::System.IO.Stream"))
            {
                return " (a stream)";
            }

            if (IsDerivedFrom(named, "global::System.Threading.Tasks.Task") || named.OriginalDefinition.ToDisplayString() is "System.Threading.Tasks.ValueTask" or "System.Threading.Tasks.ValueTask<TResult>")
            {
                return " (a task)";
            }

            if (IsDerivedFrom(named, "global::System.Reflection.MemberInfo") || named.ContainingNamespace?.ToDisplayString() == "System.Reflection")
            {
                return " (a reflection object)";
            }

            if (named.TypeKind == TypeKind.Interface)
            {
                return " (an interface with no known set of implementations)";
            }

            if (named.IsAbstract)
            {
                return " (an abstract class with no known set of derived types)";
            }

            if (named.IsGenericType && named.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IDictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>"
                && named.TypeArguments[0].SpecialType != SpecialType.System_String)
            {
                return " (dictionary keys must be strings)";
            }

            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Enum))
            {
                return " (not a JSON shape)";
            }

            return string.Empty;
        }

        private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor)
            => constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);

        private static bool HasAttribute(ISymbol symbol, string name)
            => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

        private static bool IsDerivedFrom(INamedTypeSymbol type, string baseName)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == baseName)
                {
                    return true;
                }
            }

            return false;
        }

        private static string HelperName(string display)
        {
            var chars = display.Replace("global::", string.Empty).Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
            return new string(chars);
        }
    }
}
