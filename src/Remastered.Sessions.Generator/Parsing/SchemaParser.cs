using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// Turns a schema class symbol into a <see cref="SchemaModel"/>. A schema the generator cannot fully generate still
    /// gets a model that implements its key properties, so that the user's code compiles and the analyzer's diagnostic is
    /// the only error; only where nothing can compile (a type that is not partial) does the generator report instead.
    /// </summary>
    internal static class SchemaParser
    {
        /// <summary>C# 13, the first version with partial properties (not named in Roslyn 4.8's enum).</summary>
        public const int CSharp13 = 1300;

        /// <summary>Types as generated code declares properties: fully qualified, keywords escaped, nullable annotations kept.</summary>
        public static readonly SymbolDisplayFormat AnnotatedTypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static ParseResult? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol schema || !IsClassDeclaration(context.TargetNode))
            {
                return null;
            }

            // [Session] repeated on another partial declaration of the same class (CS0579, the user's to fix) finds the
            // schema once more: only the declaration with its first application is parsed, so the code is generated
            // once (two files of one name would make Roslyn drop every schema's code).
            if (context.Attributes.Length > 0 && FirstSessionAttributeElsewhere(schema, context, cancellationToken))
            {
                return null;
            }

            // Before C# 13 a key property is a compiler error, and compiler errors keep the analyzer from running: the
            // generator itself reports RMS010, at the declaration that carries [Session] (one per schema: it is not
            // AllowMultiple, and only declarations carrying it reach the parser).
            var languageVersion = ((CSharpParseOptions)context.TargetNode.SyntaxTree.Options).LanguageVersion;
            if ((int)languageVersion < CSharp13)
            {
                return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.LanguageVersionTooLow, ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation(), schema.Name, languageVersion.ToDisplayString()) }.ToEquatableArray());
            }

            // A file-local type cannot be extended from another file, which is where generated code lives: nothing is
            // generated (a part of another type would only add errors), and RMS014 says why.
            if (schema.IsFileLocal || ContainingTypes(schema).Any(t => t.IsFileLocal))
            {
                return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.SchemaNotInstantiable, ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation(), schema.Name, FileLocalReason) }.ToEquatableArray());
            }

            var known = KnownTypes.Get(context.SemanticModel.Compilation);
            var definitions = new List<(IPropertySymbol Property, PropertyDeclarationSyntax Definition, bool IsFlash, string KeyName)>();
            var definitionParts = new List<string>();
            foreach (var member in schema.GetMembers())
            {
                if (member is IPropertySymbol { IsIndexer: true } indexer && TryGetKeyAttribute(indexer, known, out _, out _)
                    && ThrowingIndexer(indexer, context.SemanticModel.Compilation, cancellationToken) is { } indexerPart)
                {
                    // RMS003: an indexer cannot be a key. Implemented, throwing, so that RMS003 is the error shown.
                    definitionParts.Add(indexerPart);
                }
                else if (member is IPropertySymbol property && TryGetKeyAttribute(property, known, out var attribute, out var isFlash)
                    && PartialDefinition(property, cancellationToken) is { } definition)
                {
                    if (definition.Modifiers.Any(SyntaxKind.ExternKeyword))
                    {
                        // An extern key alone is an implementation without a definition (CS9249, which would hide RMS003):
                        // the generator declares the definition, so the user's code compiles and RMS003 is the error.
                        definitionParts.Add(DefinitionPart(property, definition));
                    }
                    else if (!HasOwnImplementation(property, cancellationToken) && !property.IsAbstract
                        && definition.ExplicitInterfaceSpecifier is null && FileLocalTypeIn(property.Type) is null)
                    {
                        // Implemented by the user (RMS003), abstract (CS0750), an explicit interface implementation
                        // (CS0754, RMS003), or of a file-local type that generated code in another file cannot name
                        // (CS9051, RMS001): an implementation would only add errors.
                        definitions.Add((property, definition, isFlash, KeyName(property, attribute)));
                    }
                }
            }

            // A type that is not partial cannot receive generated members. Its partial key properties are then compiler
            // errors, and compiler errors keep the analyzer from running, so the generator itself reports RMS002.
            var notPartial = new[] { schema }.Concat(ContainingTypes(schema)).FirstOrDefault(t => !IsPartial(t, cancellationToken));
            if (notPartial is not null)
            {
                if (definitions.Count == 0)
                {
                    return null;
                }

                var location = notPartial.Locations.FirstOrDefault() ?? Location.None;
                return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.SchemaNotPartial, location, schema.Name) }.ToEquatableArray());
            }

            // A static schema's instance keys are already compiler errors: say why, and generate nothing more.
            if (schema.IsStatic)
            {
                var location = schema.Locations.FirstOrDefault() ?? Location.None;
                return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.SchemaNotInstantiable, location, schema.Name, "is static; declare it as a non-static class") }.ToEquatableArray());
            }

            var diagnostics = new List<DiagnosticInfo>();
            var containing = ContainingTypes(schema).Reverse().Select(t => "partial " + Keyword(t) + " " + Names.Escape(t.Name) + TypeParameters(t)).ToList();
            var storage = context.Attributes[0].AttributeClass is { TypeArguments.Length: 1 } attributeClass ? attributeClass.TypeArguments[0] : null;
            var isGeneric = schema.IsGenericType || ContainingTypes(schema).Any(t => t.IsGenericType);
            string? invalid = null;
            if (isGeneric)
            {
                invalid = "Session schema " + schema.Name + " is generic or nested in a generic type (RMS009).";
            }

            if (!StorageShape.TryRead(storage, known, out var kind, out var storageInterface))
            {
                invalid ??= "Session schema " + schema.Name + " names a storage that is not a session storage (RMS008).";
            }

            // An abstract schema compiles, but nothing can create its sessions: its keys are implemented, throwing, and
            // the generator reports RMS014 (the analyzer would be silenced by any other error in the build).
            if ((NotInstantiableReason(schema, known) ?? VarTypeReason(context.SemanticModel, (TypeDeclarationSyntax)context.TargetNode)) is { } cannotCreate)
            {
                invalid ??= "Session schema " + schema.Name + " cannot be created by LoadAsync: it " + cannotCreate + " (RMS014).";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SchemaNotInstantiable, ((TypeDeclarationSyntax)context.TargetNode).Identifier.GetLocation(), schema.Name, cannotCreate));
            }

            var taken = TakenNames(schema);
            var graph = new JsonTypeGraph(context.SemanticModel.Compilation, known, schema);
            var keys = new List<KeyModel>();
            var cases = new List<UnionCaseModel>();
            // One case per type as C# sees types: those with an identity conversion between them (differing only in
            // nullable annotations, tuple element names, or dynamic for object) would be duplicate conversions.
            var caseTypes = new List<(ITypeSymbol Type, UnionCaseModel Case)>();
            var caseNames = new HashSet<string>(System.StringComparer.Ordinal) { "Value", "AsObject", "ToJson", "StoreIn", "Item", "SessionJsonConverter", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals" };
            var unionAccessibility = MemberAccessibility.Public;
            foreach (var (property, definition, isFlash, keyName) in definitions)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? helper = null;
                string? notStorable = null;
                var tracking = ValueTracking.None;
                string? versionReader = null;
                var unholdable = UnholdableReason(property.Type);
                if (unholdable is not null)
                {
                    // No storage can hold it (it cannot be boxed or kept past the call): the key compiles, throwing.
                    notStorable = UnholdableMessage(schema.Name, property, unholdable);
                }
                else if (invalid is null && kind == StorageValueKind.Json)
                {
                    helper = graph.Add(property.Type);
                    if (helper is null)
                    {
                        notStorable = NotStorableMessage(schema.Name, property.Name, graph.Failures(property.Type).FirstOrDefault() ?? JsonTypeGraph.Describe(property.Type), storage!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                    }
                    else
                    {
                        var model = graph.Find(helper)!;
                        versionReader = VersionReader(model, graph);
                        tracking = !model.IsImmutable ? (model.ReadsBack || versionReader is not null ? ValueTracking.Compare : ValueTracking.CompareWithRead)
                            // A struct that does not read back every member keeps the value set or read for the
                            // request, as a C# property would (RMS015 says what the next request loses).
                            : property.Type.IsReferenceType || !model.ReadsBack ? ValueTracking.Identity : ValueTracking.None;
                    }
                }

                UnionCaseModel? unionCase;
                if (unholdable is not null)
                {
                    // Not a case of the union either: a ref struct cannot be a class's member, a pointer not an object.
                    unionCase = null;
                }
                else if ((unionCase = FindCase(caseTypes, property.Type, context.SemanticModel.Compilation)) is null)
                {
                    var caseName = Names.CaseName(property.Type);
                    var candidate = caseName;
                    for (var i = 2; caseNames.Contains(candidate) || caseNames.Contains("From" + candidate); i++)
                    {
                        candidate = caseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }

                    caseNames.Add(candidate);
                    caseNames.Add("From" + candidate);
                    unionCase = new UnionCaseModel(candidate, JsonTypeGraph.Display(property.Type), property.Type.IsValueType && property.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T, CanConvertImplicitly(property.Type), helper, notStorable, tracking, versionReader);
                    caseTypes.Add((property.Type, unionCase));
                    cases.Add(unionCase);
                    unionAccessibility = Narrowest(unionAccessibility, Accessibility(property.Type));
                }

                var accessors = definition.AccessorList!.Accessors;
                var getter = accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.GetAccessorDeclaration));
                var setter = accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration));
                keys.Add(new KeyModel(
                    Names.Escape(property.Name),
                    property.Name,
                    keyName,
                    Names.TypeText(property.Type, AnnotatedTypeFormat),
                    PatternType(property.Type),
                    HelperAccessibility(property.DeclaredAccessibility, schema.IsSealed),
                    isFlash,
                    property.Type.IsValueType && property.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T,
                    unionCase?.CaseName ?? string.Empty,
                    helper,
                    notStorable,
                    tracking,
                    versionReader,
                    property.IsStatic,
                    property.ReturnsByRef || property.ReturnsByRefReadonly,
                    getter is not null,
                    setter is not null,
                    setter?.IsKind(SyntaxKind.InitAccessorDeclaration) == true,
                    ModifierText(definition.Modifiers) + RefText(definition.Type),
                    getter is null ? string.Empty : ModifierText(getter.Modifiers),
                    setter is null ? string.Empty : ModifierText(setter.Modifiers),
                    // A pointer needs an unsafe context, which the user's unsafe class gives only to its own part.
                    ContainsPointer(property.Type)));
            }

            // What the user's declarations use, they suppress themselves; generated code uses it again, and more.
            var experimentalIds = new SortedSet<string>(graph.ExperimentalIds, System.StringComparer.Ordinal);
            foreach (var (property, _, _, _) in definitions)
            {
                UsageAttributes.CollectExperimentalIdsOfType(property.Type, known, experimentalIds);
            }

            var ns = schema.ContainingNamespace.IsGlobalNamespace ? null : string.Join(".", NamespaceParts(schema.ContainingNamespace).Select(Names.Escape));
            var hint = schema.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty).Replace("@", string.Empty).Replace('<', '{').Replace('>', '}') + ".g.cs";
            var className = Names.Escape(schema.Name) + TypeParameters(schema);
            var model2 = new SchemaModel(
                ns,
                hint,
                containing.ToEquatableArray(),
                "partial " + Keyword(schema) + " " + className,
                className,
                schema.Name,
                invalid,
                invalid is null ? Names.TypeText(storage!, SymbolDisplayFormat.FullyQualifiedFormat) : string.Empty,
                kind,
                invalid is null ? Names.TypeText(storageInterface.TypeArguments[0], AnnotatedTypeFormat) : string.Empty,
                invalid is null ? Names.TypeText(storageInterface.TypeArguments[1], AnnotatedTypeFormat) : string.Empty,
                keys.ToEquatableArray(),
                invalid is null ? cases.ToEquatableArray() : EquatableArray<UnionCaseModel>.Empty,
                invalid is null && kind == StorageValueKind.Json ? graph.Types.ToEquatableArray() : EquatableArray<JsonTypeModel>.Empty,
                taken.OrderBy(n => n, System.StringComparer.Ordinal).ToEquatableArray(),
                unionAccessibility,
                known.AspNetCoreSessionAccessor is not null,
                experimentalIds.ToEquatableArray(),
                !schema.IsSealed && schema.InstanceConstructors.All(c => c.IsImplicitlyDeclared),
                definitionParts.ToEquatableArray());
            return new ParseResult(model2, diagnostics.ToEquatableArray());
        }

        /// <summary>The union case already made for a type identical to <paramref name="type"/> as far as C# conversions go.</summary>
        private static UnionCaseModel? FindCase(List<(ITypeSymbol Type, UnionCaseModel Case)> cases, ITypeSymbol type, Compilation compilation)
        {
            foreach (var (existing, unionCase) in cases)
            {
                if (SymbolEqualityComparer.Default.Equals(existing, type) || compilation.ClassifyCommonConversion(type, existing).IsIdentity)
                {
                    return unionCase;
                }
            }

            return null;
        }

        /// <summary>
        /// Lists whose items cannot change in place are unchanged while their modification counter stays put. Arrays have
        /// no counter, mutable items change without touching it, and dictionaries and sets do not count every change (an
        /// overwritten dictionary value leaves the counter alone), so those are compared by their JSON.
        /// </summary>
        private static string? VersionReader(JsonTypeModel model, JsonTypeGraph graph)
        {
            var element = graph.Find(model.ElementHelper);
            if (element is null || !element.IsImmutable)
            {
                return null;
            }

            return model.Kind == JsonTypeKind.List ? "static v => global::Remastered.Sessions.Schemas.Support.SchemaValues.ListVersion(v)" : null;
        }

        /// <summary>RMS014's reason for a schema declared <c>file</c>.</summary>
        public const string FileLocalReason = "is declared 'file', and its generated half lives in another file, which cannot extend a file-local type; make it internal";

        /// <summary>
        /// Why no storage can hold a value of <paramref name="type"/> at all (memory storages included), or
        /// <see langword="null"/>: a ref struct cannot be boxed or kept in a class, a pointer is not an object.
        /// </summary>
        public static string UnholdableMessage(string schemaName, IPropertySymbol property, string reason)
            => schemaName + "." + property.Name + " -> " + JsonTypeGraph.Describe(property.Type) + reason + " cannot be stored in a session";

        /// <summary>The reason of <see cref="UnholdableMessage"/>, or <see langword="null"/> for a type some storage can hold.</summary>
        public static string? UnholdableReason(ITypeSymbol type)
            => type.IsRefLikeType ? " (a ref struct)" : ContainsPointer(type) ? " (a pointer)"
                : FileLocalTypeIn(type) is { } fileLocal ? " (" + fileLocal.Name + " is file-local: the generated code, in another file, cannot name it)" : null;

        /// <summary>A file-local type (declared <c>file</c>) that <paramref name="type"/> is or mentions, or <see langword="null"/>.</summary>
        public static INamedTypeSymbol? FileLocalTypeIn(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return FileLocalTypeIn(array.ElementType);
                case INamedTypeSymbol named:
                    for (var t = named; t is not null; t = t.ContainingType)
                    {
                        if (t.IsFileLocal)
                        {
                            return t;
                        }
                    }

                    foreach (var argument in named.TypeArguments)
                    {
                        if (FileLocalTypeIn(argument) is { } inArgument)
                        {
                            return inArgument;
                        }
                    }

                    return null;
                default:
                    return null;
            }
        }

        private static bool ContainsPointer(ITypeSymbol type)
            => type switch
            {
                IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
                IArrayTypeSymbol array => ContainsPointer(array.ElementType),
                _ => false,
            };

        /// <summary>
        /// Why the generated constructor cannot create the schema, or <see langword="null"/>: an abstract schema; one
        /// derived from another schema (each schema's generated members are its own); one whose base class has no
        /// parameterless constructor the generated constructor could call.
        /// </summary>
        private static string? NotInstantiableReason(INamedTypeSymbol schema, KnownTypes known)
        {
            if (schema.IsAbstract)
            {
                return "is abstract; declare it as a non-abstract class";
            }

            for (var ancestor = schema.BaseType; ancestor is not null && ancestor.SpecialType != SpecialType.System_Object; ancestor = ancestor.BaseType)
            {
                if (ancestor.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.SessionAttribute)))
                {
                    return "derives from the session schema '" + ancestor.Name + "'; a schema cannot extend another (share a base class without [Session] instead)";
                }
            }

            if (schema.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax { ParameterList: not null }))
            {
                return "has a primary constructor, whose parameters the generated constructor cannot supply; take services in the request instead";
            }

            var baseType = schema.BaseType;
            if (baseType is not null && baseType.SpecialType != SpecialType.System_Object
                && !baseType.InstanceConstructors.Any(c => c.Parameters.All(p => p.IsOptional || p.IsParams)
                    && c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Protected or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal or Microsoft.CodeAnalysis.Accessibility.Internal))
            {
                return "derives from '" + baseType.Name + "', which has no parameterless constructor for the generated constructor to call; give it one (it may be protected)";
            }

            return null;
        }

        /// <summary>
        /// A type named <c>var</c> where the generated half is compiled: every implicitly typed local of generated code
        /// would bind to it. Pathological, but compiling for the user (with a warning), so reported instead of breaking.
        /// </summary>
        private static string? VarTypeReason(SemanticModel model, TypeDeclarationSyntax declaration)
        {
            // Only what the generated file sees too: types of the schema's namespaces and enclosing types, not what the
            // user's file imports with using directives.
            var schemaNamespace = model.GetDeclaredSymbol(declaration)?.ContainingNamespace;
            return model.LookupNamespacesAndTypes(declaration.OpenBraceToken.Span.End, name: "var")
                .Any(s => s is ITypeSymbol type && (type.ContainingType is not null || Encloses(type.ContainingNamespace, schemaNamespace)))
                ? "has a type named 'var' in scope, which the generated code's implicitly typed locals would bind to; rename that type"
                : null;

            static bool Encloses(INamespaceSymbol? outer, INamespaceSymbol? inner)
            {
                for (var current = inner; current is not null; current = current.ContainingNamespace)
                {
                    if (SymbolEqualityComparer.Default.Equals(current, outer))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <summary>Whether a node declares a class or a record class: what <c>[Session]</c> (for classes only) can mark.</summary>
        public static bool IsClassDeclaration(SyntaxNode node)
            => node is ClassDeclarationSyntax || (node is RecordDeclarationSyntax record && !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword));

        /// <summary>
        /// The implementing declaration of a partial indexer marked as a key, with accessors that throw; <see langword="null"/>
        /// when it is not a partial definition the user left unimplemented.
        /// </summary>
        private static string? ThrowingIndexer(IPropertySymbol indexer, Compilation compilation, CancellationToken cancellationToken)
        {
            var declarations = indexer.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<IndexerDeclarationSyntax>().ToList();
            var definition = declarations.FirstOrDefault(d => d.Modifiers.Any(SyntaxKind.PartialKeyword) && !d.Modifiers.Any(SyntaxKind.ExternKeyword)
                && d.ExpressionBody is null && d.AccessorList is { } list && list.Accessors.All(a => a.Body is null && a.ExpressionBody is null));

            // Implemented by the user: another partial indexer declaration with the same parameter types (a class may
            // have several indexers, keys or not, so the parameter count alone does not say which one it implements).
            var implemented = indexer.ContainingType.DeclaringSyntaxReferences
                .Where(r => !IsGeneratedHere(r.SyntaxTree)).Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>()
                .SelectMany(t => t.Members.OfType<IndexerDeclarationSyntax>())
                .Any(d => d != definition && d.Modifiers.Any(SyntaxKind.PartialKeyword) && d.ParameterList.Parameters.Count == indexer.Parameters.Length
                    && compilation.GetSemanticModel(d.SyntaxTree).GetDeclaredSymbol(d, cancellationToken) is { } other
                    && other.Parameters.Select(p => p.Type).SequenceEqual(indexer.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default));
            if (definition is null || implemented)
            {
                return null;
            }

            var parameters = indexer.Parameters.Select(p => (p.IsParams ? "params " : string.Empty) + (p.RefKind == RefKind.In ? "in " : string.Empty)
                + Names.TypeText(p.Type, AnnotatedTypeFormat) + " " + Names.Escape(p.Name));
            const string Throw = " => throw new global::System.InvalidOperationException(\"An indexer cannot be a session key (RMS003).\");";
            var accessors = definition.AccessorList!.Accessors.Select(a => ModifierText(a.Modifiers) + a.Keyword.Text + Throw);
            return ModifierText(definition.Modifiers) + RefText(definition.Type) + Names.TypeText(indexer.Type, AnnotatedTypeFormat)
                + " this[" + string.Join(", ", parameters) + "] { " + string.Join(" ", accessors) + " }";
        }

        /// <summary>
        /// <c>public partial int? Count { get; set; }</c>: the defining declaration of a key the user declared only as an
        /// <c>extern</c> implementation, with its modifiers (but <c>extern</c>), type and accessors.
        /// </summary>
        private static string DefinitionPart(IPropertySymbol property, PropertyDeclarationSyntax declaration)
        {
            var modifiers = ModifierText(SyntaxFactory.TokenList(declaration.Modifiers.Where(m => !m.IsKind(SyntaxKind.ExternKeyword))));
            var accessors = declaration.AccessorList!.Accessors.Select(a => ModifierText(a.Modifiers) + a.Keyword.Text + ";");
            return modifiers + RefText(declaration.Type) + Names.TypeText(property.Type, AnnotatedTypeFormat) + " " + Names.Escape(property.Name) + " { " + string.Join(" ", accessors) + " }";
        }

        /// <summary>The <c>ref</c> or <c>ref readonly</c> of a property that returns by reference, as the implementation must repeat it.</summary>
        private static string RefText(TypeSyntax type)
            => type is RefTypeSyntax reference ? (reference.ReadOnlyKeyword.IsKind(SyntaxKind.ReadOnlyKeyword) ? "ref readonly " : "ref ") : string.Empty;

        /// <summary>Modifiers as declared (accessibility, <c>virtual</c>, <c>new</c>, <c>required</c>, ...): an implementing declaration repeats them.</summary>
        private static string ModifierText(SyntaxTokenList modifiers)
            => modifiers.Count == 0 ? string.Empty : string.Join(" ", modifiers.Select(m => m.Text)) + " ";

        /// <summary>
        /// The property name in camelCase as System.Text.Json's <c>JsonNamingPolicy.CamelCase</c> writes it: the leading
        /// run of capitals lowercased, except the last one when a lowercase letter follows it (<c>UserName</c> gives
        /// <c>userName</c>, <c>URLPath</c> <c>urlPath</c>, <c>ID</c> <c>id</c>).
        /// </summary>
        public static string CamelCase(string name)
        {
            if (name.Length == 0 || !char.IsUpper(name[0]))
            {
                return name;
            }

            var chars = name.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (i == 1 && !char.IsUpper(chars[i]))
                {
                    break;
                }

                var hasNext = i + 1 < chars.Length;
                if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
                {
                    if (chars[i + 1] == ' ')
                    {
                        chars[i] = char.ToLowerInvariant(chars[i]);
                    }

                    break;
                }

                chars[i] = char.ToLowerInvariant(chars[i]);
            }

            return new string(chars);
        }

        /// <summary>The session key of a key property: the attribute's name, or the property name in camelCase.</summary>
        public static string KeyName(IPropertySymbol property, AttributeData attribute)
            => attribute.ConstructorArguments.FirstOrDefault().Value as string ?? CamelCase(property.Name);

        /// <summary>The message of a key whose type a JSON storage cannot hold, shared with the analyzer.</summary>
        public static string NotStorableMessage(string schemaName, string propertyName, string failurePath, string storageName)
            => schemaName + "." + propertyName + " -> " + failurePath + " cannot be stored by " + storageName + " (JSON only)";

        /// <summary>The <c>[SessionKey]</c> or <c>[Flash]</c> attribute of a property; <c>[Flash]</c> wins when both are present.</summary>
        public static bool TryGetKeyAttribute(IPropertySymbol property, KnownTypes known, out AttributeData attribute, out bool isFlash)
        {
            var flash = KnownTypes.FindAttribute(property, known.FlashAttribute);
            var key = KnownTypes.FindAttribute(property, known.SessionKeyAttribute);
            isFlash = flash is not null;
            attribute = (flash ?? key)!;
            return attribute is not null;
        }

        /// <summary>
        /// The user's defining declaration of a partial property (<c>partial</c>, accessors without bodies), provided no
        /// implementing declaration exists yet: a property the user implemented needs nothing generated.
        /// </summary>
        public static PropertyDeclarationSyntax? PartialDefinition(IPropertySymbol property, CancellationToken cancellationToken)
        {
            PropertyDeclarationSyntax? definition = null;
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is not PropertyDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    continue;
                }

                if (declaration.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null))
                {
                    definition ??= declaration;
                }
                else
                {
                    return null;
                }
            }

            return definition;
        }

        /// <summary>
        /// Whether the user implemented a partial key property themselves: a part of it with accessor bodies, or an
        /// <c>extern</c> one, in a file the generator did not write. The definition's own declaring references do not
        /// include that part, so the schema's declarations are searched.
        /// </summary>
        public static bool HasOwnImplementation(IPropertySymbol property, CancellationToken cancellationToken)
            => OwnImplementation(property, cancellationToken) is not null;

        /// <summary>The user's own implementing declaration of a partial key property (see <see cref="HasOwnImplementation"/>), if any.</summary>
        public static PropertyDeclarationSyntax? OwnImplementation(IPropertySymbol property, CancellationToken cancellationToken)
        {
            foreach (var reference in property.ContainingType.DeclaringSyntaxReferences)
            {
                if (IsGeneratedHere(reference.SyntaxTree) || reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax type)
                {
                    continue;
                }

                foreach (var member in type.Members)
                {
                    if (member is PropertyDeclarationSyntax declaration && declaration.ExplicitInterfaceSpecifier is null
                        && declaration.Identifier.ValueText == property.Name && declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                        && (declaration.Modifiers.Any(SyntaxKind.ExternKeyword) || declaration.ExpressionBody is not null
                            || declaration.AccessorList is not { } accessors || accessors.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null)))
                    {
                        return declaration;
                    }
                }
            }

            return null;
        }

        /// <summary>A file this generator wrote (the analyzer sees them in the compilation; the generator never does).</summary>
        public static bool IsGeneratedHere(SyntaxTree tree)
            => tree.FilePath.Replace('\\', '/').Contains(typeof(SessionSchemaGenerator).FullName + "/");

        public static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
        {
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                yield return outer;
            }
        }

        /// <summary>
        /// Whether every declaration of <paramref name="type"/> says <c>partial</c>. The <c>Program</c> class that
        /// top-level statements declare (its syntax is the compilation unit) takes further <c>partial</c> parts without
        /// saying so itself (<c>public partial class Program</c> next to top-level statements), so it does not count.
        /// </summary>
        public static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken)
            => type.DeclaringSyntaxReferences.All(r => r.GetSyntax(cancellationToken) switch
            {
                TypeDeclarationSyntax d => d.Modifiers.Any(SyntaxKind.PartialKeyword),
                CompilationUnitSyntax => true,
                _ => false,
            });

        /// <summary>Whether the schema's first <c>[Session]</c> application is on another declaration than this one.</summary>
        private static bool FirstSessionAttributeElsewhere(INamedTypeSymbol schema, GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var mine = context.Attributes[0];
            foreach (var attribute in schema.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass?.OriginalDefinition, mine.AttributeClass?.OriginalDefinition))
                {
                    var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
                    return syntax is not null && !context.TargetNode.Contains(syntax);
                }
            }

            return false;
        }

        /// <summary>Names of the schema's own and inherited members (object's aside), which generated members must not reuse.</summary>
        public static HashSet<string> TakenNames(INamedTypeSymbol schema)
        {
            // A member cannot have its class's name: a schema named Store or Value does without that generated member.
            var names = new HashSet<string>(System.StringComparer.Ordinal) { schema.Name };
            for (var type = schema; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                names.UnionWith(MemberNames(type));
            }

            foreach (var (_, typeName) in HiddenTypeNames(schema))
            {
                names.Add(typeName);
            }

            return names;
        }

        /// <summary>
        /// The names of <paramref name="type"/>'s members, nested types included (<see cref="INamedTypeSymbol.MemberNames"/>
        /// leaves them out for types declared in source, and a nested type takes its name from every other member).
        /// </summary>
        /// <remarks>
        /// A generic nested type named <c>Value</c> or <c>ValueStore</c> does not take the name from the generated nested
        /// types of that name: C# tells types apart by arity.
        /// </remarks>
        public static IEnumerable<string> MemberNames(INamedTypeSymbol type)
            => type.MemberNames.Concat(type.GetTypeMembers().Where(t => !SharesNameByArity(t)).Select(t => t.Name));

        /// <summary>Whether <paramref name="member"/> is a generic type that can sit next to the generated nested type of its name.</summary>
        public static bool SharesNameByArity(ISymbol member)
            => member is INamedTypeSymbol { Arity: > 0 } type && (type.Name == GeneratedMembers.Value || type.Name == GeneratedMembers.ValueStore);

        /// <summary>
        /// The schema's own members whose declared types use a type named like a generated nested type (<c>Value</c>,
        /// <c>ValueStore</c>) from outside the schema: inside the schema a nested type of that name would hide it, so the
        /// user's declaration would change meaning. The generator leaves that nested type out instead (RMS013 says so).
        /// </summary>
        public static IEnumerable<(ISymbol Member, string TypeName)> HiddenTypeNames(INamedTypeSymbol schema)
        {
            foreach (var member in schema.GetMembers())
            {
                if (member.IsImplicitlyDeclared)
                {
                    continue;
                }

                var types = member switch
                {
                    IPropertySymbol property => new[] { property.Type }.Concat(property.Parameters.Select(p => p.Type)),
                    IFieldSymbol field => new[] { field.Type },
                    IMethodSymbol method when method.MethodKind is MethodKind.Ordinary or MethodKind.Constructor or MethodKind.UserDefinedOperator or MethodKind.Conversion
                        => new[] { method.ReturnType }.Concat(method.Parameters.Select(p => p.Type)),
                    IEventSymbol @event => new[] { @event.Type },
                    _ => Enumerable.Empty<ITypeSymbol>(),
                };
                var found = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var named in types.SelectMany(t => UsageAttributes.NamedTypesIn(t)))
                {
                    // The type itself or a type it is nested in (Value.Kind is written starting with Value).
                    for (var part = named; part is not null && !SymbolEqualityComparer.Default.Equals(part, schema); part = part.ContainingType)
                    {
                        // A generic one is not hidden: C# looks types up by name and arity.
                        if ((part.Name == GeneratedMembers.Value || part.Name == GeneratedMembers.ValueStore) && part.Arity == 0
                            && !SymbolEqualityComparer.Default.Equals(part.ContainingType, schema))
                        {
                            found.Add(part.Name);
                        }
                    }
                }

                foreach (var name in found)
                {
                    yield return (member, name);
                }
            }
        }

        private static IEnumerable<string> NamespaceParts(INamespaceSymbol ns)
        {
            var parts = new Stack<string>();
            for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
            {
                parts.Push(current.Name);
            }

            return parts;
        }

        private static string TypeParameters(INamedTypeSymbol type)
            => type.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(p => Names.Escape(p.Name))) + ">";

        private static string Keyword(INamedTypeSymbol type)
            => type.IsRecord ? (type.IsValueType ? "record struct" : "record") : type.IsValueType ? "struct" : type.TypeKind == TypeKind.Interface ? "interface" : "class";

        /// <summary>
        /// The accessibility of a key's generated Has/Unset/Flash/Keep members: the key's own, except that a sealed schema
        /// has no derived types, so its protected keys get helpers without the protected part (a new protected member of
        /// a sealed type is warning CS0628, which the user's own declaration already reports once).
        /// </summary>
        private static MemberAccessibility HelperAccessibility(Accessibility accessibility, bool sealedSchema) => accessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => MemberAccessibility.Public,
            Microsoft.CodeAnalysis.Accessibility.Internal => MemberAccessibility.Internal,
            Microsoft.CodeAnalysis.Accessibility.Protected => sealedSchema ? MemberAccessibility.Private : MemberAccessibility.Protected,
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => sealedSchema ? MemberAccessibility.Internal : MemberAccessibility.ProtectedInternal,
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => sealedSchema ? MemberAccessibility.Private : MemberAccessibility.PrivateProtected,
            _ => MemberAccessibility.Private,
        };

        /// <summary>
        /// How widely a type is visible, seen from a schema that can use it: public, internal (assembly), or private (only
        /// inside some type around it, so only a member nested in the schema may expose it).
        /// </summary>
        private static MemberAccessibility Accessibility(ITypeSymbol type)
        {
            switch (type)
            {
                case IArrayTypeSymbol array:
                    return Accessibility(array.ElementType);
                case INamedTypeSymbol named:
                    var result = MemberAccessibility.Public;
                    for (var current = named; current is not null; current = current.ContainingType)
                    {
                        result = Narrowest(result, current.DeclaredAccessibility switch
                        {
                            Microsoft.CodeAnalysis.Accessibility.Public => MemberAccessibility.Public,
                            Microsoft.CodeAnalysis.Accessibility.Internal or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => MemberAccessibility.Internal,
                            _ => MemberAccessibility.Private,
                        });
                    }

                    foreach (var argument in named.TypeArguments)
                    {
                        result = Narrowest(result, Accessibility(argument));
                    }

                    return result;
                case ITypeParameterSymbol:
                    return MemberAccessibility.Private;
                default:
                    return MemberAccessibility.Public;
            }
        }

        private static MemberAccessibility Narrowest(MemberAccessibility a, MemberAccessibility b) => (MemberAccessibility)System.Math.Max((int)a, (int)b);

        /// <summary>The type usable in an <c>is</c> pattern: no nullable annotation, underlying type of <c>Nullable&lt;T&gt;</c>.</summary>
        private static string PatternType(ITypeSymbol type)
        {
            var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

            // Neither 'dynamic' nor tuple syntax can stand in a type pattern ('is (int A, string B)' is a positional
            // pattern): object and ValueTuple<...> are the same types there.
            if (underlying.TypeKind == TypeKind.Dynamic)
            {
                return "object";
            }

            return underlying is INamedTypeSymbol { IsTupleType: true } tuple
                ? "global::System.ValueTuple<" + string.Join(", ", tuple.TypeArguments.Select(JsonTypeGraph.Display)) + ">"
                : JsonTypeGraph.Display(underlying);
        }

        /// <summary>User-defined conversions cannot start from interfaces or <c>object</c>.</summary>
        private static bool CanConvertImplicitly(ITypeSymbol type)
            => type.TypeKind is not (TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic) && type.SpecialType != SpecialType.System_Object;
    }
}
