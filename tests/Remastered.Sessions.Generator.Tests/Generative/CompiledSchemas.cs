using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Remastered.Sessions.Generator.Tests.Support;

// Schemas compiled at test time are reached by reflection; test assemblies are never trimmed.
#pragma warning disable IL2026, IL2070, IL2072, IL2075, IL3050

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>
/// The schemas of one <see cref="SchemaGrammar"/> source, compiled with the generator (no error allowed), loaded into a
/// collectible context (unloaded on dispose), over one JSON storage; sessions are loaded and committed by reflection.
/// </summary>
internal sealed class CompiledSchemas : IDisposable
{
    private readonly AssemblyLoadContext _context;
    private readonly Assembly _assembly;

    private CompiledSchemas(int seed, Compilation output)
    {
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, $"seed {seed}: " + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        _context = new AssemblyLoadContext("schemas-" + seed, isCollectible: true);
        _assembly = _context.LoadFromStream(stream);
    }

    /// <summary>The storage every session of these schemas is loaded from and committed to.</summary>
    public JsonSessionStorage Storage { get; } = JsonSessionStorage.OverObjects(new MemorySessionStorage(new MemorySessionOptions
    {
        Cookie = new CookieSessionOptions { Name = "sid", Secrets = ["generative-tests-secret-0123456789abcdefgh"] },
    }));

    /// <summary>Builds seed's source, runs the generator (asserting no error anywhere) and loads the result.</summary>
    public static (string Source, IReadOnlyList<SchemaSpec> Schemas, CompiledSchemas Compiled) Build(int seed, LanguageVersion languageVersion = LanguageVersion.Preview)
    {
        var (source, schemas) = SchemaGrammar.Build(seed);
        var (_, output) = GeneratorHarness.Run(source, languageVersion);
        var errors = GeneratorHarness.Errors(output);
        Assert.True(errors.Count == 0, $"seed {seed} (C# {languageVersion}):\n{string.Join("\n", errors.Take(10))}\n\n{source}");
        return (source, schemas, new CompiledSchemas(seed, output));
    }

    /// <summary>The compiled schema class.</summary>
    public Type Type(SchemaSpec schema) => _assembly.GetType(schema.FullName, throwOnError: true)!;

    /// <summary><c>await TSchema.LoadAsync(Storage, header)</c>.</summary>
    public async Task<object> LoadAsync(Type schema, string? header)
    {
        var valueTask = schema.GetMethod("LoadAsync", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [Storage, header, CancellationToken.None])!;
        var task = (Task)valueTask.GetType().GetMethod("AsTask")!.Invoke(valueTask, null)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary><c>await session.CommitAsync()</c>: the header to send, or <see langword="null"/>.</summary>
    public static ValueTask<string?> CommitAsync(object session)
        => (ValueTask<string?>)session.GetType().GetMethod("CommitAsync")!.Invoke(session, [CancellationToken.None])!;

    public void Dispose() => _context.Unload();
}
