using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>How widely a generated declaration is visible.</summary>
internal enum Access { Public, Internal, Private }

/// <summary>A type of the grammar: how to write it, and how to write a random value of it.</summary>
/// <param name="Syntax">The type as a declaration writes it (reference types without <c>?</c>).</param>
/// <param name="Value">A C# expression for a random value (never <see langword="null"/> at the top).</param>
/// <param name="Access">How visible the type is; private types are nested in the schema that uses them.</param>
internal sealed record TypeRef(string Syntax, Func<Random, string> Value, Access Access, bool IsValueType);

/// <summary>
/// Builds random, valid session schemas from a grammar of C# declarations: every supported value kind, collections and
/// dictionaries, user records / classes / structs / record structs with primary constructors, generic classes with
/// constrained type parameters, <c>init</c>,
/// <c>required</c> and <c>[JsonConstructor]</c>, nested up to three deep, nullable and not, every accessibility,
/// keyword identifiers, and several schemas per compilation. Each schema also gets static methods (in a second partial
/// declaration, so private types are in reach) that fill it with values, and that serialize the values it was filled
/// with and the values it reads back with System.Text.Json's default serializer.
/// </summary>
internal sealed class SchemaGrammar
{
    // Keyword identifiers, and _ (a name that turns "out _" and "_ = ..." in generated code into uses of the member).
    private static readonly string[] Keywords = ["@class", "@event", "@int", "@string", "@object", "@namespace", "_"];
    private readonly Random _random;
    private readonly StringBuilder _topLevel = new();
    private int _typeCount;

    // (Not "Value" or "Store": inside the schema, where the grammar's own code names its types, those are the generated members.)
    private static readonly string[] TakenTypeNames = ["StoreIn", "ToJson", "AsObject", "Item", "SessionJsonConverter", "FromItem", "ItemOfStoreIn"];
    private readonly HashSet<string> _usedTypeNames = new(StringComparer.Ordinal);

    private SchemaGrammar(int seed) => _random = new Random(seed);

    /// <summary>The source of one compilation with 1-3 schemas, and each schema's full name and key names.</summary>
    public static (string Source, IReadOnlyList<SchemaSpec> Schemas) Build(int seed)
    {
        var grammar = new SchemaGrammar(seed);
        var schemas = new List<SchemaSpec>();
        var body = new StringBuilder();
        var count = 1 + grammar._random.Next(3);
        for (var i = 0; i < count; i++)
        {
            schemas.Add(grammar.Schema(i, body));
        }

        var source = "#nullable enable\nusing Remastered.Sessions;\n\nnamespace Generated.@event;\n\n" + grammar._topLevel + body + DefaultImmutableArrays;
        return (source, schemas);
    }

    /// <summary>
    /// For the test hooks that read JSON with System.Text.Json: the library's one documented difference from it, a
    /// default ImmutableArray written as null (which System.Text.Json cannot write) and null read back as default.
    /// </summary>
    private const string DefaultImmutableArrays = """
        internal static class __Json
        {
            public static readonly System.Text.Json.JsonSerializerOptions Options = new() { Converters = { new DefaultImmutableArrays() } };

            private sealed class DefaultImmutableArrays : System.Text.Json.Serialization.JsonConverterFactory
            {
                public override bool CanConvert(System.Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>);

                public override System.Text.Json.Serialization.JsonConverter CreateConverter(System.Type type, System.Text.Json.JsonSerializerOptions options)
                    => (System.Text.Json.Serialization.JsonConverter)System.Activator.CreateInstance(typeof(Converter<>).MakeGenericType(type.GetGenericArguments()[0]))!;

                private sealed class Converter<T> : System.Text.Json.Serialization.JsonConverter<System.Collections.Immutable.ImmutableArray<T>>
                {
                    public override bool HandleNull => true;

                    public override System.Collections.Immutable.ImmutableArray<T> Read(ref System.Text.Json.Utf8JsonReader reader, System.Type type, System.Text.Json.JsonSerializerOptions options)
                        => reader.TokenType == System.Text.Json.JsonTokenType.Null ? default : System.Collections.Immutable.ImmutableArray.Create(System.Text.Json.JsonSerializer.Deserialize<T[]>(ref reader, options)!);

                    public override void Write(System.Text.Json.Utf8JsonWriter writer, System.Collections.Immutable.ImmutableArray<T> value, System.Text.Json.JsonSerializerOptions options)
                    {
                        if (value.IsDefault)
                        {
                            writer.WriteNullValue();
                        }
                        else
                        {
                            System.Text.Json.JsonSerializer.Serialize<System.Collections.Generic.IEnumerable<T>>(writer, value, options);
                        }
                    }
                }
            }
        }

        """;

