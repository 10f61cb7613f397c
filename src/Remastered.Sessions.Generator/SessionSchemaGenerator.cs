using System.Linq;
using Microsoft.CodeAnalysis;
using Remastered.Sessions.Generator.Emitting;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Parsing;

namespace Remastered.Sessions.Generator
{
    /// <summary>
    /// Generates typed accessors, the <c>Value</c> union, the typed store and reflection-free JSON code for every
    /// <c>[Session&lt;TStorage&gt;]</c> schema. Pipeline wiring only: parsing and emitting live in their own folders.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SessionSchemaGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var schemas = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    KnownTypes.SessionAttributeMetadataName,
                    static (node, _) => SchemaParser.IsClassDeclaration(node),
                    static (context, cancellationToken) => SchemaParser.Parse(context, cancellationToken))
                .WithTrackingName(TrackingNames.Parse)
                .Where(static result => result is not null)
                .WithTrackingName(TrackingNames.Valid);

            // Roslyn compares file names ignoring case: schemas whose names differ only in case (App.Cart and app.Cart)
            // get numbered file names. Only the set of such names is shared between schemas, so an edit inside one schema
            // re-emits that schema alone.
            var caseClashes = schemas
                .Select(static (result, _) => result!.Model?.HintName)
                .Collect()
                .Select(static (names, _) => HintNames.CaseClashes(names))
                .WithTrackingName(TrackingNames.CaseClashes);
            context.RegisterSourceOutput(schemas.Combine(caseClashes), static (output, pair) =>
            {
                var (result, clashes) = pair;
                if (result!.Model is { } model)
                {
                    output.AddSource(HintNames.Unique(model.HintName, clashes), SchemaEmitter.Emit(model));
                }
            });

            // Diagnostics, apart: their locations must be in the user's syntax trees (the IDE's fix-all and the batch
            // fixer skip a location in an "external file"), and trees are not kept in the cached models. Only schemas
            // with something to report wait for the compilation, so a valid schema is not re-emitted on every edit.
            var diagnostics = schemas
                .Select(static (result, _) => result!.Diagnostics)
                .Where(static diagnostics => diagnostics.Count > 0)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics.Combine(context.CompilationProvider), static (output, pair) =>
            {
                var (diagnostics, compilation) = pair;
                foreach (var diagnostic in diagnostics)
                {
                    var tree = compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == diagnostic.FilePath);
                    var location = tree is not null && diagnostic.Span.End <= tree.Length ? Location.Create(tree, diagnostic.Span) : diagnostic.Location;
                    output.ReportDiagnostic(Microsoft.CodeAnalysis.Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(diagnostic.Id), location, diagnostic.Arguments.ToArray<object>()));
                }
            });
        }
    }

    /// <summary>Names of the pipeline steps, so tests can assert that they are cached.</summary>
    public static class TrackingNames
    {
        /// <summary>Schema symbols turned into models.</summary>
        public const string Parse = "Parse";

        /// <summary>Models of schemas that can be generated.</summary>
        public const string Valid = "Valid";

        /// <summary>The diagnostics of schemas that have any.</summary>
        public const string Diagnostics = "Diagnostics";

        /// <summary>The generated file names that differ only in case.</summary>
        public const string CaseClashes = "CaseClashes";
    }
}
