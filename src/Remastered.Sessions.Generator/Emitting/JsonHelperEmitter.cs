using System;
using System.Collections.Generic;
using System.Linq;
using Remastered.Sessions.Generator.Helpers;
using Remastered.Sessions.Generator.Models;

namespace Remastered.Sessions.Generator.Emitting
{
    /// <summary>Emits the reflection-free JSON write and read helpers of a schema's value graph.</summary>
    internal static class JsonHelperEmitter
    {
        private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
        private const string Reader = "global::System.Text.Json.Utf8JsonReader";
        private const string CompactReader = "global::Remastered.Sessions.Schemas.Support.CompactJsonReader";
        private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";

        /// <summary>The name of the nested class that holds the helpers (double underscore: never a user's name).</summary>
        public const string ClassName = "\u0001SessionJson";

        public static void Emit(SourceWriter w, EquatableArray<JsonTypeModel> types, HashSet<string> compact, string generatedCode)
        {
            // Oblivious on purpose: one helper per type serves List<string> and List<string?> alike.
            w.WriteLine("#nullable disable");
            w.WriteLine(generatedCode);
            w.OpenBlock("private static class " + ClassName);
            foreach (var type in types)
            {
                EmitWrite(w, type);
                w.WriteLine();
                EmitRead(w, type);
                w.WriteLine();
                if (compact.Contains(type.Helper))
                {
                    EmitCompactRead(w, type);
                    w.WriteLine();
                }

                EmitInitAccessors(w, type);
            }

            w.OpenBlock("private static global::System.Text.Json.JsonException Unexpected(ref " + Reader + " reader, string expected)");
            w.WriteLine("return new global::System.Text.Json.JsonException(\"Expected \" + expected + \" but found \" + reader.TokenType + \".\");");
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine("#nullable enable");
        }

        private const string TooDeep = "throw global::Remastered.Sessions.Schemas.Support.SchemaValues.TooDeep();";

