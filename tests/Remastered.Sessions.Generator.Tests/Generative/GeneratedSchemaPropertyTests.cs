using CsCheck;

// Schemas compiled at test time are reached by reflection; test assemblies are never trimmed.
#pragma warning disable IL2026, IL2072, IL2075, IL3050

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>
/// Random schemas from <see cref="SchemaGrammar"/>: each compiles with the generator with no error, and random values
/// round-trip through a JSON storage with the stored JSON byte-identical to System.Text.Json's default serialization.
/// CsCheck prints the seed of a failing case; <c>SchemaGrammar.Build(seed)</c> rebuilds its source.
/// </summary>
public sealed class GeneratedSchemaPropertyTests
{
    /// <summary>Compilations per run (each holds one to three schemas, so a few hundred schemas in all).</summary>
    private const int Compilations = 120;

    private static int s_comparedValues;
    private static int s_readOnlyRequests;

    [Fact]
    public void Every_schema_of_the_grammar_compiles_and_round_trips_as_System_Text_Json_writes_it()
    {
        s_comparedValues = 0;
        s_readOnlyRequests = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            // Half the schemas in C# 13, the first version with partial properties: generated code must not need a newer one.
            var languageVersion = seed % 2 == 0 ? Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview : Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp13;
            var (source, schemas, compiled) = CompiledSchemas.Build(seed, languageVersion);
            using (compiled)
            {
                RoundTrip(seed, source, compiled, schemas).GetAwaiter().GetResult();
            }
        }, iter: Compilations, threads: 1);

        // The comparison really ran: most keys hold a value (only a nullable value type may be set to null).
        Assert.True(s_comparedValues > Compilations, $"only {s_comparedValues} stored values were compared");
        Assert.True(s_readOnlyRequests > Compilations / 4, $"only {s_readOnlyRequests} read-only requests were checked");
    }

    private static async Task RoundTrip(int seed, string source, CompiledSchemas compiled, IReadOnlyList<SchemaSpec> schemas)
    {
        var storage = compiled.Storage;
        foreach (var schema in schemas)
        {
            var type = compiled.Type(schema);
            Task<object> Load(string? header) => compiled.LoadAsync(type, header);

            var session = await Load(null);
            type.GetMethod("__Fill")!.Invoke(null, [session]);
            var commit = CompiledSchemas.CommitAsync(session);
            // Every key may have been set to null (removed): then there is nothing to send and no cookie.
            var cookie = (await commit)?.Split(';')[0];
            var expected = (string[])type.GetMethod("__Expected")!.Invoke(null, null)!;

            // What the storage holds, key by key, is exactly System.Text.Json's text (a null value is no key at all).
            var stored = await SessionStore.LoadAsync(storage, cookie);
            for (var i = 0; i < schema.Keys.Count; i++)
            {
                var key = schema.Keys[i];
                if (expected[i] == "null")
                {
                    Assert.False(stored.Has(key.KeyName), $"seed {seed}: {key.KeyName} set to null is stored");
                }
                else
                {
                    Assert.True(stored.TryGet(key.KeyName, out var json), $"seed {seed}: {key.KeyName} missing");
                    Interlocked.Increment(ref s_comparedValues);
                    Assert.True(expected[i] == json!.ToString(), $"seed {seed}, {schema.FullName}.{key.PropertyName} ({key.DeclaredType}):\nexpected {expected[i]}\nstored   {json}\n\n{source}");
                }
            }

            var reloaded = await Load(cookie);
            var actual = (string[])type.GetMethod("__Actual")!.Invoke(null, [reloaded])!;
            for (var i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i] == actual[i], $"seed {seed}, {schema.FullName}.{schema.Keys[i].PropertyName}: read back {actual[i]}, wrote {expected[i]}\n\n{source}");
            }

            // A request that only read every key writes nothing (a loaded flash must be removed, so those differ).
            if (cookie is not null && !schema.Keys.Any(k => k.IsFlash))
            {
                Assert.False((bool)type.GetProperty("IsDirty")!.GetValue(reloaded)!, $"seed {seed}, {schema.FullName}: dirty after reads only\n\n{source}");
                var readOnly = await CompiledSchemas.CommitAsync(reloaded);
                Assert.True(readOnly is null, $"seed {seed}, {schema.FullName}: a read-only request sent {readOnly}\n\n{source}");
                Interlocked.Increment(ref s_readOnlyRequests);
            }
        }
    }
}
