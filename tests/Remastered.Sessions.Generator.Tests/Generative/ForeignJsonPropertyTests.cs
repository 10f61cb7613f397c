using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

// Schemas compiled at test time are reached by reflection; test assemblies are never trimmed.
#pragma warning disable IL2026, IL2072, IL2075, IL3050

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>
/// Stored JSON this library did not write: a server-side store holds what an earlier version of the app, another
/// service or a hand edit put there. Random schemas from <see cref="SchemaGrammar"/>, their values' JSON rewritten in
/// forms System.Text.Json also reads (whitespace, property order, escapes, unknown, repeated, missing or re-cased
/// properties, numbers as 1.0 or 1e0, nulls), and each key read through the generated schema: where System.Text.Json
/// reads the text, the key reads the same value (compared as System.Text.Json writes both); where it refuses the text,
/// the key reads as absent. CsCheck prints the seed of a failing case.
/// </summary>
public sealed class ForeignJsonPropertyTests
{
    private const int Compilations = 60;
    private const int VariantsPerKey = 12;

    private static int s_accepted;
    private static int s_refused;

    [Fact]
    public void Stored_JSON_in_any_form_reads_as_System_Text_Json_reads_it_or_as_absent()
    {
        s_accepted = 0;
        s_refused = 0;
        Gen.Int[0, int.MaxValue].Sample(seed =>
        {
            var (source, schemas, compiled) = CompiledSchemas.Build(seed);
            using (compiled)
            {
                CheckAsync(seed, source, compiled, schemas).GetAwaiter().GetResult();
            }
        }, iter: Compilations, threads: 1);

        // Both outcomes really occurred, many times.
        Assert.True(s_accepted > Compilations * 10, $"only {s_accepted} variants were read by System.Text.Json");
        Assert.True(s_refused > Compilations, $"only {s_refused} variants were refused by System.Text.Json");
    }

    private static async Task CheckAsync(int seed, string source, CompiledSchemas compiled, IReadOnlyList<SchemaSpec> schemas)
    {
        var storage = compiled.Storage;
        var random = new Random(seed);
        foreach (var schema in schemas)
        {
            var type = compiled.Type(schema);
            Task<object> Load(string? header) => compiled.LoadAsync(type, header);

            string ActualAt(object session, int key) => (string)type.GetMethod("__ActualAt")!.Invoke(null, [session, key])!;
            string Normalize(int key, string json) => (string)type.GetMethod("__Normalize")!.Invoke(null, [key, json])!;

            var empty = await Load(null);
            var expected = (string[])type.GetMethod("__Expected")!.Invoke(null, null)!;
            for (var i = 0; i < schema.Keys.Count; i++)
            {
                if (expected[i] == "null")
                {
                    continue;
                }

                for (var v = 0; v < VariantsPerKey; v++)
                {
                    var variant = ForeignJson.Rewrite(expected[i], random);
                    var store = await SessionStore.LoadAsync(storage, null);
                    var flash = schema.Keys[i].IsFlash;
                    if (flash)
                    {
                        store.Flash(schema.Keys[i].KeyName, JsonSessionValue.Parse(variant));
                    }
                    else
                    {
                        store.Set(schema.Keys[i].KeyName, JsonSessionValue.Parse(variant));
                    }

                    var cookie = (await store.CommitAsync())!.Split(';')[0];
                    var session = await Load(cookie);
                    var read = ActualAt(session, i);
                    var systemTextJson = Normalize(i, variant);
                    var what = $"seed {seed}, {schema.FullName}.{schema.Keys[i].PropertyName} ({schema.Keys[i].DeclaredType})\nstored   {variant}\n";
                    if (systemTextJson.StartsWith('!'))
                    {
                        Interlocked.Increment(ref s_refused);
                        Assert.True(read == ActualAt(empty, i), $"{what}System.Text.Json refuses it ({systemTextJson}); read {read}, absent reads {ActualAt(empty, i)}\n\n{source}");
                    }
                    else
                    {
                        Interlocked.Increment(ref s_accepted);
                        Assert.True(read == systemTextJson, $"{what}System.Text.Json reads {systemTextJson}\nread as   {read}\n\n{source}");
                    }

                    // Only read: nothing is written back, whatever form the stored JSON has, and it stays as it was (a flash
                    // value is consumed by the commit, as flash values are, whether it could be read or not).
                    var commit = await CompiledSchemas.CommitAsync(session);
                    if (flash)
                    {
                        // A server-side storage: the commit sends no cookie for a content-only change, the id stays.
                        Assert.False((await SessionStore.LoadAsync(storage, commit?.Split(';')[0] ?? cookie)).Has(schema.Keys[i].KeyName), $"{what}the flash value outlived its request\n\n{source}");
                    }
                    else
                    {
                        Assert.True(commit is null, $"{what}a request that only read it sent {commit}\n\n{source}");
                        Assert.Equal(variant.Trim(), (await SessionStore.LoadAsync(storage, cookie)).Get(schema.Keys[i].KeyName)!.ToString());
                    }
                }
            }
        }
    }
}

/// <summary>Writes a JSON value again in another form that still parses: what a foreign writer might have stored.</summary>
internal static class ForeignJson
{
    public static string Rewrite(string json, Random random)
    {
        using var document = JsonDocument.Parse(json);
        var text = new StringBuilder();
        Write(document.RootElement, random, text, depth: 0);
        return text.ToString();
    }

