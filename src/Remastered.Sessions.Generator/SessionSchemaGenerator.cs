using System.Linq;
using Microsoft.CodeAnalysis;
using Remastered.Sessions.Generator.Emitting;
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

            context.RegisterSourceOutput(schemas, static (output, result) =>
            {
                foreach (var diagnostic in result!.Diagnostics)
                {
                    output.ReportDiagnostic(Microsoft.CodeAnalysis.Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(diagnostic.Id), diagnostic.Location, diagnostic.Arguments.ToArray<object>()));
                }

                if (result.Model is { } model)
                {
                    output.AddSource(model.HintName, SchemaEmitter.Emit(model));
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
    }
}
