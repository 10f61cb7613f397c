using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// Walks a value type's graph and records, once per type, how the generated code writes and reads it as JSON, with
    /// System.Text.Json's default rules (public properties, <c>[JsonInclude]</c> fields, <c>[JsonPropertyName]</c>,
    /// <c>[JsonIgnore]</c>, <c>[JsonConstructor]</c>, <c>required</c>). Returns <see langword="null"/> for anything that
    /// cannot round-trip; <see cref="Failures"/> says which member and why.
    /// </summary>
    internal sealed class JsonTypeGraph
    {
        private readonly Compilation _compilation;
        private readonly KnownTypes _known;
        private readonly ISymbol _within;
        private readonly Dictionary<ITypeSymbol, JsonTypeModel?> _byType = new(SymbolEqualityComparer.Default);
        private readonly List<JsonTypeModel> _ordered = new();
        // Types being built, with the helper name they will have: a type that contains itself (a tree) refers to it.
        private readonly Dictionary<ITypeSymbol, string> _inProgress = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ITypeSymbol, List<string>> _failures = new(SymbolEqualityComparer.Default);
        // Per helper: members of that type written but never read back (auto-properties only: a computed one is
        // written again from the others, and loses nothing).
        private readonly Dictionary<string, List<string>> _losses = new(StringComparer.Ordinal);
        private List<string> _currentFailures = new();
        private int _nextId;
        private readonly Dictionary<string, ITypeSymbol> _typeOfHelper = new(StringComparer.Ordinal);
        private bool _constructorReported;
        private readonly SortedSet<string> _experimentalIds = new(StringComparer.Ordinal);
        // Semantic models of the trees whose initializers were looked at (DefaultsMayVary).
        private readonly Dictionary<SyntaxTree, SemanticModel?> _models = new();

        /// <param name="compilation">The compilation.</param>
        /// <param name="known">The compilation's known types.</param>
        /// <param name="within">The schema: every type of the graph must be accessible from it.</param>
        public JsonTypeGraph(Compilation compilation, KnownTypes known, ISymbol within)
        {
            _compilation = compilation;
            _known = known;
            _within = within;
        }

        public IReadOnlyList<JsonTypeModel> Types => _ordered;

        /// <summary>The ids of <c>[Experimental]</c> on the types, members and constructors the generated serializer uses.</summary>
        public IReadOnlyCollection<string> ExperimentalIds => _experimentalIds;

        public JsonTypeModel? Find(string? helper) => helper is null ? null : _ordered.FirstOrDefault(t => t.Helper == helper);

        /// <summary>
        /// Why <paramref name="type"/> cannot be stored: one path per unstorable member, such as
        /// <c>CartItem.Image -&gt; System.IO.Stream (a stream)</c>. Empty when it can.
        /// </summary>
        public IReadOnlyList<string> Failures(ITypeSymbol type)
            => _failures.TryGetValue(Normalize(type), out var list) ? list : (IReadOnlyList<string>)Array.Empty<string>();

        /// <summary>
        /// The members of <paramref name="type"/>'s graph that are stored but not read back, such as
        /// <c>Draft.Id (getter-only ...)</c>: they come back as their initial value. Empty for a type not added.
        /// </summary>
        public IReadOnlyList<string> Losses(ITypeSymbol type)
        {
            var result = new List<string>();
            if (_byType.TryGetValue(Normalize(type), out var model) && model is not null)
            {
                CollectLosses(model, new HashSet<string>(StringComparer.Ordinal), result);
            }

            return result;
        }

        private void CollectLosses(JsonTypeModel model, HashSet<string> seen, List<string> result)
        {
            if (!seen.Add(model.Helper))
            {
                return;
            }

            if (_losses.TryGetValue(model.Helper, out var own))
            {
                result.AddRange(own);
            }

            foreach (var helper in model.Members.Select(m => m.Helper).Concat(model.ElementHelper is null ? Enumerable.Empty<string>() : new[] { model.ElementHelper }))
            {
                if (Find(helper) is { } inner)
                {
                    CollectLosses(inner, seen, result);
                }
            }
        }

        /// <summary>Adds <paramref name="type"/> and everything it contains; returns its helper name.</summary>
        public string? Add(ITypeSymbol type)
        {
            // Helpers are shared by nullability variants: the same (oblivious) code handles null for reference types.
            var normalized = Normalize(type);
            if (_byType.TryGetValue(normalized, out var known))
            {
                if (known is null)
                {
                    _currentFailures.AddRange(_failures[normalized]);
                }

                return known?.Helper;
            }

            if (_inProgress.TryGetValue(normalized, out var pending))
            {
                // A recursive type (a tree, a linked list): its instances end in null or empty collections. Object
                // cycles at run time are refused by the writers' depth limit, as System.Text.Json refuses them.
                return pending;
            }

            var helper = Names.Identifierish(Names.CaseName(normalized)) + "_" + (_nextId++).ToString(CultureInfo.InvariantCulture);
            _inProgress[normalized] = helper;
            var outer = _currentFailures;
            _currentFailures = new List<string>();
            var model = Build(normalized, helper);
            if (model is null && _currentFailures.Count == 0)
            {
                _currentFailures.Add(Describe(normalized) + Reason(normalized));
            }

            var failures = _currentFailures;
            _currentFailures = outer;
            _inProgress.Remove(normalized);
            if (model is null)
            {
                _failures[normalized] = failures;
                outer.AddRange(failures);
                DropDependents(helper, failures);
            }

            _byType[normalized] = model;
            if (model is not null)
            {
                _ordered.Add(model);
                _typeOfHelper[helper] = normalized;
            }

            return model?.Helper;
        }

        /// <summary>
        /// A type that failed after others referred to it while it was being built (A holds a B that holds an A, and A
        /// also holds a stream): those others cannot be generated either.
        /// </summary>
        private void DropDependents(string failedHelper, List<string> failures)
        {
            var failed = new HashSet<string>(StringComparer.Ordinal) { failedHelper };
            bool changed;
            do
            {
                changed = false;
                foreach (var model in _ordered.ToList())
                {
                    var dependencies = model.Members.Select(m => m.Helper).Concat(model.ElementHelper is null ? Enumerable.Empty<string>() : new[] { model.ElementHelper });
                    if (dependencies.Any(failed.Contains))
                    {
                        failed.Add(model.Helper);
                        _ordered.Remove(model);
                        var type = _typeOfHelper[model.Helper];
                        _byType[type] = null;
                        _failures[type] = failures;
                        changed = true;
                    }
                }
            }
            while (changed);
        }

        private static ITypeSymbol Normalize(ITypeSymbol type) => type.WithNullableAnnotation(NullableAnnotation.None);

        /// <summary>
        /// How generated code calls the <c>init</c> accessor of <paramref name="property"/> after construction: an
        /// <c>UnsafeAccessor</c> declared on the declaring type's generic definition (the runtime binds accessors of generic
        /// types that way), in a holder class that repeats the definition's type parameters and their constraints.
        /// <see langword="null"/> where no holder can say the same: type parameters that repeat a name
        /// (<c>Outer&lt;T&gt;.Inner&lt;T&gt;</c>) or start with <c>__</c> (the holder's own names); the member is then set
        /// in the object initializer.
        /// </summary>
        private static InitAccessorModel? InitAccessor(IPropertySymbol property, IMethodSymbol setter)
        {
            var declaring = property.ContainingType;
            var parameters = new List<ITypeParameterSymbol>();
            var arguments = new List<string>();
            for (var (definition, closed) = (declaring.OriginalDefinition, declaring); definition is not null && closed is not null; (definition, closed) = (definition.ContainingType, closed.ContainingType))
            {
                parameters.InsertRange(0, definition.TypeParameters);
                arguments.InsertRange(0, closed.TypeArguments.Select(Display));
            }

            var names = parameters.Select(p => Names.Escape(p.Name)).ToList();
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Count || parameters.Any(p => p.Name.StartsWith("__", StringComparison.Ordinal)))
            {
                return null;
            }

            var constraints = string.Concat(parameters.Select(Constraints));
            return new InitAccessorModel(setter.MetadataName, Display(declaring.OriginalDefinition), Display(property.OriginalDefinition.Type), string.Join(", ", names), string.Join(", ", arguments), declaring.IsValueType, constraints);
        }

        /// <summary>
        /// <c> where T : struct, IComparable&lt;T&gt;, new()</c>: the constraints of <paramref name="parameter"/> as a
        /// declaration repeats them (empty when it has none).
        /// </summary>
        private static string Constraints(ITypeParameterSymbol parameter)
        {
            var parts = new List<string>();
            if (parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            else if (parameter.HasReferenceTypeConstraint)
            {
                parts.Add("class");
            }
            else if (parameter.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }

            parts.AddRange(parameter.ConstraintTypes.Select(Display));
            if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint && !parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("new()");
            }

            return parts.Count == 0 ? string.Empty : " where " + Names.Escape(parameter.Name) + " : " + string.Join(", ", parts);
        }

        /// <summary>The type as generated code writes it: fully qualified, keywords escaped, no nullable reference annotations.</summary>
        public static string Display(ITypeSymbol type) => Names.TypeText(type.WithNullableAnnotation(NullableAnnotation.None), SymbolDisplayFormat.FullyQualifiedFormat);

        private JsonTypeModel? Build(ITypeSymbol type, string helper)
        {
            var display = Display(type);
            JsonTypeModel Simple(JsonTypeKind kind) => new(helper, display, kind, type.IsReferenceType, null, null, null, null, EquatableArray<JsonMemberModel>.Empty, kind != JsonTypeKind.ByteArray);

            if (Reason(type).Length > 0)
            {
                return null;
            }

            UsageAttributes.CollectExperimentalIdsOfType(type, _known, _experimentalIds);

            if (!_compilation.IsSymbolAccessibleWithin(type, _within))
            {
                _currentFailures.Add(Describe(type) + " (not accessible from the schema)");
                return null;
            }

            // Generated code names the type: obsolete as an error (itself or a type it is nested in), it cannot, even where
            // the user's code may (inside an obsolete member of their own).
            for (var part = type as INamedTypeSymbol; part is not null; part = part.ContainingType)
            {
                if (UsageAttributes.IsObsoleteAsError(part, _known))
                {
                    _currentFailures.Add(Describe(type) + " (it is [Obsolete] as an error, so generated code cannot name it)");
                    return null;
                }
            }

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

            if (KnownTypes.Is(type, _known.Guid)) return Simple(JsonTypeKind.Guid);
            if (KnownTypes.Is(type, _known.DateTimeOffset)) return Simple(JsonTypeKind.DateTimeOffset);
            if (KnownTypes.Is(type, _known.DateOnly)) return Simple(JsonTypeKind.DateOnly);
            if (KnownTypes.Is(type, _known.TimeOnly)) return Simple(JsonTypeKind.TimeOnly);
            if (KnownTypes.Is(type, _known.TimeSpan)) return Simple(JsonTypeKind.TimeSpan);
            if (KnownTypes.Is(type, _known.Uri)) return Simple(JsonTypeKind.Uri);

            if (type is IArrayTypeSymbol array)
            {
                return array.ElementType.SpecialType == SpecialType.System_Byte ? Simple(JsonTypeKind.ByteArray) : Collection(JsonTypeKind.Array, array.ElementType);
            }

            if (type is not INamedTypeSymbol named)
            {
                return null;
            }

            if (named.TypeKind == TypeKind.Enum)
            {
                var underlying = named.EnumUnderlyingType!.SpecialType switch
                {
                    SpecialType.System_Byte => JsonTypeKind.Byte,
                    SpecialType.System_SByte => JsonTypeKind.SByte,
                    SpecialType.System_Int16 => JsonTypeKind.Int16,
                    SpecialType.System_UInt16 => JsonTypeKind.UInt16,
                    SpecialType.System_UInt32 => JsonTypeKind.UInt32,
                    SpecialType.System_Int64 => JsonTypeKind.Int64,
                    SpecialType.System_UInt64 => JsonTypeKind.UInt64,
                    _ => JsonTypeKind.Int32,
                };
                return new(helper, display, JsonTypeKind.Enum, false, null, null, underlying, null, EquatableArray<JsonMemberModel>.Empty, true);
            }

            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                var inner = Add(named.TypeArguments[0]);
                return inner is null ? null : new(helper, display, JsonTypeKind.Nullable, false, inner, Display(named.TypeArguments[0]), null, null, EquatableArray<JsonMemberModel>.Empty, Find(inner)?.IsImmutable == true, Find(inner)?.ReadsBack != false);
            }

            if (named.IsTupleType)
            {
                _currentFailures.Add(Describe(named) + " (a value tuple: its items are fields, which System.Text.Json does not store; use a record)");
                return null;
            }

            if (named.IsGenericType)
            {
                var args = named.TypeArguments;
                if (KnownTypes.Is(named, _known.List) || KnownTypes.Is(named, _known.IList) || KnownTypes.Is(named, _known.ICollection)
                    || named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                    || KnownTypes.Is(named, _known.IReadOnlyList) || KnownTypes.Is(named, _known.IReadOnlyCollection))
                {
                    return Collection(JsonTypeKind.List, args[0]);
                }

                if (KnownTypes.Is(named, _known.HashSet) || KnownTypes.Is(named, _known.ISet) || KnownTypes.Is(named, _known.IReadOnlySet))
                {
                    return Collection(JsonTypeKind.Set, args[0]);
                }

                if (KnownTypes.Is(named, _known.Dictionary) || KnownTypes.Is(named, _known.IDictionary) || KnownTypes.Is(named, _known.IReadOnlyDictionary))
                {
                    return Collection(JsonTypeKind.Dictionary, args[1]) is { } dictionary ? dictionary with { DictionaryKey = DictionaryKeyKind(args[0]) ?? JsonTypeKind.String } : null;
                }

                if (KnownTypes.Is(named, _known.ImmutableArray))
                {
                    return Immutable(JsonTypeKind.ImmutableArray, args[0], isReferenceType: false);
                }

                if (KnownTypes.Is(named, _known.ImmutableList) || KnownTypes.Is(named, _known.IImmutableList))
                {
                    return Immutable(JsonTypeKind.ImmutableList, args[0], isReferenceType: true);
                }

                if (KnownTypes.Is(named, _known.ImmutableHashSet) || KnownTypes.Is(named, _known.IImmutableSet))
                {
                    return Immutable(JsonTypeKind.ImmutableSet, args[0], isReferenceType: true);
                }

                if (KnownTypes.Is(named, _known.ImmutableDictionary) || KnownTypes.Is(named, _known.IImmutableDictionary))
                {
                    return Immutable(JsonTypeKind.ImmutableDictionary, args[1], isReferenceType: true) is { } dictionary ? dictionary with { DictionaryKey = DictionaryKeyKind(args[0]) ?? JsonTypeKind.String } : null;
                }
            }

            if (named.AllInterfaces.Any(i => KnownTypes.Is(i, _known.IAsyncEnumerable)))
            {
                _currentFailures.Add(Describe(named) + " (an asynchronous stream: System.Text.Json writes it only asynchronously and never reads it back)");
                return null;
            }

            if (named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
            {
                _currentFailures.Add(Describe(named) + UnsupportedCollection);
                return null;
            }

            return BuildObject(named, helper, display);

            // Unchanged for the whole request when its elements are (a collection of records, say): never compared at commit.
            JsonTypeModel? Immutable(JsonTypeKind kind, ITypeSymbol element, bool isReferenceType) => Collection(kind, element, isReferenceType, immutable: true);

            JsonTypeModel? Collection(JsonTypeKind kind, ITypeSymbol element, bool isReferenceType = true, bool immutable = false)
            {
                var elementHelper = Add(element);
                return elementHelper is null
                    ? null
                    : new(helper, display, kind, isReferenceType, elementHelper, Display(element), null, null, EquatableArray<JsonMemberModel>.Empty, immutable && Find(elementHelper)?.IsImmutable == true, Find(elementHelper)?.ReadsBack != false);
            }
        }

        private const string UnsupportedCollection = " (a collection type the generator does not support: use T[], List<T>, HashSet<T>, Dictionary<string, T> or their System.Collections.Immutable counterparts)";

        private JsonTypeModel? BuildObject(INamedTypeSymbol type, string helper, string display)
        {
            // A framework type stored as an object, said before its members or constructors are looked at: those would
            // give reasons about types the user cannot change (CancellationToken's WaitHandle is abstract, Regex has
            // several constructors). Compilations see reference assemblies, whose members are sorted by name, while
            // System.Text.Json writes them in the implementation's order (Size is {"IsEmpty","Width","Height"}), and
            // such types often keep state no property restores (StringBuilder's text). Only System.Tuple, whose
            // Item1... order is the same in both, is stored.
            if (type.DeclaringSyntaxReferences.IsEmpty && IsFrameworkAssembly(type.ContainingAssembly)
                && !_known.Tuples.Any(t => KnownTypes.Is(type, t)))
            {
                var settable = false;
                for (var current = type; current is not null && !settable; current = current.BaseType)
                {
                    settable = current.GetMembers().OfType<IPropertySymbol>().Any(p => !p.IsStatic && !p.IsIndexer
                        && p.DeclaredAccessibility == Accessibility.Public && p.SetMethod is { DeclaredAccessibility: Accessibility.Public });
                }

                _currentFailures.Add(Describe(type) + (settable
                    ? " (a framework type stored as an object: its properties' order at run time is not visible at compile time, so its JSON could differ from System.Text.Json's, and its state may not be in its properties; store a record of your own with the values you need)"
                    : " (a framework type none of whose public properties can be set, so System.Text.Json would read it back empty; store the values you need instead, in a record of your own)"));
                return null;
            }

            // System.Text.Json's order and rules: the type's own properties, then its [JsonInclude] fields, then its base
            // type's. Each JSON name is one slot: a base member whose name a derived one took is left out (an override, a
            // member hidden with new), unless the derived one is [JsonIgnore]d, which the base member then replaces
            // (a virtual one overridden and ignored stays out). A public property without a public getter holds its slot
            // but is never written.
            var slots = new List<ISymbol?>();
            var slotByName = new Dictionary<string, (int Index, ISymbol Member, bool Ignored)>(StringComparer.Ordinal);
            var ignoredByMember = new Dictionary<string, ISymbol>(StringComparer.Ordinal);
            // Members [JsonIgnore] always skips: a constructor parameter bound to one gets its default, as in System.Text.Json.
            var ignored = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var failed = false;

            void Occupy(ISymbol member, bool isIgnored, bool written)
            {
                if (!written)
                {
                    // Never written (WhenWriting, or no public getter): a constructor parameter bound to it gets its default.
                    ignored.Add(member.Name);
                }

                if (isIgnored)
                {
                    ignored.Add(member.Name);
                    if (!ignoredByMember.ContainsKey(member.Name))
                    {
                        ignoredByMember[member.Name] = member;
                    }
                }

                var jsonName = JsonName(member);
                if (!slotByName.TryGetValue(jsonName, out var other))
                {
                    slotByName[jsonName] = (slots.Count, member, isIgnored);
                    slots.Add(isIgnored || !written ? null : member);
                }
                else if (other.Ignored && !isIgnored)
                {
                    slotByName[jsonName] = (other.Index, member, false);
                    slots[other.Index] = written ? member : null;
                }
                else if (!isIgnored && other.Member.Name != member.Name && !ignoredByMember.ContainsKey(member.Name))
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (its JSON name \"" + jsonName + "\" is also " + other.Member.ContainingType.Name + "." + other.Member.Name + "'s, which System.Text.Json refuses; " + Remedy(member.ContainingType, "give one another [JsonPropertyName]") + ")");
                    failed = true;
                }
            }

            for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
                {
                    if (property.IsStatic || property.IsIndexer)
                    {
                        continue;
                    }

                    var include = KnownTypes.HasAttribute(property, _known.JsonIncludeAttribute);
                    var ignoreRule = Ignore(property);
                    if (include && ignoreRule != IgnoreRule.Always
                        && (property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public }
                            || (property.SetMethod is { DeclaredAccessibility: not Accessibility.Public } && !TakenByAConstructor(type, property.Name))))
                    {
                        // System.Text.Json reads such a property back through its non-public setter; generated code cannot.
                        _currentFailures.Add(type.Name + "." + property.Name + (property.DeclaredAccessibility == Accessibility.Public && property.GetMethod is { DeclaredAccessibility: Accessibility.Public }
                            ? " (it has [JsonInclude] and a setter that is not public, which generated code cannot call to read it back; " + Remedy(property.ContainingType, "make the setter public or init, or take the value in a constructor") + ")"
                            : " (it has [JsonInclude] but is not public, so generated code cannot reach it; " + Remedy(property.ContainingType, "make it public or remove the attribute") + ")"));
                        failed = true;
                        continue;
                    }

                    var publicGetter = property.DeclaredAccessibility == Accessibility.Public && property.GetMethod is { DeclaredAccessibility: Accessibility.Public };
                    if (publicGetter && property.RefKind != RefKind.None && ignoreRule != IgnoreRule.Always)
                    {
                        // System.Text.Json refuses the whole type ("The type 'System.Int32&' of property ... is invalid").
                        _currentFailures.Add(type.Name + "." + property.Name + " (it returns by reference, which System.Text.Json refuses for the whole type; " + Remedy(property.ContainingType, "mark it [JsonIgnore] or make it non-public") + ")");
                        failed = true;
                        continue;
                    }

                    var publicSetter = property.DeclaredAccessibility == Accessibility.Public && property.SetMethod is { DeclaredAccessibility: Accessibility.Public };
                    if (!publicGetter && !publicSetter)
                    {
                        continue;
                    }

                    // A virtual property whose override was ignored is ignored with it.
                    if (IsVirtual(property) && ignoredByMember.TryGetValue(property.Name, out var ignoredOverride)
                        && ignoredOverride is IPropertySymbol ignoredProperty && IsVirtual(ignoredProperty)
                        && SymbolEqualityComparer.Default.Equals(ignoredProperty.Type, property.Type))
                    {
                        continue;
                    }

                    Occupy(property, ignoreRule == IgnoreRule.Always, publicGetter && ignoreRule != IgnoreRule.WhenWriting);
                }

                foreach (var field in current.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.IsStatic || field.IsConst || field.IsImplicitlyDeclared)
                    {
                        continue;
                    }

                    var include = KnownTypes.HasAttribute(field, _known.JsonIncludeAttribute);
                    var fieldRule = Ignore(field);
                    var isIgnored = fieldRule == IgnoreRule.Always;
                    if (field.DeclaredAccessibility != Accessibility.Public)
                    {
                        if (include && !isIgnored)
                        {
                            _currentFailures.Add(type.Name + "." + field.Name + " (it has [JsonInclude] but is not public, so generated code cannot reach it; " + Remedy(field.ContainingType, "make it public or remove the attribute") + ")");
                            failed = true;
                        }

                        continue;
                    }

                    if (!include && !isIgnored)
                    {
                        // System.Text.Json skips fields: storing this type would silently lose the field's data.
                        _currentFailures.Add(type.Name + "." + field.Name + " (a public field: System.Text.Json does not store fields; " + Remedy(field.ContainingType, "make it a property or mark it [JsonInclude]") + ")");
                        failed = true;
                        continue;
                    }

                    if (include)
                    {
                        Occupy(field, isIgnored, written: fieldRule != IgnoreRule.WhenWriting);
                    }
                }
            }

            var members = new List<ISymbol>();
            foreach (var member in slots)
            {
                if (member is null)
                {
                    continue;
                }

                var property = member as IPropertySymbol;
                if (UsageAttributes.IsObsoleteAsError(member, _known) || UsageAttributes.IsObsoleteAsError(property?.GetMethod, _known) || UsageAttributes.IsObsoleteAsError(property?.SetMethod, _known))
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (it is [Obsolete] as an error, so generated code cannot use it; mark it [JsonIgnore])");
                    failed = true;
                    continue;
                }

                if (property is not null && HasAnyAttribute(property, _known.JsonNumberHandlingAttribute, _known.JsonExtensionDataAttribute, _known.JsonObjectCreationHandlingAttribute))
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (it has [JsonNumberHandling], [JsonExtensionData] or [JsonObjectCreationHandling], which the generated serializer does not apply; " + Remedy(member.ContainingType, "remove the attribute or mark the property [JsonIgnore]") + ")");
                    failed = true;
                    continue;
                }

                if (property is not null && HasConverter(property))
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (it has [JsonConverter]: the generated serializer does not run converters; " + Remedy(member.ContainingType, "remove the attribute or mark the property [JsonIgnore]") + ")");
                    failed = true;
                    continue;
                }

                members.Add(member);
            }

            // [JsonPropertyOrder]: System.Text.Json sorts by it, stably (members without it count as 0).
            if (members.Any(m => KnownTypes.HasAttribute(m, _known.JsonPropertyOrderAttribute)))
            {
                members = members.Select((member, index) => (member, index))
                    .OrderBy(m => KnownTypes.FindAttribute(m.member, _known.JsonPropertyOrderAttribute)?.ConstructorArguments.FirstOrDefault().Value as int? ?? 0)
                    .ThenBy(m => m.index)
                    .Select(m => m.member)
                    .ToList();
            }

            // No member to store but state all the same (fields of any accessibility; a compiled struct shows none): {}.
            var fromMetadata = type.DeclaringSyntaxReferences.IsEmpty;
            if (!failed && members.Count == 0 && ((fromMetadata && type.IsValueType) || HoldsUnstoredState(type)))
            {
                _currentFailures.Add(Describe(type) + " (it has no public properties: System.Text.Json would store it as {} and its value would be lost)");
                return null;
            }

            _constructorReported = false;
            var constructor = ChooseConstructor(type, members);
            if (constructor is null && !type.IsValueType)
            {
                if (!_constructorReported)
                {
                    _currentFailures.Add(Describe(type) + " (no usable constructor: it has no public one for System.Text.Json to call; " + Remedy(type, "add one, or mark an internal one [JsonConstructor]") + ")");
                }

                return null;
            }

            if (constructor is not null && constructor.Parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.Out or RefKind.In or RefKind.RefReadOnlyParameter))
            {
                _currentFailures.Add(Describe(type) + " (the constructor System.Text.Json would read with takes a parameter by reference: ref, out, in or ref readonly, which it does not support)");
                return null;
            }

            if (UsageAttributes.IsObsoleteAsError(constructor, _known))
            {
                _currentFailures.Add(Describe(type) + " (the constructor System.Text.Json would read with is [Obsolete] as an error, so generated code cannot call it)");
                return null;
            }

            if (constructor is not null)
            {
                UsageAttributes.CollectExperimentalIds(constructor, _known, _experimentalIds);
            }

            foreach (var member in members)
            {
                UsageAttributes.CollectExperimentalIds(member, _known, _experimentalIds);
                if (member is IPropertySymbol { GetMethod: { } get } withAccessors)
                {
                    UsageAttributes.CollectExperimentalIds(get, _known, _experimentalIds);
                    if (withAccessors.SetMethod is { } set)
                    {
                        UsageAttributes.CollectExperimentalIds(set, _known, _experimentalIds);
                    }
                }
            }

            var setsRequired = constructor is not null && KnownTypes.HasAttribute(constructor, _known.SetsRequiredMembersAttribute);
            var models = new List<JsonMemberModel>();
            var immutable = true;
            var readsBack = true;
            var lost = new List<string>();
            // The member (index in models) that reads each override chain's value: a second JSON name of it reads into it.
            var slotOfRoot = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
            foreach (var member in members)
            {
                var (memberType, isRequired, setter) = member switch
                {
                    IPropertySymbol p => (p.Type, p.IsRequired, p.SetMethod),
                    IFieldSymbol f => (f.Type, f.IsRequired, (IMethodSymbol?)null),
                    _ => throw new InvalidOperationException(),
                };
                var ignore = Ignore(member);
                if (ignore == IgnoreRule.WhenReading)
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (it has [JsonIgnore(Condition = WhenReading)]: written but never read back, so the next request would lose it; " + Remedy(member.ContainingType, "remove the condition or ignore it always") + ")");
                    failed = true;
                    continue;
                }

                if (ignore == IgnoreRule.WhenNull && memberType.IsValueType && memberType.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (it has [JsonIgnore(Condition = WhenWritingNull)] on a non-nullable value type, which System.Text.Json refuses; " + Remedy(member.ContainingType, "use WhenWritingDefault") + ")");
                    failed = true;
                    continue;
                }

                var writeCondition = ignore switch
                {
                    IgnoreRule.WhenNull => JsonWriteCondition.WhenNotNull,
                    IgnoreRule.WhenDefault => JsonWriteCondition.WhenNotDefault,
                    _ => JsonWriteCondition.Always,
                };
                var before = _currentFailures.Count;
                var memberHelper = Add(memberType);
                if (memberHelper is null)
                {
                    // Prefix what the member's type reported with the member itself: "CartItem.Image -> System.IO.Stream".
                    for (var i = before; i < _currentFailures.Count; i++)
                    {
                        _currentFailures[i] = type.Name + "." + member.Name + " -> " + _currentFailures[i];
                    }

                    failed = true;
                    continue;
                }

                // A member of a base type hidden by a derived one of the same name (new) is reached through a cast; one
                // set already under another JSON name (an override renamed) is the same member: written again, set once
                // (by the first occurrence that can be set: an override with only a getter leaves it to the base's).
                var hiddenIn = HiddenBy(type, member) ? Display(member.ContainingType) : null;
                var root = OverrideRoot(member);
                var repeated = slotOfRoot.TryGetValue(root, out var readsInto);
                // A member seen already is bound once; a base member hidden by a derived one binds as any other (when both
                // would bind to one parameter, System.Text.Json refuses the type: checked below).
                var index = constructor is null || repeated ? -1 : IndexOfParameter(constructor, member);
                var publicSetter = setter is not null && setter.DeclaredAccessibility == Accessibility.Public;
                var writableField = member is IFieldSymbol { IsReadOnly: false };
                MemberAssignment assignment;
                bool mustBePresent;
                InitAccessorModel? initAccessor = null;
                if (repeated)
                {
                    assignment = MemberAssignment.None;
                    mustBePresent = false;
                }
                else if (hiddenIn is not null && ((isRequired && !setsRequired) || (publicSetter && setter!.IsInitOnly)))
                {
                    _currentFailures.Add(type.Name + "." + member.Name + " (a base member hidden by a derived one of the same name, which an object initializer cannot set; " + Remedy(member.ContainingType, "rename one of them") + ")");
                    failed = true;
                    continue;
                }
                else if (index >= 0)
                {
                    assignment = MemberAssignment.None;
                    // System.Text.Json's default options pass a missing parameter's default (RespectRequiredConstructorParameters is off).
                    mustBePresent = false;
                }
                else if (isRequired && !setsRequired)
                {
                    assignment = MemberAssignment.Initializer;
                    mustBePresent = true;
                }
                else if (publicSetter && setter!.IsInitOnly)
                {
                    // Set through its accessor only when the JSON holds it: one left out keeps its initializer's value.
                    initAccessor = InitAccessor((IPropertySymbol)member, setter);
                    assignment = initAccessor is null ? MemberAssignment.Initializer : MemberAssignment.InitAccessor;
                    mustBePresent = false;
                }
                else
                {
                    assignment = publicSetter || writableField ? MemberAssignment.Set : MemberAssignment.None;
                    mustBePresent = false;
                }

                if (index >= 0 || assignment != MemberAssignment.None)
                {
                    slotOfRoot[root] = models.Count;
                }

                // Written but never read back (System.Text.Json leaves it to the constructor's default): see ReadsBack.
                readsBack &= (repeated || index >= 0 || assignment != MemberAssignment.None) && Find(memberHelper)?.ReadsBack != false;
                // Nor does one whose setter does more than keep the value (LastChanged = DateTime.UtcNow, Version++, a call):
                // reading sets it, so the value as read can differ from what was stored.
                readsBack &= !(member is IPropertySymbol { SetMethod: { } accessor } && SetterMayVary(accessor));
                // In source an auto-property is known by its backing field. A compiled type (a library of the user's) shows
                // neither its fields nor its non-public setters, so any property read back by nothing is reported there,
                // worded for both cases; framework types are left alone (their getter-only properties compute).
                if (!repeated && index < 0 && member is IFieldSymbol { IsReadOnly: true } readOnlyField)
                {
                    lost.Add(type.Name + "." + readOnlyField.Name + " (a readonly field: written, but System.Text.Json cannot set it when reading, and no constructor parameter matches it)");
                }

                if (!repeated && index < 0 && assignment == MemberAssignment.None && member is IPropertySymbol { IsRequired: false } autoProperty)
                {
                    if (IsAutoProperty(autoProperty))
                    {
                        lost.Add(type.Name + "." + member.Name + (autoProperty.SetMethod is not null ? " (its setter is not public)"
                            : type.IsValueType && constructor is null ? " (getter-only: System.Text.Json reads a struct with its default constructor unless one is marked [JsonConstructor])"
                            : " (getter-only, and no constructor parameter matches it)"));
                    }
                    else if (autoProperty.ContainingType.DeclaringSyntaxReferences.IsEmpty && !IsFrameworkAssembly(autoProperty.ContainingAssembly))
                    {
                        lost.Add(type.Name + "." + member.Name + " (in a compiled library: it has no public setter and no constructor parameter matches it; if it holds data rather than computing it, that data is not read back)");
                    }
                }

                // A reference type stays unchanged only if nothing can set its members after construction.
                var memberCanBeSet = (setter is not null && !setter.IsInitOnly) || writableField;
                // A member of a type still being built (recursion) counts as changeable: compared by its JSON.
                immutable &= Find(memberHelper)?.IsImmutable == true && (type.IsValueType || !memberCanBeSet);
                var jsonName = JsonName(member);
                var defaultValue = index >= 0 && constructor!.Parameters[index].HasExplicitDefaultValue ? DefaultExpression(constructor.Parameters[index]) : null;
                // A member that may be left out is read as its default when absent (it was left out for being that).
                models.Add(new JsonMemberModel(Names.Escape(member.Name), jsonName, Display(memberType), memberHelper, index, assignment, mustBePresent && writeCondition == JsonWriteCondition.Always, defaultValue, writeCondition, hiddenIn, initAccessor, repeated ? readsInto : -1));
            }

            if (failed)
            {
                return null;
            }

            // System.Text.Json refuses a type two of whose members share a JSON name ("collides with another property").
            var collision = models.GroupBy(m => m.JsonName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (collision is not null)
            {
                _currentFailures.Add(Describe(type) + " (its members " + string.Join(" and ", collision.Select(m => Names.Unescape(m.MemberName))) + " have the same JSON name \"" + collision.Key + "\", which System.Text.Json refuses; " + Remedy(type, "give one another [JsonPropertyName]") + ")");
                return null;
            }

            // Nor may two of its members bind to one constructor parameter (same name ignoring case, same type): every
            // member that holds a JSON name counts, ignored, never written or hidden ones included, as System.Text.Json
            // counts them.
            if (constructor is not null)
            {
                foreach (var parameter in constructor.Parameters)
                {
                    var binding = slotByName.Values.Select(s => s.Member).Where(m => Binds(parameter, m)).ToList();
                    if (binding.Count > 1)
                    {
                        _currentFailures.Add(Describe(type) + " (its members " + string.Join(" and ", binding.Select(m => m.ContainingType.Name + "." + m.Name)) + " both bind to the constructor parameter '" + parameter.Name + "', which System.Text.Json refuses; " + Remedy(type, "rename one of them") + ")");
                        return null;
                    }
                }
            }

            var ignoredArguments = new List<IgnoredConstructorArgument>();
            if (constructor is not null)
            {
                foreach (var parameter in constructor.Parameters)
                {
                    if (models.Any(m => m.ConstructorIndex == parameter.Ordinal))
                    {
                        continue;
                    }

                    if (!ignored.Contains(parameter.Name))
                    {
                        _currentFailures.Add(Describe(type) + " (no usable constructor: its parameter '" + parameter.Name + "' matches no public property or field of the same name, ignoring case, and type, which System.Text.Json refuses; " + Remedy(type, "name the parameter after the member it sets") + ")");
                        return null;
                    }

                    ignoredArguments.Add(new IgnoredConstructorArgument(parameter.Ordinal, parameter.HasExplicitDefaultValue ? DefaultExpression(parameter) : "default(" + Display(parameter.Type) + ")!"));
                }
            }

            if (lost.Count > 0)
            {
                _losses[helper] = lost;
            }

            // State the stored members do not show can change too (a method changing a private field or a captured primary
            // constructor parameter that a computed member writes): such a type is compared by its JSON, as one with setters.
            immutable = immutable && !HasOtherChangeableState(type, members);
            return new(helper, display, JsonTypeKind.Object, type.IsReferenceType, null, null, null, display, models.ToEquatableArray(), immutable, readsBack, ignoredArguments.ToEquatableArray())
            {
                DefaultsMayVary = DefaultsMayVary(type, constructor),
            };
        }

        /// <summary>
        /// Whether <c>value.Name</c> on a <paramref name="type"/> would reach another member than <paramref name="member"/>
        /// of a base type: a type in between declares a member of that name that does not override it.
        /// </summary>
        private static bool HiddenBy(INamedTypeSymbol type, ISymbol member)
        {
            for (var current = type; current is not null && !SymbolEqualityComparer.Default.Equals(current, member.ContainingType); current = current.BaseType)
            {
                if (current.GetMembers(member.Name).Any(m => m is not IPropertySymbol { IsOverride: true }))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The declaration an override chain starts from: one member however many overrides rename it.</summary>
        private static ISymbol OverrideRoot(ISymbol member)
        {
            var root = member;
            while (root is IPropertySymbol { OverriddenProperty: { } overridden })
            {
                root = overridden;
            }

            return root.OriginalDefinition;
        }

        /// <summary>Whether a constructor of <paramref name="type"/> takes a parameter of that name (System.Text.Json's binding).</summary>
        private static bool TakenByAConstructor(INamedTypeSymbol type, string name)
            => type.InstanceConstructors.Any(c => c.Parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)));

        /// <summary>The member's JSON name: its <c>[JsonPropertyName]</c>, else its name.</summary>
        private string JsonName(ISymbol member)
            => KnownTypes.FindAttribute(member, _known.JsonPropertyNameAttribute)?.ConstructorArguments.FirstOrDefault().Value as string ?? member.Name;

        /// <summary>Virtual as reflection sees it: declared <c>virtual</c>, <c>abstract</c> or <c>override</c>.</summary>
        private static bool IsVirtual(IPropertySymbol property) => property.IsVirtual || property.IsAbstract || property.IsOverride;

        /// <summary>How <c>[JsonIgnore]</c> treats a member, by its <c>Condition</c> (<c>Always</c> when not given).</summary>
        private IgnoreRule Ignore(ISymbol member)
        {
            var attribute = KnownTypes.FindAttribute(member, _known.JsonIgnoreAttribute);
            if (attribute is null)
            {
                return IgnoreRule.None;
            }

            // JsonIgnoreCondition: Never 0, Always 1, WhenWritingDefault 2, WhenWritingNull 3, WhenWriting 4, WhenReading 5.
            var condition = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value as int? ?? 1;
            return condition switch
            {
                0 => IgnoreRule.None,
                2 => IgnoreRule.WhenDefault,
                3 => IgnoreRule.WhenNull,
                5 => IgnoreRule.WhenReading,
                // WhenWriting: never written, so never in what the session stores; it still holds its JSON name.
                4 => IgnoreRule.WhenWriting,
                _ => IgnoreRule.Always,
            };
        }

        private enum IgnoreRule
        {
            None,
            Always,
            WhenDefault,
            WhenNull,
            WhenReading,
            WhenWriting,
        }

        /// <summary>
        /// The constructor System.Text.Json reads with: <c>[JsonConstructor]</c> if present; for a struct, otherwise its
        /// default constructor (<see langword="null"/>); for a class, the public parameterless constructor, else its only
        /// public constructor. A class with several public constructors, none parameterless, has no constructor System.Text.Json
        /// can choose, and neither can the generator.
        /// </summary>
        private IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<ISymbol> members)
        {
            var marked = type.InstanceConstructors.FirstOrDefault(c => KnownTypes.HasAttribute(c, _known.JsonConstructorAttribute));
            if (marked is not null)
            {
                if (!_compilation.IsSymbolAccessibleWithin(marked, _within))
                {
                    _currentFailures.Add(Describe(type) + " (its [JsonConstructor] is " + marked.DeclaredAccessibility.ToString().ToLowerInvariant()
                        + ": generated code can only call a constructor it can see; " + Remedy(type, "make it public or internal") + ")");
                    _constructorReported = true;
                    return null;
                }

                return marked;
            }

            if (type.IsValueType)
            {
                return null;
            }

            var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public && !IsCopyConstructor(type, c)).ToList();
            var parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
            if (parameterless is not null)
            {
                return parameterless;
            }

            if (constructors.Count > 1)
            {
                _currentFailures.Add(Describe(type) + " (several public constructors and none without parameters: System.Text.Json cannot choose one; " + Remedy(type, "mark one [JsonConstructor]") + ")");
                _constructorReported = true;
                return null;
            }

            return constructors.FirstOrDefault();
        }

        /// <summary>The constructor parameter <paramref name="member"/> binds to, as System.Text.Json binds: by name ignoring case, and by type.</summary>
        private static int IndexOfParameter(IMethodSymbol constructor, ISymbol member)
        {
            for (var i = 0; i < constructor.Parameters.Length; i++)
            {
                if (Binds(constructor.Parameters[i], member))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool Binds(IParameterSymbol parameter, ISymbol member)
            => string.Equals(parameter.Name, member.Name, StringComparison.OrdinalIgnoreCase)
               && SymbolEqualityComparer.Default.Equals(parameter.Type, member switch
               {
                   IPropertySymbol property => property.Type,
                   IFieldSymbol field => field.Type,
                   _ => null,
               });

        /// <summary>An optional parameter's default as a C# expression of its type (what the C# compiler would pass).</summary>
        private static string DefaultExpression(IParameterSymbol parameter)
        {
            var type = Display(parameter.Type);
            var value = parameter.ExplicitDefaultValue;
            if (value is null)
            {
                return "default(" + type + ")";
            }

            var literal = value switch
            {
                bool b => b ? "true" : "false",
                string text => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true),
                char c => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(c, quote: true),
                float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F",
                double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D",
                decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
                ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
                long l => l.ToString(CultureInfo.InvariantCulture) + "L",
                uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
                System.IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                _ => "default",
            };

            // The cast gives enums and small integers their type (and unwraps Nullable<T> parameters).
            return "(" + type + ")(" + literal + ")";
        }

        /// <summary>How a type is named in a failure path.</summary>
        public static string Describe(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

        /// <summary>
        /// The fix a message suggests: <paramref name="edit"/> for a type declared in the compilation's source; for one
        /// from a referenced assembly (a package's, which the user usually cannot change), a type of their own first.
        /// </summary>
        private static string Remedy(ITypeSymbol owner, string edit)
            => owner.Locations.Any(l => l.IsInSource) || owner.ContainingAssembly is null
                ? edit
                : Describe(owner) + " is declared in " + owner.ContainingAssembly.Name + ": store a record of your own with the values you need (or a string) instead, or, if that assembly is yours, " + edit;

        /// <summary>Why a type can never be JSON, or an empty string.</summary>
        private string Reason(ITypeSymbol type)
        {
            if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol)
            {
                return " (a pointer)";
            }

            if (type.TypeKind == TypeKind.Dynamic || type.SpecialType == SpecialType.System_Object)
            {
                return " (any object: JSON cannot say which type to read back)";
            }

            if (type is ITypeParameterSymbol)
            {
                return " (a type parameter)";
            }

            if (type is IArrayTypeSymbol { Rank: > 1 })
            {
                return " (a multi-dimensional array)";
            }

            if (type is IArrayTypeSymbol)
            {
                return string.Empty;
            }

            if (type is not INamedTypeSymbol named)
            {
                return " (not a JSON shape)";
            }

            if (named.IsRefLikeType)
            {
                return " (a ref struct)";
            }

            if (HasConverter(named))
            {
                return " (it has [JsonConverter]: the generated serializer does not run converters, so its JSON would not be System.Text.Json's; remove the attribute or use a type without one)";
            }

            if (named.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
            {
                return " (a native-sized integer: System.Text.Json does not support it; use int or long)";
            }

            if (_known.ConverterTypes.Any(t => KnownTypes.Is(named, t) || KnownTypes.IsDerivedFrom(named, t)))
            {
                return " (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead)";
            }

            if (HasAnyAttribute(named, _known.JsonNumberHandlingAttribute, _known.JsonDerivedTypeAttribute, _known.JsonPolymorphicAttribute, _known.JsonObjectCreationHandlingAttribute))
            {
                return " (it has [JsonNumberHandling], [JsonDerivedType], [JsonPolymorphic] or [JsonObjectCreationHandling], which the generated serializer does not apply)";
            }

            if (named.AllInterfaces.FirstOrDefault(i => _known.SerializationCallbacks.Any(c => KnownTypes.Is(i, c))) is { } callback)
            {
                return " (it implements " + callback.Name + ", whose method System.Text.Json calls when it "
                    + (callback.Name.Contains("Deserializ") ? "reads" : "writes")
                    + " the value, and the generated serializer does not call serialization callbacks; do that work in a constructor or a property's accessors instead)";
            }

            if (named.TypeKind == TypeKind.Delegate || named.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate)
            {
                return " (a delegate)";
            }

            if (KnownTypes.IsDerivedFrom(named, _known.Stream))
            {
                return " (a stream)";
            }

            if (KnownTypes.IsDerivedFrom(named, _known.Task) || KnownTypes.Is(named, _known.ValueTask) || KnownTypes.Is(named, _known.ValueTaskOfT))
            {
                return " (a task)";
            }

            if (KnownTypes.IsDerivedFrom(named, _known.MemberInfo) || named.ContainingNamespace?.ToDisplayString() == "System.Reflection")
            {
                return " (a reflection object)";
            }

            if ((KnownTypes.Is(named, _known.Dictionary) || KnownTypes.Is(named, _known.IDictionary) || KnownTypes.Is(named, _known.IReadOnlyDictionary)
                    || KnownTypes.Is(named, _known.ImmutableDictionary) || KnownTypes.Is(named, _known.IImmutableDictionary))
                && DictionaryKeyKind(named.TypeArguments[0]) is null)
            {
                return " (dictionary keys must be strings, integers or Guids)";
            }

            if (named.TypeKind == TypeKind.Interface && !IsSupportedCollectionInterface(named))
            {
                return IsFrameworkAssembly(named.ContainingAssembly) && named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable)
                    ? UnsupportedCollection
                    : " (an interface: JSON does not say which implementation to read back; store a concrete type)";
            }

            if (named.IsAbstract && named.TypeKind != TypeKind.Interface)
            {
                // A framework collection that happens to be abstract (FrozenSet<T>, FrozenDictionary<K, V>): say what to use.
                if (IsFrameworkAssembly(named.ContainingAssembly) && named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable))
                {
                    return UnsupportedCollection;
                }

                return " (an abstract class: polymorphic hierarchies, [JsonDerivedType] included, are not generated; store a concrete type)";
            }

            if (named.TypeKind is not (TypeKind.Class or TypeKind.Struct or TypeKind.Enum or TypeKind.Interface))
            {
                return " (not a JSON shape)";
            }

            return string.Empty;
        }

        /// <summary>
        /// Instance data no member stores: fields of the type's own (not <c>[JsonIgnore]</c>d), or auto-properties that are
        /// not public. Public properties marked <c>[JsonIgnore]</c> are left out on purpose and do not count.
        /// </summary>
        private bool HoldsUnstoredState(INamedTypeSymbol type)
            => type.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic && !f.IsConst
                && (f.AssociatedSymbol is null
                    ? !f.IsImplicitlyDeclared && Ignore(f) != IgnoreRule.Always
                    : f.AssociatedSymbol.DeclaredAccessibility != Accessibility.Public));

        /// <summary>
        /// Whether a value of <paramref name="type"/> can change after it is built other than through the members it
        /// stores (<paramref name="stored"/>, judged by their own types): a field that is not readonly (of a class: a
        /// struct's fields change on a copy), a readonly field of a type whose content can change, a captured primary
        /// constructor parameter. A compiled base or type other than the framework's shows none of its private state,
        /// so it counts as changeable.
        /// </summary>
        private bool HasOtherChangeableState(INamedTypeSymbol type, List<ISymbol> stored)
        {
            var storedMembers = new HashSet<ISymbol>(stored.Select(m => m.OriginalDefinition), SymbolEqualityComparer.Default);
            for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                if (current.DeclaringSyntaxReferences.IsEmpty)
                {
                    return !IsFrameworkAssembly(current.ContainingAssembly);
                }

                if (CapturesPrimaryConstructorParameter(current))
                {
                    return true;
                }

                foreach (var field in current.GetMembers().OfType<IFieldSymbol>())
                {
                    if (field.IsStatic || field.IsConst)
                    {
                        continue;
                    }

                    // An auto-property without a setter, or with init only, keeps its value once built.
                    var readOnly = field.IsReadOnly || field.AssociatedSymbol is IPropertySymbol { SetMethod: null or { IsInitOnly: true } };
                    if (!readOnly && !type.IsValueType)
                    {
                        return true;
                    }

                    if (field.AssociatedSymbol is { } property && storedMembers.Contains(property.OriginalDefinition))
                    {
                        continue;
                    }

                    if (storedMembers.Contains(field.OriginalDefinition) || IsUnchangeableScalar(field.Type))
                    {
                        continue;
                    }

                    return true;
                }
            }

            return false;
        }

        /// <summary>A type whose values have no state that can change: numbers, strings, enums, dates, times, Guids.</summary>
        private bool IsUnchangeableScalar(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                type = nullable.TypeArguments[0];
            }

            return type.TypeKind == TypeKind.Enum
                || type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
                    or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
                    or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
                    or SpecialType.System_Decimal or SpecialType.System_String or SpecialType.System_DateTime
                    or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
                || KnownTypes.Is(type, _known.Guid) || KnownTypes.Is(type, _known.DateTimeOffset) || KnownTypes.Is(type, _known.DateOnly)
                || KnownTypes.Is(type, _known.TimeOnly) || KnownTypes.Is(type, _known.TimeSpan) || KnownTypes.Is(type, _known.Uri);
        }

        /// <summary>
        /// Whether a member of <paramref name="type"/> (source) uses a primary constructor parameter outside an
        /// initializer, which C# keeps in a hidden field that methods can change. A parameter named like a member of the
        /// type (a record's positional property) is not captured: the member is what such a name means in member bodies.
        /// </summary>
        private static bool CapturesPrimaryConstructorParameter(INamedTypeSymbol type)
        {
            // The parameters are in scope in every partial declaration of the type, not only the one that lists them.
            var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
            var names = new HashSet<string>(declarations.SelectMany(d => d.ParameterList?.Parameters ?? default(SeparatedSyntaxList<ParameterSyntax>)).Select(p => p.Identifier.ValueText), StringComparer.Ordinal);
            for (var current = type; current is not null && names.Count > 0; current = current.BaseType)
            {
                names.ExceptWith(current.MemberNames);
            }

            if (names.Count == 0)
            {
                return false;
            }

            foreach (var declaration in declarations)
            {
                foreach (var member in declaration.Members)
                {
                    if (member is BaseTypeDeclarationSyntax)
                    {
                        continue;
                    }

                    foreach (var name in member.DescendantNodes().OfType<IdentifierNameSyntax>())
                    {
                        if (names.Contains(name.Identifier.ValueText) && !IsInitializerUse(name))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>Whether a name is used directly in a field or property initializer (run once, by the constructor), not in code run later.</summary>
        private static bool IsInitializerUse(SyntaxNode node)
        {
            for (var current = node.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        return false;
                    case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax } or PropertyDeclarationSyntax }:
                        return true;
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether reading a value whose JSON lacks a member may give a different value each time: the type fills such a
        /// member in with code of its own that may vary (an initializer such as <c>DateTime.UtcNow</c> or
        /// <c>Guid.NewGuid()</c>, or <c>new()</c> of a type that has one; a constructor body; a getter that assigns,
        /// as a lazy one does), or its code cannot be seen (a compiled type other than the framework's). Constants,
        /// literals, and what is built from them do not vary.
        /// </summary>
        private bool DefaultsMayVary(INamedTypeSymbol type, IMethodSymbol? constructor)
            => ConstructionMayVary(type, constructor ?? ParameterlessConstructor(type), new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

        /// <summary>A struct's (or class's) parameterless constructor declared in source, which <c>new T()</c> runs.</summary>
        private static IMethodSymbol? ParameterlessConstructor(INamedTypeSymbol type)
            => type.InstanceConstructors.FirstOrDefault(c => c.Parameters.IsEmpty && !c.IsImplicitlyDeclared);

        /// <summary>See <see cref="DefaultsMayVary"/>; <paramref name="visiting"/> stops a type that builds itself.</summary>
        private bool ConstructionMayVary(ITypeSymbol type, IMethodSymbol? constructor, HashSet<ITypeSymbol> visiting)
        {
            if (type is ITypeParameterSymbol)
            {
                // new T(): any type at all.
                return true;
            }

            if (type is not INamedTypeSymbol named)
            {
                return false;
            }

            if (named.DeclaringSyntaxReferences.IsEmpty)
            {
                return !IsFrameworkAssembly(named.ContainingAssembly);
            }

            if (!visiting.Add(named.OriginalDefinition))
            {
                return false;
            }

            if (constructor is not null && HasBody(constructor))
            {
                return true;
            }

            for (var current = named; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
            {
                if (current.DeclaringSyntaxReferences.IsEmpty)
                {
                    return !IsFrameworkAssembly(current.ContainingAssembly);
                }

                if (!SymbolEqualityComparer.Default.Equals(current, named) && current.InstanceConstructors.Any(HasBody))
                {
                    return true;
                }

                // A primary constructor passing something that varies to its base's (record Order(...) : Entity(Guid.NewGuid())).
                foreach (var reference in current.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is TypeDeclarationSyntax { BaseList: { } baseList }
                        && baseList.Types.OfType<PrimaryConstructorBaseTypeSyntax>().FirstOrDefault() is { } baseCall
                        && baseCall.ArgumentList.Arguments.Count > 0
                        && (ModelOf(baseCall.SyntaxTree) is not { } baseModel || baseCall.ArgumentList.Arguments.Any(a => MayVary(a.Expression, baseModel, visiting))))
                    {
                        return true;
                    }
                }

                foreach (var member in current.GetMembers())
                {
                    if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol))
                    {
                        continue;
                    }

                    foreach (var reference in member.DeclaringSyntaxReferences)
                    {
                        var syntax = reference.GetSyntax();
                        var initializer = syntax switch
                        {
                            VariableDeclaratorSyntax variable => variable.Initializer?.Value,
                            PropertyDeclarationSyntax property => property.Initializer?.Value,
                            _ => null,
                        };
                        if (initializer is not null && (ModelOf(initializer.SyntaxTree) is not { } model || MayVary(initializer, model, visiting)))
                        {
                            return true;
                        }

                        if (syntax is PropertyDeclarationSyntax declaration && GetterAssigns(declaration))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        /// <summary>
        /// Whether a setter (or <c>init</c>) in source does more than store the value: assigns something that may vary,
        /// increments, or calls a method. Conservative: <c>_name = value.Trim()</c> counts too.
        /// </summary>
        private bool SetterMayVary(IMethodSymbol setter)
        {
            foreach (var reference in setter.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not AccessorDeclarationSyntax accessor)
                {
                    continue;
                }

                SyntaxNode? body = (SyntaxNode?)accessor.Body ?? accessor.ExpressionBody;
                if (body is null)
                {
                    continue;
                }

                if (ModelOf(body.SyntaxTree) is not { } model)
                {
                    return true;
                }

                foreach (var node in body.DescendantNodesAndSelf())
                {
                    if (node is AssignmentExpressionSyntax assignment && MayVary(assignment.Right, model, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)))
                    {
                        return true;
                    }

                    if (node.IsKind(SyntaxKind.PreIncrementExpression) || node.IsKind(SyntaxKind.PreDecrementExpression)
                        || node.IsKind(SyntaxKind.PostIncrementExpression) || node.IsKind(SyntaxKind.PostDecrementExpression)
                        || (node is InvocationExpressionSyntax && node.Parent is ExpressionStatementSyntax or ArrowExpressionClauseSyntax))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>Whether a property's getter assigns anything (a lazy getter filling in its field on first use).</summary>
        private static bool GetterAssigns(PropertyDeclarationSyntax property)
        {
            SyntaxNode? body = property.ExpressionBody;
            if (body is null && property.AccessorList is { } accessors)
            {
                body = accessors.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)) is { } getter
                    ? (SyntaxNode?)getter.Body ?? getter.ExpressionBody
                    : null;
            }

            return body is not null && body.DescendantNodesAndSelf().Any(n => n is AssignmentExpressionSyntax
                || n.IsKind(SyntaxKind.PreIncrementExpression) || n.IsKind(SyntaxKind.PreDecrementExpression)
                || n.IsKind(SyntaxKind.PostIncrementExpression) || n.IsKind(SyntaxKind.PostDecrementExpression));
        }

        /// <summary>
        /// The semantic model of <paramref name="tree"/>, or <see langword="null"/> for a tree of another compilation: in
        /// an IDE a referenced project's types show their source, which this compilation cannot bind (such code counts as
        /// unseen, as a compiled type's does).
        /// </summary>
        private SemanticModel? ModelOf(SyntaxTree tree)
        {
            if (!_models.TryGetValue(tree, out var model))
            {
                model = _compilation.ContainsSyntaxTree(tree) ? _compilation.GetSemanticModel(tree) : null;
                _models[tree] = model;
            }

            return model;
        }

        /// <summary>Whether a constructor runs code of the user's: a body, or a call to another constructor.</summary>
        private static bool HasBody(IMethodSymbol constructor)
            => constructor.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax c
                && (c.Initializer is not null || c.ExpressionBody is not null || c.Body is { Statements.Count: > 0 }));

        /// <summary>Whether an initializer may give another value each time it runs: anything but constants and what is built from them.</summary>
        private bool MayVary(ExpressionSyntax expression, SemanticModel model, HashSet<ITypeSymbol> visiting)
        {
            switch (expression)
            {
                case LiteralExpressionSyntax or DefaultExpressionSyntax or TypeOfExpressionSyntax or SizeOfExpressionSyntax:
                    return false;
                case ParenthesizedExpressionSyntax parenthesized:
                    return MayVary(parenthesized.Expression, model, visiting);
                case PrefixUnaryExpressionSyntax unary:
                    return MayVary(unary.Operand, model, visiting);
                case BinaryExpressionSyntax binary:
                    return MayVary(binary.Left, model, visiting) || MayVary(binary.Right, model, visiting);
                case CastExpressionSyntax cast:
                    return MayVary(cast.Expression, model, visiting);
                case ConditionalExpressionSyntax conditional:
                    return MayVary(conditional.Condition, model, visiting) || MayVary(conditional.WhenTrue, model, visiting) || MayVary(conditional.WhenFalse, model, visiting);
                case PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed:
                    return MayVary(suppressed.Operand, model, visiting);
                case CollectionExpressionSyntax collection:
                    return collection.Elements.Any(e => e is not ExpressionElementSyntax element || MayVary(element.Expression, model, visiting));
                case BaseObjectCreationExpressionSyntax creation:
                    // new() of a type whose own members vary (a nested DateTime.UtcNow) varies too.
                    return (creation.ArgumentList?.Arguments.Any(a => MayVary(a.Expression, model, visiting)) ?? false)
                        || (creation.Initializer is { } objectInitializer && MayVary(objectInitializer, model, visiting))
                        || (model.GetTypeInfo(creation).Type is { } created
                            && ConstructionMayVary(created, model.GetSymbolInfo(creation).Symbol as IMethodSymbol, new HashSet<ITypeSymbol>(visiting, SymbolEqualityComparer.Default)));
                case ArrayCreationExpressionSyntax array:
                    return array.Type.RankSpecifiers.Any(r => r.Sizes.Any(size => size is not OmittedArraySizeExpressionSyntax && MayVary(size, model, visiting)))
                        || (array.Initializer is { } arrayInitializer && MayVary(arrayInitializer, model, visiting));
                case ImplicitArrayCreationExpressionSyntax implicitArray:
                    return MayVary(implicitArray.Initializer, model, visiting);
                case InitializerExpressionSyntax initializer:
                    return initializer.Expressions.Any(e => MayVary(e, model, visiting));
                case AssignmentExpressionSyntax assignment:
                    return MayVary(assignment.Right, model, visiting);
                case InterpolatedStringExpressionSyntax interpolated:
                    return interpolated.Contents.OfType<InterpolationSyntax>().Any(i => MayVary(i.Expression, model, visiting));
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } invocation
                    when model.GetSymbolInfo(invocation).Symbol is null:
                    return false;
                case IdentifierNameSyntax or MemberAccessExpressionSyntax or QualifiedNameSyntax:
                    // Constants and enum members, static readonly fields (string.Empty), primary constructor parameters.
                    return model.GetSymbolInfo(expression).Symbol is not (IFieldSymbol { IsConst: true } or IFieldSymbol { IsStatic: true, IsReadOnly: true } or IParameterSymbol);
                default:
                    return true;
            }
        }

        private static bool IsFrameworkAssembly(IAssemblySymbol? assembly)
            => assembly is not null && (assembly.Name == "netstandard" || assembly.Name == "mscorlib"
                || assembly.Name == "System" || assembly.Name.StartsWith("System.", StringComparison.Ordinal)
                || assembly.Name.StartsWith("Microsoft.", StringComparison.Ordinal));

        /// <summary>Whether a property keeps its value in a compiler-generated field (an auto-property), as opposed to computing it.</summary>
        private static bool IsAutoProperty(IPropertySymbol property)
            => property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

        private static bool HasAnyAttribute(ISymbol symbol, params INamedTypeSymbol?[] attributes)
            => attributes.Any(a => KnownTypes.HasAttribute(symbol, a));

        /// <summary>Whether a type or member carries <c>[JsonConverter]</c> (or an attribute derived from it).</summary>
        private bool HasConverter(ISymbol symbol)
            => _known.JsonConverterAttribute is { } converter && symbol.GetAttributes().Any(a => a.AttributeClass is { } attribute && KnownTypes.IsDerivedFrom(attribute, converter));

        /// <summary>The kind of a dictionary key the generated code writes as System.Text.Json does, or <see langword="null"/>.</summary>
        private JsonTypeKind? DictionaryKeyKind(ITypeSymbol key) => key.SpecialType switch
        {
            SpecialType.System_String => JsonTypeKind.String,
            SpecialType.System_Byte => JsonTypeKind.Byte,
            SpecialType.System_SByte => JsonTypeKind.SByte,
            SpecialType.System_Int16 => JsonTypeKind.Int16,
            SpecialType.System_UInt16 => JsonTypeKind.UInt16,
            SpecialType.System_Int32 => JsonTypeKind.Int32,
            SpecialType.System_UInt32 => JsonTypeKind.UInt32,
            SpecialType.System_Int64 => JsonTypeKind.Int64,
            SpecialType.System_UInt64 => JsonTypeKind.UInt64,
            _ => KnownTypes.Is(key, _known.Guid) ? JsonTypeKind.Guid : null,
        };

        private bool IsSupportedCollectionInterface(INamedTypeSymbol type)
            => type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
               || KnownTypes.Is(type, _known.IList) || KnownTypes.Is(type, _known.ICollection) || KnownTypes.Is(type, _known.IReadOnlyList)
               || KnownTypes.Is(type, _known.IReadOnlyCollection) || KnownTypes.Is(type, _known.ISet) || KnownTypes.Is(type, _known.IReadOnlySet)
               || KnownTypes.Is(type, _known.IDictionary) || KnownTypes.Is(type, _known.IReadOnlyDictionary)
               || KnownTypes.Is(type, _known.IImmutableList) || KnownTypes.Is(type, _known.IImmutableSet) || KnownTypes.Is(type, _known.IImmutableDictionary);

        private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor)
            => constructor.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, type);
    }
}
