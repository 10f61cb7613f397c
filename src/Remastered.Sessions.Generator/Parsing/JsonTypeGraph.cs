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

        public JsonTypeGraph(Compilation compilation) => _compilation = compilation;

        public IEnumerable<JsonTypeModel> Types => _ordered;

        /// <summary>Adds <paramref name="type"/> and everything it contains; returns its helper name.</summary>
        public string? Add(ITypeSymbol type)
        {
            // Helpers are shared by reference-nullability variants: the same code handles null for reference types.
            var normalized = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
            var key = normalized.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (_byType.TryGetValue(key, out var known))
            {
                return known?.Helper;
            }

            if (!_inProgress.Add(key))
            {
                return null; // a cycle: JSON cannot represent it
            }

            var model = Build(normalized, key);
            _inProgress.Remove(key);
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
                    return null; // other collections: not in the supported list
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
            if (type.IsAbstract || type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.IsRefLikeType
                || IsDerivedFrom(type, "global::System.Delegate") || IsDerivedFrom(type, "global::System.IO.Stream")
                || type.SpecialType == SpecialType.System_Object || type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected)
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
                return null;
            }

            var members = new List<JsonMemberModel>();
            foreach (var property in properties)
            {
                var memberHelper = Add(property.Type);
                if (memberHelper is null)
                {
                    return null;
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

            if (constructor is not null && constructor.Parameters.Any(p => !members.Any(m => string.Equals(m.PropertyName, p.Name, StringComparison.OrdinalIgnoreCase))))
            {
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
