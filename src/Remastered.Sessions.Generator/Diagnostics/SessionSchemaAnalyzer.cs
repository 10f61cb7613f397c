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
        private const int CSharp13 = 1300;

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.ValueNotStorable,
            DiagnosticDescriptors.SchemaNotPartial,
            DiagnosticDescriptors.KeyNotPartialProperty,
            DiagnosticDescriptors.StaticKey,
            DiagnosticDescriptors.DuplicateKey,
            DiagnosticDescriptors.KeyAndFlash,
            DiagnosticDescriptors.InvalidKeyName,
            DiagnosticDescriptors.NotAStorage,
            DiagnosticDescriptors.GenericSchema,
            DiagnosticDescriptors.LanguageVersionTooLow,
            DiagnosticDescriptors.NonNullableReferenceKey,
            DiagnosticDescriptors.CookieBudgetExceeded);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(static start =>
            {
                // Resolved once per compilation; projects that do not reference the library pay nothing.
                var symbols = KnownSymbols.Resolve(start.Compilation);
                if (symbols is null)
                {
                    return;
                }

                start.RegisterSymbolAction(c => AnalyzeType(c, symbols), SymbolKind.NamedType);
            });
        }

        private static void AnalyzeType(SymbolAnalysisContext context, KnownSymbols symbols)
        {
            var schema = (INamedTypeSymbol)context.Symbol;
            var attribute = schema.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass?.OriginalDefinition, symbols.SessionAttribute));
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
            if (!declarations.Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SchemaNotPartial, schemaLocation, schema.Name));
            }

            if (schema.IsGenericType || ContainingTypes(schema).Any(t => t.IsGenericType))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GenericSchema, schemaLocation, schema.Name));
            }

            var languageVersion = ((CSharpParseOptions)first.SyntaxTree.Options).LanguageVersion;
            if ((int)languageVersion < CSharp13)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LanguageVersionTooLow, schemaLocation, schema.Name, languageVersion.ToDisplayString()));
            }

            var storage = attribute.AttributeClass!.TypeArguments.FirstOrDefault() as INamedTypeSymbol;
            Models.StorageValueKind? storageKind = storage is not null && StorageShape.TryRead(storage, out var kind, out _) ? kind : null;
            if (storageKind is null)
            {
                var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? schemaLocation;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotAStorage, attributeLocation, storage?.Name ?? "?", schema.Name));
            }

            var graph = new JsonTypeGraph(context.Compilation);
            var keyNames = new Dictionary<string, string>(System.StringComparer.Ordinal);
            var budgetKeys = new List<(string, ITypeSymbol, bool)>();
            foreach (var property in schema.GetMembers().OfType<IPropertySymbol>())
            {
                var hasKey = property.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.SessionKeyAttribute));
                var hasFlash = property.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, symbols.FlashAttribute));
                if (!hasKey && !hasFlash)
                {
                    continue;
                }

                SchemaParser.TryGetKeyAttribute(property, out var keyAttribute, out var isFlash);
                var definition = SchemaParser.PartialDefinition(property, context.CancellationToken);
                var declaration = definition ?? property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(context.CancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault();
                var location = declaration?.Identifier.GetLocation() ?? property.Locations.FirstOrDefault() ?? schemaLocation;

                if (hasKey && hasFlash)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KeyAndFlash, location, property.Name));
                }

                if (property.IsStatic)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.StaticKey, location, property.Name));
                }

                var accessors = definition?.AccessorList?.Accessors;
                if (definition is null
                    || !accessors!.Value.Any(a => a.IsKind(SyntaxKind.GetAccessorDeclaration))
                    || !accessors.Value.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration)))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.KeyNotPartialProperty, location, property.Name));
                }

                var keyName = keyAttribute.ConstructorArguments.FirstOrDefault().Value as string ?? SchemaParser.CamelCase(property.Name);
                if (string.IsNullOrWhiteSpace(keyName))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidKeyName, location, keyName, property.Name, "empty"));
                }
                else if (keyName.StartsWith("__", System.StringComparison.Ordinal))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidKeyName, location, keyName, property.Name, "reserved for storage metadata (names starting with '__')"));
                }

                if (keyNames.TryGetValue(keyName, out var owner))
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

                if (storageKind == Models.StorageValueKind.Json && graph.Add(property.Type) is null)
                {
                    foreach (var failure in graph.Failures(property.Type).DefaultIfEmpty(JsonTypeGraph.Describe(property.Type)))
                    {
                        var message = SchemaParser.NotStorableMessage(schema.Name, property.Name, failure, storage!.Name);
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ValueNotStorable, location, message));
                    }
                }

                budgetKeys.Add((keyName, property.Type, isFlash));
            }

            if (storage is not null && SymbolEqualityComparer.Default.Equals(storage, symbols.CookieSessionStorage)
                && CookieBudget.EstimateSetCookieBytes(budgetKeys) is { } estimate && estimate > 4096)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.CookieBudgetExceeded, schemaLocation, schema.Name, estimate));
            }
        }

        private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
        {
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                yield return outer;
            }
        }

        private sealed class KnownSymbols
        {
            private KnownSymbols(INamedTypeSymbol session, INamedTypeSymbol key, INamedTypeSymbol flash, INamedTypeSymbol? cookie)
            {
                SessionAttribute = session;
                SessionKeyAttribute = key;
                FlashAttribute = flash;
                CookieSessionStorage = cookie;
            }

            public INamedTypeSymbol SessionAttribute { get; }

            public INamedTypeSymbol SessionKeyAttribute { get; }

            public INamedTypeSymbol FlashAttribute { get; }

            public INamedTypeSymbol? CookieSessionStorage { get; }

            public static KnownSymbols? Resolve(Compilation compilation)
            {
                var session = compilation.GetTypeByMetadataName(SchemaParser.SessionAttributeMetadataName);
                var key = compilation.GetTypeByMetadataName(SchemaParser.SessionKeyAttributeName);
                var flash = compilation.GetTypeByMetadataName(SchemaParser.FlashAttributeName);
                // Without the runtime library (or with an old one) there is nothing to analyze.
                return session is null || key is null || flash is null || compilation.GetTypeByMetadataName("Remastered.Sessions.JsonSessionValue") is null
                    ? null
                    : new KnownSymbols(session, key, flash, compilation.GetTypeByMetadataName("Remastered.Sessions.CookieSessionStorage"));
            }
        }
    }
}