        private static void EmitWrite(SourceWriter w, JsonTypeModel t)
        {
            w.OpenBlock($"public static void Write_{t.Helper}({Writer} writer, {t.Type} value)");
            if (t.IsReferenceType)
            {
                w.OpenBlock("if (value is null)").WriteLine("writer.WriteNullValue();").WriteLine("return;").CloseBlock().WriteLine();
            }

            // System.Text.Json's depth limit, exactly: no value but null inside 64 open objects or arrays (an object
            // cycle becomes the library's error, never a stack overflow). A Nullable<T> defers to its value's helper.
            if (t.Kind is not (JsonTypeKind.Nullable or JsonTypeKind.ImmutableArray))
            {
                w.OpenBlock("if (writer.CurrentDepth >= 64)").WriteLine(TooDeep).CloseBlock().WriteLine();
            }

            switch (t.Kind)
            {
                case JsonTypeKind.Boolean: w.WriteLine("writer.WriteBooleanValue(value);"); break;
                case JsonTypeKind.Byte:
                case JsonTypeKind.SByte:
                case JsonTypeKind.Int16:
                case JsonTypeKind.UInt16: w.WriteLine("writer.WriteNumberValue((int)value);"); break;
                case JsonTypeKind.Int32:
                case JsonTypeKind.UInt32:
                case JsonTypeKind.Int64:
                case JsonTypeKind.UInt64:
                case JsonTypeKind.Decimal: w.WriteLine("writer.WriteNumberValue(value);"); break;
                case JsonTypeKind.Single:
                case JsonTypeKind.Double:
                    // JSON has no NaN or infinity: the library's own error (naming the key) instead of the writer's.
                    // (Written as a name only while a value read from the store is compared with itself as read.)
                    w.OpenBlock($"if (!{(t.Kind == JsonTypeKind.Single ? "float" : "double")}.IsFinite(value))").WriteLine("global::Remastered.Sessions.Schemas.Support.SchemaValues.WriteNonFinite(writer, value);").WriteLine("return;").CloseBlock();
                    w.WriteLine("writer.WriteNumberValue(value);");
                    break;
                case JsonTypeKind.Char: w.WriteLine("writer.WriteStringValue(value.ToString());"); break;
                case JsonTypeKind.String:
                case JsonTypeKind.Guid:
                case JsonTypeKind.DateTime:
                case JsonTypeKind.DateTimeOffset: w.WriteLine("writer.WriteStringValue(value);"); break;
                // System.Text.Json's forms: DateOnly as yyyy-MM-dd, TimeOnly with seven fraction digits only when there is a fraction.
                case JsonTypeKind.DateOnly: w.WriteLine($"writer.WriteStringValue(value.ToString(\"O\", {Invariant}));"); break;
                case JsonTypeKind.TimeOnly:
                    w.WriteLine($"writer.WriteStringValue(value.ToString(value.Ticks % global::System.TimeSpan.TicksPerSecond == 0 ? \"HH:mm:ss\" : \"HH:mm:ss.fffffff\", {Invariant}));");
                    break;
                case JsonTypeKind.TimeSpan: w.WriteLine($"writer.WriteStringValue(value.ToString(\"c\", {Invariant}));"); break;
                case JsonTypeKind.Uri: w.WriteLine("writer.WriteStringValue(value.OriginalString);"); break;
                case JsonTypeKind.ByteArray: w.WriteLine("writer.WriteBase64StringValue(value);"); break;
                case JsonTypeKind.Enum:
                    w.WriteLine($"writer.WriteNumberValue(({NumericType(t.EnumUnderlying!.Value)})value);");
                    break;
                case JsonTypeKind.Nullable:
                    w.OpenBlock("if (value is null)").WriteLine("writer.WriteNullValue();").CloseBlock();
                    w.OpenBlock("else").WriteLine($"Write_{t.ElementHelper}(writer, value.GetValueOrDefault());").CloseBlock();
                    break;
                case JsonTypeKind.ImmutableArray:
                    // A default ImmutableArray has no array to enumerate (System.Text.Json throws): written as null.
                    w.OpenBlock("if (value.IsDefault)").WriteLine("writer.WriteNullValue();").WriteLine("return;").CloseBlock();
                    w.OpenBlock("if (writer.CurrentDepth >= 64)").WriteLine(TooDeep).CloseBlock();
                    goto case JsonTypeKind.Array;
                case JsonTypeKind.Array:
                case JsonTypeKind.List:
                case JsonTypeKind.Set:
                case JsonTypeKind.ImmutableList:
                case JsonTypeKind.ImmutableSet:
                    w.WriteLine("writer.WriteStartArray();");
                    w.OpenBlock("foreach (var item in value)").WriteLine($"Write_{t.ElementHelper}(writer, item);").CloseBlock();
                    w.WriteLine("writer.WriteEndArray();");
                    break;
                case JsonTypeKind.Dictionary:
                case JsonTypeKind.ImmutableDictionary:
                    w.WriteLine("writer.WriteStartObject();");
                    w.OpenBlock("foreach (var pair in value)");
                    // Keys as System.Text.Json writes them: integers in invariant digits, Guids in the "D" format.
                    w.WriteLine(t.DictionaryKey switch
                    {
                        JsonTypeKind.String => "writer.WritePropertyName(pair.Key);",
                        JsonTypeKind.Guid => "writer.WritePropertyName(pair.Key.ToString(\"D\", " + Invariant + "));",
                        _ => "writer.WritePropertyName(pair.Key.ToString(" + Invariant + "));",
                    });
                    w.WriteLine($"Write_{t.ElementHelper}(writer, pair.Value);");
                    w.CloseBlock();
                    w.WriteLine("writer.WriteEndObject();");
                    break;
                case JsonTypeKind.Object:
                    w.WriteLine("writer.WriteStartObject();");
                    foreach (var m in t.Members)
                    {
                        var condition = m.WriteCondition switch
                        {
                            JsonWriteCondition.WhenNotNull => $"if ({m.On("value")} is not null)",
                            JsonWriteCondition.WhenNotDefault => $"if (!global::System.Collections.Generic.EqualityComparer<{m.Type}>.Default.Equals({m.On("value")}, default!))",
                            _ => null,
                        };
                        // A member never read back (computed, a private setter) is left out when the tracker compares
                        // what a value would read back as: alone it cannot make a change the next request sees.
                        var writtenOnly = IsSkippedOnRead(m) && m.ReadsInto < 0;
                        if (writtenOnly)
                        {
                            w.OpenBlock("if (!global::Remastered.Sessions.Schemas.Support.SchemaValues.WritesReadBackOnly)");
                        }

                        if (condition is not null)
                        {
                            w.OpenBlock(condition);
                        }

                        w.WriteLine($"writer.WritePropertyName({Literal(m.JsonName)}u8);");
                        w.WriteLine($"Write_{m.Helper}(writer, {m.On("value")});");
                        if (condition is not null)
                        {
                            w.CloseBlock();
                        }

                        if (writtenOnly)
                        {
                            w.CloseBlock();
                        }
                    }

                    w.WriteLine("writer.WriteEndObject();");
                    break;
            }

            w.CloseBlock();
        }