    private static void Write(JsonElement element, Random random, StringBuilder text, int depth)
    {
        Space(random, text);
        if (depth > 0 && random.Next(40) == 0)
        {
            text.Append("null");
            return;
        }

        // A value of another kind, as a deploy that changed a member's type leaves behind.
        if (random.Next(50) == 0)
        {
            text.Append(random.Next(8) switch { 0 => "\"5\"", 1 => "5", 2 => "true", 3 => "[]", 4 => "{}", 5 => "\"2026-01-01\"", 6 => "-1.5e3", _ => "\"\"" });
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().Select(p => (Name: p.Name, Value: (JsonElement?)p.Value)).ToList();
                if (random.Next(3) == 0)
                {
                    properties = properties.OrderBy(_ => random.Next()).ToList();
                }

                if (properties.Count > 0 && random.Next(8) == 0)
                {
                    properties.RemoveAt(random.Next(properties.Count));
                }

                if (properties.Count > 0 && random.Next(8) == 0)
                {
                    var repeated = properties[random.Next(properties.Count)];
                    properties.Insert(random.Next(properties.Count + 1), repeated);
                }

                if (properties.Count > 0 && random.Next(12) == 0)
                {
                    var index = random.Next(properties.Count);
                    var name = properties[index].Name;
                    properties[index] = (name.ToUpperInvariant() == name ? name.ToLowerInvariant() : name.ToUpperInvariant(), properties[index].Value);
                }

                if (random.Next(6) == 0)
                {
                    properties.Insert(random.Next(properties.Count + 1), ("unknown" + random.Next(10).ToString(CultureInfo.InvariantCulture), null));
                }

                text.Append('{');
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0)
                    {
                        Space(random, text);
                        text.Append(',');
                    }

                    Space(random, text);
                    String(properties[i].Name, random, text);
                    Space(random, text);
                    text.Append(':');
                    if (properties[i].Value is { } value)
                    {
                        Write(value, random, text, depth + 1);
                    }
                    else
                    {
                        // An unknown member, of any shape.
                        text.Append(random.Next(4) switch { 0 => "1", 1 => "\"x\"", 2 => "[1, {\"a\": null}]", _ => "{\"b\": [true]}" });
                    }
                }

                Space(random, text);
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        Space(random, text);
                        text.Append(',');
                    }

                    first = false;
                    Write(item, random, text, depth + 1);
                }

                Space(random, text);
                text.Append(']');
                break;
            case JsonValueKind.String:
                String(element.GetString()!, random, text);
                break;
            case JsonValueKind.Number:
                text.Append(Number(element.GetRawText(), random));
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }

        Space(random, text);
    }

    /// <summary>The same number in another spelling: 5 as 5.0 or 5e0, 1.5 as 1.50 or 15e-1.</summary>
    private static string Number(string raw, Random random)
    {
        if (random.Next(4) != 0)
        {
            return raw;
        }

        var exponent = raw.IndexOfAny(['e', 'E']) >= 0;
        return (raw.Contains('.', StringComparison.Ordinal), exponent, random.Next(3)) switch
        {
            (_, true, _) => raw,
            (false, false, 0) => raw + ".0",
            (false, false, 1) => raw + "e0",
            (false, false, _) => raw.TrimStart('-') == "0" ? raw + ".0" : raw + "0e-1",
            (true, false, 0) => raw + "0",
            (true, false, 1) => raw + "E+0",
            (true, false, _) => Scaled(raw),
        };
    }

    /// <summary>1.25 as 125e-2, -0.05 as -5e-2 (JSON allows no leading zeros).</summary>
    private static string Scaled(string raw)
    {
        var negative = raw.StartsWith('-');
        var digits = raw.TrimStart('-');
        var scale = digits.Length - digits.IndexOf('.', StringComparison.Ordinal) - 1;
        var mantissa = digits.Replace(".", string.Empty, StringComparison.Ordinal).TrimStart('0');
        return (negative ? "-" : string.Empty) + (mantissa.Length == 0 ? "0" : mantissa) + "e-" + scale.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON string whose characters are escaped at random (\u forms, and the short ones where they exist).</summary>
    private static void String(string value, Random random, StringBuilder text)
    {
        text.Append('"');
        var escapeLow = false;
        foreach (var c in value)
        {
            // A surrogate pair is escaped whole or not at all (a lone escaped half is text no writer produces).
            var escape = char.IsLowSurrogate(c) ? escapeLow : c < 0x20 || c == '"' || c == '\\' || random.Next(5) == 0;
            escapeLow = char.IsHighSurrogate(c) && escape;
            if (!escape)
            {
                text.Append(c);
            }
            else if (c == '"' || c == '\\' || (c == '/' && random.Next(2) == 0))
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c switch
                {
                    '\n' when random.Next(2) == 0 => "\\n",
                    '\t' when random.Next(2) == 0 => "\\t",
                    _ => "\\u" + ((int)c).ToString(random.Next(2) == 0 ? "X4" : "x4", CultureInfo.InvariantCulture),
                });
            }
        }

        text.Append('"');
    }

    private static void Space(Random random, StringBuilder text)
    {
        if (random.Next(4) == 0)
        {
            text.Append(random.Next(4) switch { 0 => " ", 1 => "\n", 2 => "\t", _ => "\r\n  " });
        }
    }
}
