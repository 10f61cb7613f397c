using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Remastered.Sessions.Generator.Parsing;

namespace Remastered.Sessions.Generator.Diagnostics
{
    /// <summary>
    /// Reports, at compile time, every problem of a session schema: values the storage cannot hold (RMS001) and
    /// declarations the generator cannot implement (RMS002-RMS012).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class SessionSchemaAnalyzer : DiagnosticAnalyzer
    {
        /// <summary>C# 13, the first version with partial properties (not named in Roslyn 4.8's enum).</summary>
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(static start =>
            {
                // Resolved once per compilation; projects that do not reference the library pay nothing.
                var known = KnownTypes.Get(start.Compilation);
                if (!known.HasRuntime)
                {
                    return;
                }

                start.RegisterSymbolAction(c => AnalyzeType(c, known), SymbolKind.NamedType);
            });
        }

        /// <summary>
        /// RMS016 at each System.Text.Json attribute on a key property (its own declarations, not the generator's): the
        /// key's name comes from its Remastered attribute and its value's JSON from its type, so the attribute would be
        /// silently ignored.
        /// </summary>
        private static void ReportJsonAttributes(SymbolAnalysisContext context, IPropertySymbol property, KnownTypes known, bool isFlash, AttributeData? keyAttribute, bool storesObjects)
        {
            if (known.JsonAttribute is null)
            {
                return;
            }

            foreach (var attribute in property.GetAttributes())
            {
                if (attribute.AttributeClass is not { } attributeClass || !KnownTypes.IsDerivedFrom(attributeClass, known.JsonAttribute)
                    || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not { } syntax
                    || SchemaParser.IsGeneratedHere(syntax.SyntaxTree))
                {
                    continue;
                }

                var name = attributeClass.Name.EndsWith("Attribute", System.StringComparison.Ordinal) ? attributeClass.Name.Substring(0, attributeClass.Name.Length - "Attribute".Length) : attributeClass.Name;
                var keyAttributeName = isFlash ? "Flash" : "SessionKey";
                var storedName = keyAttribute is null ? SchemaParser.CamelCase(property.Name) : SchemaParser.KeyName(property, keyAttribute);
                var fix = KnownTypes.Is(attributeClass, known.JsonPropertyNameAttribute)
                    ? "the key is stored as \"" + storedName + "\"; remove it, or rename the key with [" + keyAttributeName + "(\""
                        + (attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "name") + "\")] (values already stored as \"" + storedName + "\" are then left behind)"
                    : storesObjects
                        ? "the storage holds the value itself, with no JSON; remove it"
                        : KnownTypes.Is(attributeClass, known.JsonConverterAttribute) || KnownTypes.Is(attributeClass, known.JsonNumberHandlingAttribute)
                            ? "a key's value is stored as System.Text.Json writes its type by default; store a type whose own JSON has the form you want (a string, say), or put the attribute on a member of a type of yours, where RMS001 says whether it can be applied"
                            : "keys are stored by [SessionKey] and [Flash] alone; remove it";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.JsonAttributeOnKey, syntax.GetLocation(), name, property.Name, fix));
            }
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownTypes known)
        {
            var schema = (INamedTypeSymbol)context.Symbol;
            var attribute = schema.GetAttributes().FirstOrDefault(a => KnownTypes.Is(a.AttributeClass, known.SessionAttribute));
            if (attribute is null)
            {
                return;
            }

            var declarations = schema.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
            var first = declarations.FirstOrDefault();
            if (first is null)
            {
                return;
            }

            var schemaLocation = first.Identifier.GetLocation();
            var keyProperties = schema.GetMembers().OfType<IPropertySymbol>().Where(p => SchemaParser.TryGetKeyAttribute(p, known, out _, out _)).ToList();

            // With partial key properties the compiler's own errors keep analyzers from running, so the generator
            // reports RMS002 in that case; the analyzer covers the rest (and never both, so it is never reported twice).
            var notPartial = new[] { schema }.Concat(SchemaParser.ContainingTypes(schema)).FirstOrDefault(t => !SchemaParser.IsPartial(t, context.CancellationToken));
            if (notPartial is not null && !keyProperties.Any(p => SchemaParser.PartialDefinition(p, context.CancellationToken) is not null))
            {
                var location = SymbolEqualityComparer.Default.Equals(notPartial, schema) ? schemaLocation : notPartial.Locations.FirstOrDefault() ?? schemaLocation;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SchemaNotPartial, location, schema.Name));
            }

            var isGeneric = schema.IsGenericType || SchemaParser.ContainingTypes(schema).Any(t => t.IsGenericType);
            if (isGeneric)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericSchema, schemaLocation, schema.Name));
            }

            // RMS010 (C# 12 or older) and RMS014 (abstract or static) come from the generator: the compiler errors that go
            // with them would keep this analyzer's diagnostics from being shown.

            var storage = attribute.AttributeClass!.TypeArguments.FirstOrDefault();
            Models.StorageValueKind? storageKind = StorageShape.TryRead(storage, known, out var kind, out _) ? kind : null;
            if (storageKind is null)
            {
                var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? schemaLocation;
                // Say what it stores when it is a storage of something else (ISessionStorage<int, string>).
                var other = storage is INamedTypeSymbol named
                    ? (named.TypeKind == TypeKind.Interface ? named.AllInterfaces.Add(named) : named.AllInterfaces).FirstOrDefault(i => KnownTypes.Is(i, known.SessionStorage))
                    : null;
                var why = other is null
                    ? "does not implement ISessionStorage<JsonSessionValue, TMetadata> or ISessionStorage<object, TMetadata>"
                    : "stores " + other.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " values"
                        + (SymbolEqualityComparer.Default.Equals(other, storage) ? string.Empty : " (" + other.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + ")")
                        + ", where a schema needs ISessionStorage<JsonSessionValue, TMetadata> (JSON) or ISessionStorage<object, TMetadata> (objects)";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotAStorage, attributeLocation,
                    storage?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?", schema.Name, why));
            }

            var graph = new JsonTypeGraph(context.Compilation, known, schema);
            var keyNames = new Dictionary<string, string>(System.StringComparer.Ordinal);
            var budgetKeys = new List<(string, string)>();
            var budgetBounded = true;
            var generated = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var name in GeneratedMembers.SchemaMembers)
            {
                generated[name] = "to every schema";
            }

            foreach (var property in keyProperties)
            {
                var hasKey = KnownTypes.HasAttribute(property, known.SessionKeyAttribute);
                var hasFlash = KnownTypes.HasAttribute(property, known.FlashAttribute);
                SchemaParser.TryGetKeyAttribute(property, known, out var keyAttribute, out var isFlash);
                foreach (var name in GeneratedMembers.ForKey(property.Name, isFlash))
                {
                    generated[name] = "for key '" + property.Name + "'";
                }

                var definition = SchemaParser.PartialDefinition(property, context.CancellationToken);
                var declaration = definition ?? property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
                var own = SchemaParser.OwnImplementation(property, context.CancellationToken);
                if (declaration is null || SchemaParser.IsGeneratedHere(declaration.SyntaxTree))
                {
                    // The generator declared the definition of an extern key: report at the user's declaration.
                    declaration = own ?? declaration;
                }

                var location = declaration?.Identifier.GetLocation() ?? property.Locations.FirstOrDefault() ?? schemaLocation;

                ReportJsonAttributes(context, property, known, isFlash, keyAttribute, storageKind == Models.StorageValueKind.Object);

                if (hasKey && hasFlash)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KeyAndFlash, location, property.Name));
                }

                if (property.IsStatic)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StaticKey, location, property.Name));
                }

                var accessors = declaration?.AccessorList?.Accessors;
                if (declaration is null || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    || declaration.ExplicitInterfaceSpecifier is not null
                    || property.ReturnsByRef || property.ReturnsByRefReadonly
                    || own is not null
                    || !accessors!.Value.Any(a => a.IsKind(SyntaxKind.GetAccessorDeclaration))
                    // An init accessor could never run: only LoadAsync creates a schema, with no object initializer.
                    || !accessors.Value.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KeyNotPartialProperty, location, property.Name));
                }

                var keyName = SchemaParser.KeyName(property, keyAttribute);
                if (string.IsNullOrWhiteSpace(keyName))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidKeyName, location, keyName, property.Name, string.IsNullOrEmpty(keyName) ? "empty" : "only whitespace"));
                }
                else if (keyName.StartsWith("__", System.StringComparison.Ordinal))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidKeyName, location, keyName, property.Name, "reserved for storage metadata (names starting with '__')"));
                }

                if (property.IsIndexer)
                {
                    // Never a key (RMS003 above): several indexers share the name 'this[]' without clashing.
                }
                else if (keyNames.TryGetValue(keyName, out var owner))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DuplicateKey, location, keyName, property.Name, owner));
                }
                else
                {
                    keyNames[keyName] = property.Name;
                }

                if (property.Type.IsReferenceType && property.NullableAnnotation == NullableAnnotation.NotAnnotated)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NonNullableReferenceKey, location, property.Name, property.Type.ToDisplayString()));
                }

                // A generic schema is not generated at all (RMS009 says so); its value types are not judged.
                if (SchemaParser.UnholdableReason(property.Type) is { } unholdable)
                {
                    budgetBounded = false;
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ValueNotStorable, location, SchemaParser.UnholdableMessage(schema.Name, property, unholdable)));
                }
                else if (storageKind == Models.StorageValueKind.Json && !isGeneric)
                {
                    var helper = graph.Add(property.Type);
                    if (helper is null)
                    {
                        budgetBounded = false;
                        foreach (var failure in graph.Failures(property.Type).DefaultIfEmpty(JsonTypeGraph.Describe(property.Type)))
                        {
                            var message = SchemaParser.NotStorableMessage(schema.Name, property.Name, failure, storage!.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ValueNotStorable, location, message));
                        }
                    }
                    else
                    {
                        budgetKeys.Add((keyName, helper));
                        foreach (var loss in graph.Losses(property.Type))
                        {
                            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.MemberNotReadBack, location, schema.Name + "." + property.Name + " -> " + loss));
                        }
                    }
                }
            }

            ReportClashes(context, schema, generated, known);

            if (budgetBounded && KnownTypes.Is(storage, known.CookieSessionStorage)
                && CookieBudget.EstimateSetCookieBytes(budgetKeys, graph) is { } estimate && estimate > 4096)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CookieBudgetExceeded, schemaLocation, schema.Name, estimate));
            }
        }

        /// <summary>RMS013 at every member the user wrote whose name the generator would also use.</summary>
        private static void ReportClashes(SymbolAnalysisContext context, INamedTypeSymbol schema, Dictionary<string, string> generated, KnownTypes known)
        {
            if (!known.HasRuntime || generated.Count == 0)
            {
                return;
            }

            foreach (var member in schema.GetMembers())
            {
                if (member.IsImplicitlyDeclared || SchemaParser.SharesNameByArity(member) || !generated.TryGetValue(member.Name, out var owner))
                {
                    continue;
                }

                // Members the generator wrote live only in generated files; the user's have a declaration of their own.
                var location = UserLocation(member);
                if (location is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberClash, location, member.Name, owner));
                }
            }

            // A type named like a generated nested type, used by a member: the nested type would hide it.
            foreach (var (member, typeName) in SchemaParser.HiddenTypeNames(schema))
            {
                if (generated.TryGetValue(typeName, out var owner) && UserLocation(member) is { } location)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberClash, location, ClashKinds.Properties(ClashKinds.TypeName), typeName, owner + " (which would hide the type '" + typeName + "' that '" + member.Name + "' uses)"));
                }
            }

            // Members inherited from a base class: the generated member is left out the same way; reported at the schema.
            var reported = new HashSet<string>(System.StringComparer.Ordinal);
            for (var type = schema.BaseType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
            {
                // A base that is itself a schema is RMS014's matter, not a clash.
                if (type.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, known.SessionAttribute)))
                {
                    break;
                }

                foreach (var name in SchemaParser.MemberNames(type))
                {
                    if (generated.TryGetValue(name, out var owner) && reported.Add(name) && schema.GetMembers(name).IsEmpty
                        && UserLocation(schema) is { } location)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratedMemberClash, location, ClashKinds.Properties(ClashKinds.Inherited), name, owner + " (it is inherited from " + type.Name + ")"));
                    }
                }
            }
        }

        private static Location? UserLocation(ISymbol symbol)
            => symbol.Locations.FirstOrDefault(l => l.IsInSource && !IsGeneratedFile(l.SourceTree!.FilePath));

        private static bool IsGeneratedFile(string path) => path.EndsWith(".g.cs", System.StringComparison.OrdinalIgnoreCase);
    }
}