        private static void EmitRead(SourceWriter w, JsonTypeModel t)
        {
            w.OpenBlock($"public static {t.Type} Read_{t.Helper}(ref {Reader} reader)");
            if (t.IsReferenceType)
            {
                w.OpenBlock("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").WriteLine("return null;").CloseBlock().WriteLine();
            }

            switch (t.Kind)
            {
                case JsonTypeKind.Boolean: w.WriteLine("return reader.GetBoolean();"); break;
                case JsonTypeKind.Byte:
                case JsonTypeKind.SByte:
                case JsonTypeKind.Int16:
                case JsonTypeKind.UInt16:
                case JsonTypeKind.Int32:
                case JsonTypeKind.UInt32:
                case JsonTypeKind.Int64:
                case JsonTypeKind.UInt64:
                case JsonTypeKind.Single:
                case JsonTypeKind.Double:
                case JsonTypeKind.Decimal:
                case JsonTypeKind.Guid:
                case JsonTypeKind.DateTime:
                case JsonTypeKind.DateTimeOffset:
                case JsonTypeKind.String: w.WriteLine($"return reader.Get{t.Kind}();"); break;
                case JsonTypeKind.Char:
                    w.WriteLine("var text = reader.GetString();");
                    w.WriteLine("return text is { Length: 1 } ? text[0] : throw Unexpected(ref reader, \"a one-character string\");");
                    break;
                case JsonTypeKind.DateOnly:
                    // A null or a number is the wrong shape, as for System.Text.Json (never a null string to parse).
                    w.OpenBlock("if (reader.TokenType != global::System.Text.Json.JsonTokenType.String)").WriteLine("throw Unexpected(ref reader, \"a string\");").CloseBlock();
                    w.WriteLine($"return global::System.DateOnly.ParseExact(reader.GetString()!, \"O\", {Invariant});");
                    break;
                // System.Text.Json's own rules (shorter forms such as "10:00" included, whitespace refused).
                case JsonTypeKind.TimeOnly:
                    w.WriteLine("return global::Remastered.Sessions.Schemas.Support.SchemaValues.ReadTimeOnly(ref reader);");
                    break;
                case JsonTypeKind.TimeSpan:
                    w.WriteLine("return global::Remastered.Sessions.Schemas.Support.SchemaValues.ReadTimeSpan(ref reader);");
                    break;
                case JsonTypeKind.Uri:
                    w.WriteLine("return new global::System.Uri(reader.GetString()!, global::System.UriKind.RelativeOrAbsolute);");
                    break;
                case JsonTypeKind.ByteArray: w.WriteLine("return reader.GetBytesFromBase64();"); break;
                case JsonTypeKind.Enum:
                    w.WriteLine($"return ({t.Type})reader.Get{t.EnumUnderlying}();");
                    break;
                case JsonTypeKind.Nullable:
                    w.WriteLine($"return reader.TokenType == global::System.Text.Json.JsonTokenType.Null ? null : Read_{t.ElementHelper}(ref reader);");
                    break;
                case JsonTypeKind.ImmutableArray:
                    w.OpenBlock("if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null)").WriteLine("return default;").CloseBlock().WriteLine();
                    EmitReadArray(w, t);
                    break;
                case JsonTypeKind.Array:
                case JsonTypeKind.List:
                case JsonTypeKind.Set:
                case JsonTypeKind.ImmutableList:
                case JsonTypeKind.ImmutableSet:
                    EmitReadArray(w, t);
                    break;
                case JsonTypeKind.Dictionary:
                case JsonTypeKind.ImmutableDictionary:
                    w.OpenBlock("if (reader.TokenType != global::System.Text.Json.JsonTokenType.StartObject)").WriteLine("throw Unexpected(ref reader, \"an object\");").CloseBlock();
                    w.WriteLine($"var result = new global::System.Collections.Generic.Dictionary<{KeyType(t.DictionaryKey)}, {t.ElementType}>();");
                    w.OpenBlock("while (reader.Read() && reader.TokenType == global::System.Text.Json.JsonTokenType.PropertyName)");
                    if (t.DictionaryKey == JsonTypeKind.String)
                    {
                        w.WriteLine("var key = reader.GetString()!;");
                    }
                    else
                    {
                        // Exactly what System.Text.Json accepts for such keys: its parser over the whole (unescaped) name.
                        w.WriteLine("var keyBytes = global::System.Text.Encoding.UTF8.GetBytes(reader.GetString()!);");
                        var format = t.DictionaryKey == JsonTypeKind.Guid ? ", 'D'" : string.Empty;
                        w.OpenBlock($"if (!global::System.Buffers.Text.Utf8Parser.TryParse(keyBytes, out {KeyType(t.DictionaryKey)} key, out var consumed{format}) || consumed != keyBytes.Length)");
                        w.WriteLine($"throw Unexpected(ref reader, \"{(t.DictionaryKey == JsonTypeKind.Guid ? "a Guid" : "an integer")} as the property name\");");
                        w.CloseBlock();
                    }

                    w.WriteLine("reader.Read();");
                    w.WriteLine($"result[key] = Read_{t.ElementHelper}(ref reader)!;");
                    w.CloseBlock();
                    w.WriteLine(t.Kind == JsonTypeKind.ImmutableDictionary ? "return global::System.Collections.Immutable.ImmutableDictionary.CreateRange(result);" : "return result;");
                    break;
                case JsonTypeKind.Object:
                    EmitReadObject(w, t);
                    break;
            }

            w.CloseBlock();
        }

