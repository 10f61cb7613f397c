using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Remastered.Sessions.Generator.Helpers;

namespace Remastered.Sessions.Generator.Models
{
    /// <summary>
    /// A diagnostic the generator reports, as plain values so that the pipeline stays cacheable (a
    /// <see cref="Location"/> holds a syntax tree).
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location location, params string[] arguments)
        {
            var line = location.GetLineSpan();
            return new DiagnosticInfo(descriptor.Id, line.Path, location.SourceSpan, line.Span, arguments.ToEquatableArray());
        }

        public Location Location => Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>What parsing one schema gives: the model to emit (if any) and the diagnostics only the generator can report.</summary>
    internal sealed record ParseResult(SchemaModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