    private SchemaSpec Schema(int index, StringBuilder body)
    {
        // Now and then the previous schema's name in other case: generated file names must still differ (Roslyn
        // compares them ignoring case).
        var name = index > 0 && _random.Next(4) == 0
            ? "SCHEMA" + (index - 1).ToString(CultureInfo.InvariantCulture)
            : "Schema" + index.ToString(CultureInfo.InvariantCulture);
        var nested = new StringBuilder();
        if (_random.Next(4) == 0)
        {
            // Nested types of the user's named like the generator's private members, which then take other names.
            nested.Append("    private sealed class __store { }\n    internal enum __SessionJson { A }\n    private delegate void __valueStore();\n");
        }

        var keys = new List<KeySpec>();
        var keyCount = 1 + _random.Next(5);
        for (var k = 0; k < keyCount; k++)
        {
            var type = Type(0, nested);
            var nullable = !type.Syntax.EndsWith('?') && (!type.IsValueType || _random.Next(2) == 0);
            var declared = type.Syntax + (nullable ? "?" : string.Empty);
            var propertyName = _random.Next(6) == 0 ? Keywords[k % Keywords.Length] : "K" + k.ToString(CultureInfo.InvariantCulture);
            var keyName = _random.Next(2) == 0 ? "key" + k.ToString(CultureInfo.InvariantCulture) : SchemaKeyName(propertyName);
            keys.Add(new KeySpec(propertyName, keyName, declared, type.Value(_random), type.Access, _random.Next(4) == 0));
        }

        // Keys whose types differ only in nullable annotations share one Value case.
        if (_random.Next(3) == 0)
        {
            keys.Add(new KeySpec("Names", "names", "System.Collections.Generic.List<string>?", "new System.Collections.Generic.List<string> { \"a\" }", Access.Public, false));
            keys.Add(new KeySpec("MaybeNames", "maybeNames", "System.Collections.Generic.List<string?>?", "new System.Collections.Generic.List<string?> { null, \"b\" }", Access.Public, false));
            keys.Add(new KeySpec("Text", "text", "string", "\"plain\"", Access.Public, false));
            keys.Add(new KeySpec("MaybeText", "maybeText", "string?", "\"maybe\"", Access.Public, false));
        }

        var schemaAccess = _random.Next(2) == 0 ? "public" : "internal";
        body.Append('[').Append("Session<JsonSessionStorage>]\n").Append(schemaAccess).Append(" partial class ").Append(name).Append("\n{\n");
        body.Append(nested);
        foreach (var key in keys)
        {
            var access = key.Access switch
            {
                Access.Private => "private",
                Access.Internal => _random.Next(2) == 0 ? "internal" : "private",
                _ => _random.Next(3) switch { 0 => "public", 1 => "internal", _ => "private" },
            };
            var attribute = key.IsFlash ? "Flash" : "SessionKey";
            body.Append("    [").Append(attribute).Append("(\"").Append(key.KeyName).Append("\")] ")
                .Append(access).Append(" partial ").Append(key.DeclaredType).Append(' ').Append(key.PropertyName).Append(" { get; set; }\n");
        }

        body.Append("}\n\n");

        // Test hooks in a second partial declaration: inside the schema, so private nested types are in reach.
        body.Append("partial class ").Append(name).Append("\n{\n");
        body.Append("    public static void __Fill(").Append(name).Append(" s)\n    {\n");
        foreach (var key in keys)
        {
            body.Append("        s.").Append(key.PropertyName).Append(" = ").Append(key.ValueExpression).Append(";\n");
        }

        body.Append("    }\n\n");
        body.Append("    public static string[] __Expected() => new string[]\n    {\n");
        foreach (var key in keys)
        {
            body.Append("        System.Text.Json.JsonSerializer.Serialize<").Append(key.DeclaredType).Append(">(").Append(key.ValueExpression).Append("),\n");
        }

        body.Append("    };\n\n");
        body.Append("    public static string[] __Actual(").Append(name).Append(" s) => new string[]\n    {\n");
        foreach (var key in keys)
        {
            body.Append("        System.Text.Json.JsonSerializer.Serialize<").Append(key.DeclaredType).Append(">(s.").Append(key.PropertyName).Append("),\n");
        }

        body.Append("    };\n\n");

        // System.Text.Json's reading of any JSON text as key i's type, written back ("!" when it refuses the text).
        body.Append("    public static string __Normalize(int i, string json)\n    {\n        try\n        {\n            switch (i)\n            {\n");
        for (var i = 0; i < keys.Count; i++)
        {
            body.Append("                case ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(": return System.Text.Json.JsonSerializer.Serialize<").Append(keys[i].DeclaredType)
                .Append(">(System.Text.Json.JsonSerializer.Deserialize<").Append(keys[i].DeclaredType).Append(">(json, __Json.Options)!, __Json.Options);\n");
        }

        body.Append("            }\n        }\n        catch (System.Exception e)\n        {\n            return \"!\" + e.GetType().Name + \": \" + e.Message;\n        }\n\n        return \"!\";\n    }\n\n");

        // Key i as read, written by System.Text.Json ("!" when it cannot write it, as a default ImmutableArray).
        body.Append("    public static string __ActualAt(").Append(name).Append(" s, int i)\n    {\n        try\n        {\n            switch (i)\n            {\n");
        for (var i = 0; i < keys.Count; i++)
        {
            body.Append("                case ").Append(i.ToString(CultureInfo.InvariantCulture)).Append(": return System.Text.Json.JsonSerializer.Serialize<").Append(keys[i].DeclaredType)
                .Append(">(s.").Append(keys[i].PropertyName).Append(", __Json.Options);\n");
        }

        body.Append("            }\n        }\n        catch (System.Exception e)\n        {\n            return \"!\" + e.GetType().Name + \": \" + e.Message;\n        }\n\n        return \"!\";\n    }\n}\n\n");
        return new SchemaSpec("Generated.event." + name, keys);
    }

    private static string SchemaKeyName(string propertyName)
    {
        var name = propertyName.TrimStart('@');
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    private TypeRef Type(int depth, StringBuilder nested)
    {
        var choice = _random.Next(depth >= 3 ? 15 : 24);
        return choice switch
        {
            0 => new("bool", r => r.Next(2) == 0 ? "true" : "false", Access.Public, true),
            1 => new("int", r => r.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture), Access.Public, true),
            2 => new("long", r => r.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture) + "L", Access.Public, true),
            3 => new("double", r => ((r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-5, 12))).ToString("R", CultureInfo.InvariantCulture) + "d", Access.Public, true),
            4 => new("decimal", r => (r.Next(-1_000_000, 1_000_000) / 100m).ToString(CultureInfo.InvariantCulture) + "m", Access.Public, true),
            5 => new("string", r => SymbolDisplay.FormatLiteral(RandomText(r), quote: true), Access.Public, false),
            6 => new("System.Guid", r => $"new System.Guid(\"{new Guid(Bytes(r, 16))}\")", Access.Public, true),
            7 => new("System.DateTime", r => $"new System.DateTime({r.NextInt64(0, DateTime.MaxValue.Ticks)}L, System.DateTimeKind.Utc)", Access.Public, true),
            8 => new("System.DateOnly", r => $"System.DateOnly.FromDayNumber({r.Next(0, 3_000_000)})", Access.Public, true),
            9 => new("System.TimeSpan", r => $"System.TimeSpan.FromTicks({r.NextInt64(-100_000_000_000_000, 100_000_000_000_000)}L)", Access.Public, true),
            10 => new("byte[]", r => "new byte[] { " + string.Join(", ", Bytes(r, r.Next(0, 6))) + " }", Access.Public, false),
            11 => Enum(nested),
            12 => new("char", r => SymbolDisplay.FormatLiteral((char)r.Next('a', 'z' + 1), quote: true), Access.Public, true),
            13 => new("System.Uri", r => $"new System.Uri(\"https://example.test/{r.Next(1000)}?q=a%20b\", System.UriKind.RelativeOrAbsolute)", Access.Public, false),
            14 => new("System.TimeOnly", r => r.Next(2) == 0 ? $"new System.TimeOnly({r.Next(24)}, {r.Next(60)}, {r.Next(60)})" : $"new System.TimeOnly({r.NextInt64(0, TimeOnly.MaxValue.Ticks)}L)", Access.Public, true),
            15 or 16 => Collection(depth, nested),
            17 => Nullable(depth, nested),
            _ => UserType(depth, nested),
        };
    }

    private TypeRef Collection(int depth, StringBuilder nested)
    {
        var element = Type(depth + 1, nested);
        var elementSyntax = element.IsValueType || element.Syntax.EndsWith('?') || _random.Next(2) == 0 ? element.Syntax : element.Syntax + "?";
        Func<Random, string> items = r => string.Join(", ", Enumerable.Range(0, r.Next(0, 4)).Select(_ => element.Value(r)));
        return _random.Next(10) switch
        {
            0 => new($"System.Collections.Generic.List<{elementSyntax}>", r => $"new System.Collections.Generic.List<{elementSyntax}> {{ {items(r)} }}", element.Access, false),
            1 => new($"{elementSyntax}[]", r => $"new {elementSyntax}[] {{ {items(r)} }}", element.Access, false),
            2 => new($"System.Collections.Generic.Dictionary<string, {elementSyntax}>", r => "new System.Collections.Generic.Dictionary<string, " + elementSyntax + "> { "
                + string.Join(", ", Enumerable.Range(0, r.Next(0, 4)).Select(i => $"[\"k{i}\"] = {element.Value(r)}")) + " }", element.Access, false),
            3 => new($"System.Collections.Generic.IReadOnlyList<{elementSyntax}>", r => $"new System.Collections.Generic.List<{elementSyntax}> {{ {items(r)} }}", element.Access, false),
            5 => new($"System.Collections.Immutable.ImmutableList<{elementSyntax}>", r => $"System.Collections.Immutable.ImmutableList.Create<{elementSyntax}>({items(r)})", element.Access, false),
            6 => new($"System.Collections.Immutable.ImmutableArray<{elementSyntax}>", r => $"System.Collections.Immutable.ImmutableArray.Create<{elementSyntax}>({items(r)})", element.Access, true),
            7 => new($"System.Collections.Immutable.ImmutableDictionary<string, {elementSyntax}>", r => "System.Collections.Immutable.ImmutableDictionary.CreateRange(new System.Collections.Generic.Dictionary<string, " + elementSyntax + "> { "
                + string.Join(", ", Enumerable.Range(0, r.Next(0, 4)).Select(i => $"[\"k{i}\"] = {element.Value(r)}")) + " })", element.Access, false),
            8 => new($"System.Collections.Generic.Dictionary<long, {elementSyntax}>", r => "new System.Collections.Generic.Dictionary<long, " + elementSyntax + "> { "
                + string.Join(", ", Enumerable.Range(0, r.Next(0, 4)).Select(i => $"[{(i * 1_000_000_007L) - 5}L] = {element.Value(r)}")) + " }", element.Access, false),
            _ => new("System.Collections.Generic.HashSet<int>", r => "new System.Collections.Generic.HashSet<int> { " + string.Join(", ", Enumerable.Range(0, r.Next(0, 4)).Select(i => (i * 7) - 3)) + " }", Access.Public, false),
        };
    }

    private TypeRef Nullable(int depth, StringBuilder nested)
    {
        TypeRef inner;
        do
        {
            inner = Type(depth + 1, nested);
        }
        while (!inner.IsValueType || inner.Syntax.EndsWith('?'));

        return new(inner.Syntax + "?", r => r.Next(3) == 0 ? $"({inner.Syntax}?)null" : inner.Value(r), inner.Access, true);
    }

    private TypeRef Enum(StringBuilder nested)
    {
        var name = "Kind" + (_typeCount++).ToString(CultureInfo.InvariantCulture);
        var underlying = _random.Next(3) switch { 0 => "int", 1 => "long", _ => "byte" };
        var (access, target, prefix) = Placement(nested);
        target.Append(prefix).Append("enum ").Append(name).Append(" : ").Append(underlying).Append(" { A, B = 5, C = 7 }\n\n");
        var letters = new[] { "A", "B", "C" };
        return new(name, r => name + "." + letters[r.Next(3)], access, true);
    }

    private (Access Access, StringBuilder Target, string Prefix) Placement(StringBuilder nested) => _random.Next(3) switch
    {
        0 => (Access.Public, _topLevel, "public "),
        1 => (Access.Internal, _topLevel, "internal "),
        _ => (Access.Private, nested, "    private "),
    };

    private TypeRef UserType(int depth, StringBuilder nested)
    {
        var (access, target, prefix) = Placement(nested);
        var name = "T" + (_typeCount++).ToString(CultureInfo.InvariantCulture);
        if (access != Access.Private && _random.Next(4) == 0 && TakenTypeNames[_random.Next(TakenTypeNames.Length)] is var taken && !_usedTypeNames.Contains(taken))
        {
            // Names the generated code gives members and cases of its own (the Value union's StoreIn once clashed).
            name = taken;
            _usedTypeNames.Add(taken);
        }

        var members = new List<(string Name, string Type, Func<Random, string> Value, bool CanBeNull)>();
        var count = 1 + _random.Next(4);
        for (var i = 0; i < count; i++)
        {
            TypeRef member;
            do
            {
                member = Type(depth + 1, nested);
            }
            while (member.Access > access); // members at least as visible as the type

            var memberName = _random.Next(5) == 0 ? Keywords[i % Keywords.Length] : "M" + i.ToString(CultureInfo.InvariantCulture);
            var nullable = !member.IsValueType && _random.Next(2) == 0;
            Func<Random, string> value = nullable ? r => r.Next(4) == 0 ? "null" : member.Value(r) : member.Value;
            members.Add((memberName, member.Syntax + (nullable ? "?" : string.Empty), value, !member.IsValueType || member.Syntax.EndsWith('?')));
        }

        var form = _random.Next(10);
        var isValueType = form is 3 or 4;
        var declaration = new StringBuilder(prefix);
        string Assignments(Random r) => string.Join(", ", members.Select(m => $"{m.Name} = {m.Value(r)}"));
        string Arguments(Random r) => string.Join(", ", members.Select(m => m.Value(r)));
        Func<Random, string> construct;
        switch (form)
        {
            case 0: // positional record
                declaration.Append("record ").Append(name).Append('(').Append(string.Join(", ", members.Select(m => m.Type + " " + m.Name))).Append(");\n\n");
                construct = r => $"new {name}({Arguments(r)})";
                break;
            case 1: // class with settable properties
                declaration.Append("class ").Append(name).Append(" { ").Append(string.Join(" ", members.Select(m => $"public {m.Type} {m.Name} {{ get; set; }}"))).Append(" }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 2: // class with required and init members
                declaration.Append("class ").Append(name).Append(" { ").Append(string.Join(" ", members.Select((m, i) => i % 2 == 0 ? $"public required {m.Type} {m.Name} {{ get; init; }}" : $"public {m.Type} {m.Name} {{ get; init; }}"))).Append(" }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 3: // struct with settable properties
                declaration.Append("struct ").Append(name).Append(" { ").Append(string.Join(" ", members.Select(m => $"public {m.Type} {m.Name} {{ get; set; }}"))).Append(" }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 4: // positional record struct
                declaration.Append("record struct ").Append(name).Append('(').Append(string.Join(", ", members.Select(m => m.Type + " " + m.Name))).Append(");\n\n");
                construct = r => $"new {name}({Arguments(r)})";
                break;
            case 6: // class with a parameterless constructor and another (System.Text.Json reads with the first), and a computed member (written, never read back)
                declaration.Append("class ").Append(name).Append(" { public ").Append(name).Append("() { } public ").Append(name).Append("(int ignored) { } ")
                    .Append(string.Join(" ", members.Select(m => $"public {m.Type} {m.Name} {{ get; set; }}")))
                    .Append(" public string Computed => \"").Append(name).Append("\"; }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 7: // class with [JsonIgnore] conditions: left out when null or default, never ignored, always ignored
                string Ignore(bool canBeNull) => _random.Next(4) switch
                {
                    0 => string.Empty,
                    1 => "[System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] ",
                    2 when canBeNull => "[System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ",
                    _ => "[System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] ",
                };
                declaration.Append("class ").Append(name).Append(" { ").Append(string.Join(" ", members.Select(m => $"{Ignore(m.CanBeNull)}public {m.Type} {m.Name} {{ get; set; }}")))
                    .Append(" [System.Text.Json.Serialization.JsonIgnore] public int Skipped { get; set; } }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 8: // class over a base class: a virtual member overridden (plain, renamed or ignored), the rest split between the two
                var overrideAttribute = _random.Next(3) switch
                {
                    0 => string.Empty,
                    1 => "[System.Text.Json.Serialization.JsonPropertyName(\"renamed\")] ",
                    _ => "[System.Text.Json.Serialization.JsonIgnore] ",
                };
                var first = members[0];
                var split = 1 + _random.Next(members.Count);
                declaration.Append("class ").Append(name).Append("Base { public virtual ").Append(first.Type).Append(' ').Append(first.Name).Append(" { get; set; } ")
                    .Append(string.Join(" ", members.Skip(1).Take(split - 1).Select(m => $"public {m.Type} {m.Name} {{ get; set; }}"))).Append(" }\n\n");
                declaration.Append(prefix).Append("class ").Append(name).Append(" : ").Append(name).Append("Base { ").Append(overrideAttribute).Append("public override ").Append(first.Type).Append(' ').Append(first.Name).Append(" { get; set; } ")
                    .Append(string.Join(" ", members.Skip(split).Select(m => $"public {m.Type} {m.Name} {{ get; set; }}"))).Append(" }\n\n");
                construct = r => $"new {name} {{ {Assignments(r)} }}";
                break;
            case 9: // generic class of init members, one type parameter per member (constrained to struct or notnull where it can be), closed with the members' types
                string Constraint(int i, (string Name, string Type, Func<Random, string> Value, bool CanBeNull) m)
                    => !m.CanBeNull ? $" where P{i} : struct" : !m.Type.EndsWith('?') && _random.Next(2) == 0 ? $" where P{i} : notnull" : string.Empty;
                declaration.Append("class ").Append(name).Append('<').Append(string.Join(", ", members.Select((_, i) => "P" + i.ToString(CultureInfo.InvariantCulture)))).Append('>')
                    .Append(string.Concat(members.Select((m, i) => Constraint(i, m)))).Append(" { ")
                    .Append(string.Join(" ", members.Select((m, i) => $"public P{i} {m.Name} {{ get; init; }}"))).Append(" }\n\n");
                var closed = name + "<" + string.Join(", ", members.Select(m => m.Type)) + ">";
                target.Append(declaration);
                return new(closed, r => $"new {closed} {{ {Assignments(r)} }}", access, false);
            default: // [JsonConstructor] over get-only properties
                declaration.Append("class ").Append(name).Append(" { [System.Text.Json.Serialization.JsonConstructor] public ").Append(name).Append('(')
                    .Append(string.Join(", ", members.Select(m => m.Type + " " + m.Name))).Append(") { ")
                    .Append(string.Join(" ", members.Select(m => $"this.{m.Name} = {m.Name};"))).Append(" } ")
                    .Append(string.Join(" ", members.Select(m => $"public {m.Type} {m.Name} {{ get; }}"))).Append(" }\n\n");
                construct = r => $"new {name}({Arguments(r)})";
                break;
        }

        target.Append(declaration);
        return new(name, construct, access, isValueType);
    }

    private static byte[] Bytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "abcXYZ 019\"\\<>&'+`é€😀\n\t";
        var length = random.Next(0, 9);
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var index = random.Next(alphabet.Length);
            if (char.IsHighSurrogate(alphabet[index]))
            {
                builder.Append(alphabet, index, 2);
            }
            else if (!char.IsLowSurrogate(alphabet[index]))
            {
                builder.Append(alphabet[index]);
            }
        }

        return builder.ToString();
    }
}

internal sealed record KeySpec(string PropertyName, string KeyName, string DeclaredType, string ValueExpression, Access Access, bool IsFlash);

internal sealed record SchemaSpec(string FullName, IReadOnlyList<KeySpec> Keys);