        /// <summary>
        /// The fast path over the exact text the <c>Write_</c> helper produces (objects: every property, in order); it
        /// returns <see langword="false"/> on anything else and the caller falls back to the <c>Read_</c> helper.
        /// </summary>
        private static void EmitCompactRead(SourceWriter w, JsonTypeModel t)
        {
            w.OpenBlock($"public static bool TryReadCompact_{t.Helper}(ref {CompactReader} reader, out {t.Type} value)");
            if (t.IsReferenceType || t.Kind == JsonTypeKind.Nullable)
            {
                w.OpenBlock("if (reader.TryReadNull())").WriteLine("value = null;").WriteLine("return true;").CloseBlock().WriteLine();
            }

            switch (t.Kind)
            {
                case JsonTypeKind.Boolean:
                case JsonTypeKind.Int32:
                case JsonTypeKind.Int64:
                case JsonTypeKind.Decimal:
                case JsonTypeKind.Double:
                case JsonTypeKind.String:
                    w.WriteLine($"return reader.TryRead{t.Kind}(out value);");
                    break;
                case JsonTypeKind.Enum:
                    w.OpenBlock($"if (reader.TryRead{t.EnumUnderlying}(out var number))").WriteLine($"value = ({t.Type})number;").WriteLine("return true;").CloseBlock();
                    w.WriteLine("value = default;");
                    w.WriteLine("return false;");
                    break;
                case JsonTypeKind.Nullable:
                    w.OpenBlock($"if (TryReadCompact_{t.ElementHelper}(ref reader, out var inner))").WriteLine("value = inner;").WriteLine("return true;").CloseBlock();
                    w.WriteLine("value = null;");
                    w.WriteLine("return false;");
                    break;
                case JsonTypeKind.Array:
                case JsonTypeKind.List:
                case JsonTypeKind.Set:
                    w.WriteLine("value = null;");
                    w.OpenBlock("if (!reader.TryConsume((byte)'['))").WriteLine("return false;").CloseBlock();
                    w.WriteLine($"var items = new global::Remastered.Sessions.Schemas.Support.CompactListBuilder<{t.ElementType}>();");
                    w.OpenBlock("try");
                    w.OpenBlock("if (!reader.TryConsume((byte)']'))");
                    w.OpenBlock("do");
                    w.OpenBlock($"if (!TryReadCompact_{t.ElementHelper}(ref reader, out var item))").WriteLine("return false;").CloseBlock();
                    w.WriteLine("items.Add(item);");
                    w.CloseBlock(" while (reader.TryConsume((byte)','));");
                    w.OpenBlock("if (!reader.TryConsume((byte)']'))").WriteLine("return false;").CloseBlock();
                    w.CloseBlock();
                    w.WriteLine(t.Kind switch
                    {
                        JsonTypeKind.Array => "value = items.ToArray();",
                        JsonTypeKind.Set => "value = items.ToHashSet();",
                        _ => "value = items.ToList();",
                    });
                    w.WriteLine("return true;");
                    w.CloseBlock();
                    w.OpenBlock("finally").WriteLine("items.Dispose();").CloseBlock();
                    break;
                case JsonTypeKind.Object:
                    EmitCompactReadObject(w, t);
                    break;
            }

            w.CloseBlock();
        }

