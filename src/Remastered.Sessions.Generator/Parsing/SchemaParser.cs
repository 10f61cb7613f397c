using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Parsing
{
    /// <summary>
    /// Turns a schema class symbol into a <see cref="SchemaModel"/>, or <see langword="null"/> when the schema cannot be
    /// generated (the analyzer reports why; the generator stays silent so one problem gives one diagnostic).
    /// </summary>
    internal static class SchemaParser
    {
        public const string SessionAttributeMetadataName = "Remastered.Sessions.SessionAttribute`1";
        public const string SessionKeyAttributeName = "Remastered.Sessions.SessionKeyAttribute";
        public const string FlashAttributeName = "Remastered.Sessions.FlashAttribute";

        /// <summary>Present when the project references the ASP.NET Core integration: schemas then bind in minimal APIs.</summary>
        private const string AspNetCoreSessionAccessorName = "Remastered.Sessions.AspNetCore.HttpContextSessionExtensions";

        /// <summary>C# 13, the first version with partial properties (not named in Roslyn 4.8's enum).</summary>
        private const int CSharp13 = 1300;

        public static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        public static SchemaModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol schema
                || context.TargetNode is not ClassDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                || schema.IsGenericType
                || ((int)((CSharpParseOptions)declaration.SyntaxTree.Options).LanguageVersion) < CSharp13)
            {
                return null;
            }

            var containing = new List<string>();
            for (var outer = schema.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                if (outer.IsGenericType)
                {
                    return null;
                }

                containing.Insert(0, "partial " + Keyword(outer) + " " + outer.Name);
            }

            var attribute = context.Attributes[0];
            if (attribute.AttributeClass is not { TypeArguments.Length: 1 } attributeClass
                || attributeClass.TypeArguments[0] is not INamedTypeSymbol storage)
            {
                return null;
            }

            if (!StorageShape.TryRead(storage, out var kind, out var storageInterface))
            {
                return null;
            }

            var valueType = storageInterface.TypeArguments[0];
            var graph = new JsonTypeGraph(context.SemanticModel.Compilation);
            var storageName = storage.Name;
            var keys = new List<KeyModel>();
            var cases = new Dictionary<string, UnionCaseModel>();
            foreach (var member in schema.GetMembers())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (member is not IPropertySymbol property || !TryGetKeyAttribute(property, out var keyAttribute, out var isFlash))
                {
                    continue;
                }

                // Problems with a key are reported by the analyzer; the generator still implements every partial
                // property it can, so one problem gives one diagnostic instead of a cascade of compiler errors.
                var definition = PartialDefinition(property, cancellationToken);
                if (definition is null)
                {
                    continue;
                }

                var keyName = keyAttribute.ConstructorArguments.FirstOrDefault().Value as string ?? CamelCase(property.Name);
                string? helper = null;
                string? notStorable = null;
                if (kind == StorageValueKind.Json)
                {
                    helper = graph.Add(property.Type);
                    if (helper is null)
                    {
                        notStorable = NotStorableMessage(schema.Name, property.Name, graph.Failures(property.Type).FirstOrDefault() ?? JsonTypeGraph.Describe(property.Type), storageName);
                    }
                }

                var type = property.Type.ToDisplayString(TypeFormat);
                var pattern = PatternType(property.Type);
                var caseName = UniqueCaseName(cases, property.Type, type);
                if (!cases.ContainsKey(type))
                {
                    cases[type] = new UnionCaseModel(caseName, type, pattern, CanConvertImplicitly(property.Type), helper, notStorable);
                }

                var accessors = definition.AccessorList!.Accessors;
                keys.Add(new KeyModel(
                    property.Name,
                    keyName,
                    type,
                    pattern,
                    Accessibility(property.DeclaredAccessibility),
                    isFlash,
                    property.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
                    cases[type].CaseName,
                    helper,
                    notStorable,
                    property.IsStatic,
                    accessors.Any(a => a.IsKind(SyntaxKind.GetAccessorDeclaration)),
                    accessors.Any(a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration)),
                    accessors.Any(a => a.IsKind(SyntaxKind.InitAccessorDeclaration))));
            }

            var ns = schema.ContainingNamespace.IsGlobalNamespace ? null : schema.ContainingNamespace.ToDisplayString();
            var hint = schema.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty).Replace('<', '{').Replace('>', '}') + ".g.cs";
            return new SchemaModel(
                ns,
                hint,
                containing.ToEquatableArray(),
                "partial " + Keyword(schema) + " " + schema.Name,
                schema.Name,
                storage.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                kind,
                valueType.ToDisplayString(TypeFormat),
                storageInterface.TypeArguments[1].ToDisplayString(TypeFormat),
                keys.ToEquatableArray(),
                cases.Values.ToEquatableArray(),
                graph.Types.ToEquatableArray(),
                context.SemanticModel.Compilation.GetTypeByMetadataName(AspNetCoreSessionAccessorName) is not null);
        }

        public static string CamelCase(string name)
            => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

        /// <summary>The message of a key whose type a JSON storage cannot hold, shared with the analyzer.</summary>
        public static string NotStorableMessage(string schemaName, string propertyName, string failurePath, string storageName)
            => schemaName + "." + propertyName + " -> " + failurePath + " cannot be stored by " + storageName + " (JSON only)";

        /// <summary>The <c>[SessionKey]</c> or <c>[Flash]</c> attribute of a property; <c>[Flash]</c> wins when both are present.</summary>
        public static bool TryGetKeyAttribute(IPropertySymbol property, out AttributeData attribute, out bool isFlash)
        {
            AttributeData? key = null;
            AttributeData? flash = null;
            foreach (var candidate in property.GetAttributes())
            {
                switch (candidate.AttributeClass?.ToDisplayString())
                {
                    case SessionKeyAttributeName:
                        key = candidate;
                        break;
                    case FlashAttributeName:
                        flash = candidate;
                        break;
                }
            }

            isFlash = flash is not null;
            attribute = (flash ?? key)!;
            return attribute is not null;
        }

        /// <summary>The user's defining declaration of a partial property: <c>partial</c>, accessors without bodies.</summary>
        public static PropertyDeclarationSyntax? PartialDefinition(IPropertySymbol property, CancellationToken cancellationToken)
        {
            foreach (var reference in property.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax declaration
                    && declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    && declaration.AccessorList is { } accessors
                    && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null))
                {
                    return declaration;
                }
            }

            return null;
        }

        private static string Keyword(INamedTypeSymbol type)
            => type.IsRecord ? (type.IsValueType ? "record struct" : "record") : type.IsValueType ? "struct" : type.TypeKind == TypeKind.Interface ? "interface" : "class";

        private static string Accessibility(Microsoft.CodeAnalysis.Accessibility accessibility) => accessibility switch
        {
            Microsoft.CodeAnalysis.Accessibility.Public => "public",
            Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
            Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
            Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
            Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        /// <summary>The type usable in an <c>is</c> pattern: no nullable annotation, underlying type of <c>Nullable&lt;T&gt;</c>.</summary>
        private static string PatternType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                return nullable.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            }

            return type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }

        /// <summary>User-defined conversions cannot start from interfaces or <c>object</c>.</summary>
        private static bool CanConvertImplicitly(ITypeSymbol type)
            => type.TypeKind != TypeKind.Interface && type.SpecialType != SpecialType.System_Object && type.TypeKind != TypeKind.TypeParameter;

        private static string UniqueCaseName(Dictionary<string, UnionCaseModel> cases, ITypeSymbol type, string display)
        {
            if (cases.TryGetValue(display, out var existing))
            {
                return existing.CaseName;
            }

            var name = CaseName(type);
            var candidate = name;
            for (var i = 2; cases.Values.Any(c => c.CaseName == candidate); i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        private static string CaseName(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol array => "ArrayOf" + CaseName(array.ElementType),
            INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => "Nullable" + CaseName(nullable.TypeArguments[0]),
            INamedTypeSymbol { IsGenericType: true } generic => generic.Name + "Of" + string.Join("And", generic.TypeArguments.Select(CaseName)),
            _ => type.MetadataName,
        };
    }
}