        private static void EmitCompactReadObject(SourceWriter w, JsonTypeModel t)
        {
            w.WriteLine("value = default;");
            var members = t.Members;
            if (members.Count == 0)
            {
                w.OpenBlock("if (!reader.TryConsume(\"{}\"u8))").WriteLine("return false;").CloseBlock();
            }

            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                var prefix = (i == 0 ? "{" : ",") + "\"" + m.JsonName + "\":";
                w.OpenBlock($"if (!reader.TryConsume({Literal(prefix)}u8) || !TryReadCompact_{m.Helper}(ref reader, out var p{i}))").WriteLine("return false;").CloseBlock();
            }

            if (members.Count > 0)
            {
                w.OpenBlock("if (!reader.TryConsume((byte)'}'))").WriteLine("return false;").CloseBlock();
            }

            w.WriteLine($"var result = {Construction(t)};");
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].Assignment == MemberAssignment.Set)
                {
                    w.WriteLine($"{members[i].On("result")} = p{i};");
                }
                else if (members[i].Assignment == MemberAssignment.InitAccessor)
                {
                    w.WriteLine(InitAccessorCall(t, i) + ";");
                }
            }

            // Read-only properties are written but cannot be set back: their values (p<i>) are read only to move past them.
            w.WriteLine("value = result;");
            w.WriteLine("return true;");
        }

        /// <summary>The C# type of a dictionary key of that kind.</summary>
        private static string KeyType(JsonTypeKind kind) => kind switch
        {
            JsonTypeKind.Guid => "global::System.Guid",
            JsonTypeKind.Byte => "byte",
            JsonTypeKind.SByte => "sbyte",
            JsonTypeKind.Int16 => "short",
            JsonTypeKind.UInt16 => "ushort",
            JsonTypeKind.Int32 => "int",
            JsonTypeKind.UInt32 => "uint",
            JsonTypeKind.Int64 => "long",
            JsonTypeKind.UInt64 => "ulong",
            _ => "string",
        };

        private static void EmitReadArray(SourceWriter w, JsonTypeModel t)
        {
            w.OpenBlock("if (reader.TokenType != global::System.Text.Json.JsonTokenType.StartArray)").WriteLine("throw Unexpected(ref reader, \"an array\");").CloseBlock();
            w.WriteLine($"var items = new global::System.Collections.Generic.List<{t.ElementType}>();");
            w.OpenBlock("while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndArray)");
            w.WriteLine($"items.Add(Read_{t.ElementHelper}(ref reader)!);");
            w.CloseBlock();
            w.WriteLine(t.Kind switch
            {
                JsonTypeKind.Array => "return items.ToArray();",
                JsonTypeKind.Set => $"return new global::System.Collections.Generic.HashSet<{t.ElementType}>(items);",
                JsonTypeKind.ImmutableArray => "return global::System.Collections.Immutable.ImmutableArray.CreateRange(items);",
                JsonTypeKind.ImmutableList => "return global::System.Collections.Immutable.ImmutableList.CreateRange(items);",
                JsonTypeKind.ImmutableSet => "return global::System.Collections.Immutable.ImmutableHashSet.CreateRange(items);",
                _ => "return items;",
            });
        }

        private static void EmitReadObject(SourceWriter w, JsonTypeModel t)
        {
            w.OpenBlock("if (reader.TokenType != global::System.Text.Json.JsonTokenType.StartObject)").WriteLine("throw Unexpected(ref reader, \"an object\");").CloseBlock();
            var members = t.Members;
            for (var i = 0; i < members.Count; i++)
            {
                if (!IsSkippedOnRead(members[i]))
                {
                    w.WriteLine($"{members[i].Type} p{i} = {members[i].DefaultValue ?? "default!"};");
                    w.WriteLine($"var has{i} = false;");
                }
            }

            // System.Text.Json sets members with setters (and init accessors) as the JSON holds them: in the JSON's order,
            // once per occurrence, which a setter that counts or checks another member can tell. Built by a parameterless
            // constructor (no constructor parameter, no required member), the object is created first and each member set
            // as it is read; built through a constructor with parameters, the parameters are read first (the setters'
            // values skipped), and the setters run after construction in a second pass over the same JSON.
            var assignsAsRead = members.All(m => m.ConstructorIndex < 0 && m.Assignment != MemberAssignment.Initializer) && t.IgnoredConstructorArguments.Count == 0;
            var setsAfter = !assignsAsRead && members.Any(m => IsSet(m));
            if (assignsAsRead)
            {
                OpenConstruction(w, t);
            }

            if (setsAfter)
            {
                w.WriteLine("var start = reader;");
            }

            EmitPropertyLoop(w, t, "reader", (m, i, target) =>
            {
                if (setsAfter && IsSet(members[target]))
                {
                    w.WriteLine("reader.Skip();");
                    w.WriteLine($"has{target} = true;");
                    return;
                }

                w.WriteLine($"p{target} = Read_{m.Helper}(ref reader)!;");
                w.WriteLine($"has{target} = true;");
                if (assignsAsRead)
                {
                    w.WriteLine(Assignment(t, target));
                }
            });

            if (assignsAsRead)
            {
                CloseConstruction(w, t);
            }

            // A required member missing from the JSON: System.Text.Json refuses the value, so the key reads as absent.
            for (var i = 0; i < members.Count; i++)
            {
                if (members[i].IsRequired)
                {
                    w.OpenBlock($"if (!has{i})").WriteLine($"throw Unexpected(ref reader, \"property {Escape(members[i].JsonName)}\");").CloseBlock();
                }
            }

            // A constructor or setter of the user's that refuses the values (validation throwing ArgumentException) is
            // the stored value not fitting the type: a JSON error, so the key reads as absent.
            if (!assignsAsRead)
            {
                OpenConstruction(w, t);
                if (setsAfter)
                {
                    w.WriteLine("var again = start;");
                    EmitPropertyLoop(w, t, "again", (m, i, target) =>
                    {
                        if (!IsSet(members[target]))
                        {
                            w.WriteLine("again.Skip();");
                            return;
                        }

                        w.WriteLine($"p{target} = Read_{m.Helper}(ref again)!;");
                        w.WriteLine(Assignment(t, target));
                    });
                }

                CloseConstruction(w, t);
            }

            // Flags that only feed the constructor or initializer are assigned by the loop and never read: the file disables
            // CS0219 for them (no "_ = ..." discard: a member of the schema named _ would be assigned instead).
            if (t.DefaultsMayVary)
            {
                // A member the JSON lacked was filled in by the type's own code, which may differ from one read to the next.
                var optional = members.Select((m, i) => (m, i)).Where(x => !IsSkippedOnRead(x.m) && x.m.ReadsInto < 0 && !x.m.IsRequired).Select(x => $"!has{x.i}").ToList();
                if (optional.Count > 0)
                {
                    w.OpenBlock($"if ({string.Join(" || ", optional)})").WriteLine("global::Remastered.Sessions.Schemas.Support.SchemaValues.NoteDefaultsUsed();").CloseBlock();
                }
            }

            w.WriteLine("return result;");
        }

        /// <summary>
        /// Opens <c>try { result = new T(...);</c>: a constructor or setter of the user's that refuses the values
        /// (validation throwing <c>ArgumentException</c>) is the stored value not fitting the type, a JSON error (see
        /// <see cref="CloseConstruction"/>), so the key reads as absent.
        /// </summary>
        private static void OpenConstruction(SourceWriter w, JsonTypeModel t)
        {
            w.WriteLine($"{t.Type} result;");
            w.OpenBlock("try");
            w.WriteLine($"result = {Construction(t)};");
        }

        /// <summary>Closes what <see cref="OpenConstruction"/> opened, turning an <c>ArgumentException</c> into a <c>JsonException</c>.</summary>
        private static void CloseConstruction(SourceWriter w, JsonTypeModel t)
        {
            var shownType = Escape(t.Type.Replace("global::", string.Empty));
            w.CloseBlock();
            w.OpenBlock("catch (global::System.ArgumentException exception)");
            w.WriteLine($"throw new global::System.Text.Json.JsonException(\"{shownType} refused the values read: \" + exception.Message, exception);");
            w.CloseBlock();
            w.WriteLine();
        }

        /// <summary>Whether a member is set after construction (a setter or an <c>init</c> accessor).</summary>
        private static bool IsSet(JsonMemberModel member) => member.Assignment is MemberAssignment.Set or MemberAssignment.InitAccessor;

        /// <summary>
        /// The loop over an object's properties on <paramref name="reader"/> (positioned on its start): for each member's
        /// JSON name, moves onto the value and calls <paramref name="onValue"/> with the member, its index and the index
        /// whose locals it reads into (a renamed override's second name reads into the first's); skips members never
        /// read back and unknown names.
        /// </summary>
        private static void EmitPropertyLoop(SourceWriter w, JsonTypeModel t, string reader, Action<JsonMemberModel, int, int> onValue)
        {
            var members = t.Members;
            w.OpenBlock($"while ({reader}.Read() && {reader}.TokenType == global::System.Text.Json.JsonTokenType.PropertyName)");
            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                w.OpenBlock($"{(i == 0 ? string.Empty : "else ")}if ({reader}.ValueTextEquals({Literal(m.JsonName)}u8))");
                w.WriteLine($"{reader}.Read();");
                if (m.ReadsInto >= 0)
                {
                    // The same member under its other JSON name: whichever comes last in the JSON sets it.
                    onValue(m, i, m.ReadsInto);
                }
                else if (IsSkippedOnRead(m))
                {
                    w.WriteLine($"{reader}.Skip();");
                }
                else
                {
                    onValue(m, i, i);
                }

                w.CloseBlock();
            }

            w.OpenBlock(members.Count == 0 ? "" : "else");
            w.WriteLine($"{reader}.Read();");
            w.WriteLine($"{reader}.Skip();");
            w.CloseBlock();
            w.CloseBlock();
        }

        /// <summary>Sets member <paramref name="index"/> of <c>result</c> to <c>p{index}</c> (a setter, or an <c>init</c> accessor), or nothing.</summary>
        private static string Assignment(JsonTypeModel t, int index) => t.Members[index].Assignment switch
        {
            MemberAssignment.Set => $"{t.Members[index].On("result")} = p{index};",
            MemberAssignment.InitAccessor => InitAccessorCall(t, index) + ";",
            _ => string.Empty,
        };

        /// <summary>
        /// A member written but never read back on its own (computed, a private setter; a renamed override's second name
        /// reads into the first's locals): it has no locals, and the full reader skips its value, whatever it holds, as
        /// System.Text.Json does.
        /// </summary>
        private static bool IsSkippedOnRead(JsonMemberModel member)
            => member.Assignment == MemberAssignment.None && member.ConstructorIndex < 0 && !member.IsRequired;

        /// <summary>The class holding the <c>UnsafeAccessor</c> of member <paramref name="index"/> of <paramref name="t"/>'s <c>init</c> accessor.</summary>
        private static string InitAccessorClass(JsonTypeModel t, int index) => "__Init_" + t.Helper + "_" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary><c>__Init_Box_3_1&lt;int&gt;.__Set(result, p1)</c>: sets an <c>init</c> member after construction.</summary>
        private static string InitAccessorCall(JsonTypeModel t, int index)
        {
            var accessor = t.Members[index].InitAccessor!;
            var closed = accessor.TypeArguments.Length == 0 ? string.Empty : "<" + accessor.TypeArguments + ">";
            return $"{InitAccessorClass(t, index)}{closed}.__Set({(accessor.ByRef ? "ref " : string.Empty)}result, p{index})";
        }

        /// <summary>
        /// One class per <c>init</c> member set after construction, declaring an <c>UnsafeAccessor</c> to its accessor (a
        /// class of its own so that a generic declaring type's definition can be named, as the runtime requires).
        /// </summary>
        private static void EmitInitAccessors(SourceWriter w, JsonTypeModel t)
        {
            for (var i = 0; i < t.Members.Count; i++)
            {
                if (t.Members[i].InitAccessor is not { } accessor || t.Members[i].Assignment != MemberAssignment.InitAccessor)
                {
                    continue;
                }

                var parameters = accessor.TypeParameters.Length == 0 ? string.Empty : "<" + accessor.TypeParameters + ">";
                // Names of the holder's own start with "__", which the type parameters it repeats never do.
                w.OpenBlock($"private static class {InitAccessorClass(t, i)}{parameters}{accessor.Constraints}");
                w.WriteLine($"[global::System.Runtime.CompilerServices.UnsafeAccessor(global::System.Runtime.CompilerServices.UnsafeAccessorKind.Method, Name = {Literal(accessor.SetterName)})]");
                w.WriteLine($"public static extern void __Set({(accessor.ByRef ? "ref " : string.Empty)}{accessor.Target} __target, {accessor.ValueType} __value);");
                w.CloseBlock();
                w.WriteLine();
            }
        }

        /// <summary>
        /// <c>new T(p0, p2) { Name = p1 }</c>: the constructor with the members it takes (locals <c>p{i}</c> in member
        /// order) and an initializer for the <c>init</c> members; settable members are assigned afterwards by the caller.
        /// </summary>
        private static string Construction(JsonTypeModel t)
        {
            var members = t.Members;
            var ctorArgs = members.Select((m, i) => (Index: m.ConstructorIndex, Argument: $"p{i}")).Where(x => x.Index >= 0)
                .Concat(t.IgnoredConstructorArguments.Select(a => (a.Index, Argument: a.Expression)))
                .OrderBy(x => x.Index).Select(x => x.Argument);
            var inits = members.Select((m, i) => (m, i)).Where(x => x.m.Assignment == MemberAssignment.Initializer).Select(x => $"{x.m.MemberName} = p{x.i}").ToList();
            var initializer = inits.Count == 0 ? string.Empty : " { " + string.Join(", ", inits) + " }";
            return $"new {t.ConstructedType}({string.Join(", ", ctorArgs)}){initializer}";
        }

        private static string NumericType(JsonTypeKind kind) => kind switch
        {
            JsonTypeKind.Byte or JsonTypeKind.SByte or JsonTypeKind.Int16 or JsonTypeKind.UInt16 or JsonTypeKind.Int32 => "int",
            JsonTypeKind.UInt32 => "uint",
            JsonTypeKind.Int64 => "long",
            _ => "ulong",
        };

        public static string Literal(string value) => "\"" + Escape(value) + "\"";

        /// <summary>
        /// Escapes what would end or break a C# string literal: quote, backslash, and every control character and line
        /// terminator (C# also ends lines at U+0085, U+2028 and U+2029), as <c>\uXXXX</c>.
        /// </summary>
        private static string Escape(string value)
        {
            var escaped = new System.Text.StringBuilder(value.Length + 8);
            foreach (var c in value)
            {
                _ = c switch
                {
                    '\\' => escaped.Append("\\\\"),
                    '"' => escaped.Append("\\\""),
                    _ when char.IsControl(c) || c is '\u2028' or '\u2029' => escaped.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture)),
                    _ => escaped.Append(c),
                };
            }

            return escaped.ToString();
        }
    }
}
