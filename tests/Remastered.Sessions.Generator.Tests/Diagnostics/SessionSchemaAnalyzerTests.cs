using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Remastered.Sessions.Generator.Diagnostics;
using Remastered.Sessions.Generator.Tests.Support;

namespace Remastered.Sessions.Generator.Tests.Diagnostics;

/// <summary>One positive and one negative test per diagnostic.</summary>
public sealed class SessionSchemaAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using Remastered.Sessions;

        """;

    /// <summary>A class library of the user's, compiled: only its public surface is visible to the schema.</summary>
    private static Microsoft.CodeAnalysis.MetadataReference CompiledLibrary(string name, string source)
    {
        var library = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            name,
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source)],
            Basic.Reference.Assemblies.Net100.References.All,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        return Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(image.ToArray());
    }

    private static DiagnosticResult Diagnostic(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, int location = 0)
        => new DiagnosticResult(descriptor).WithLocation(location);

    [Fact]
    public Task A_valid_schema_has_no_diagnostics()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed record CartItem(string Sku, int Quantity);

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey("user_id")] public partial int? UserId { get; set; }
                [SessionKey] public partial List<CartItem>? Cart { get; set; }
                [Flash] public partial string? Notice { get; set; }
            }
            """);

    // RMS001
    [Fact]
    public Task RMS001_a_stream_inside_a_record_is_reported_with_its_member_path_on_the_declaring_member()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed record CartItem(string Sku, Stream Image);

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial List<CartItem>? {|#0:Cart|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Cart -> CartItem.Image -> System.IO.Stream (a stream) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS001_a_ref_struct_or_pointer_key_is_reported_on_every_storage()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public unsafe partial class CookieSession
            {
                [SessionKey] public partial Span<int> {|#0:Numbers|} { get; set; }
                [SessionKey] public partial int* {|#1:Pointer|} { get; set; }
            }

            [Session<MemorySessionStorage>]
            public partial class MemorySession
            {
                [SessionKey] public partial ReadOnlySpan<char> {|#2:Text|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 0).WithArguments("CookieSession.Numbers -> System.Span<int> (a ref struct) cannot be stored in a session"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 1).WithArguments("CookieSession.Pointer -> int* (a pointer) cannot be stored in a session"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 2).WithArguments("MemorySession.Text -> System.ReadOnlySpan<char> (a ref struct) cannot be stored in a session"));

    [Fact]
    public Task RMS001_framework_types_with_converters_of_their_own_and_json_attributes_the_generator_does_not_apply_are_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            using System.Text.Json;
            using System.Text.Json.Serialization;

            public class Hidden { [JsonInclude] private int Secret { get; set; } public int Shown { get; set; } }
            [JsonDerivedType(typeof(Derived), "d")] public class Shape { public int A { get; set; } }
            public class Derived : Shape { public int B { get; set; } }
            public class Extra { public int A { get; set; } [JsonExtensionData] public Dictionary<string, JsonElement>? Rest { get; set; } }
            public class Counted { [JsonNumberHandling(JsonNumberHandling.WriteAsString)] public int N { get; set; } }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Half {|#0:Small|} { get; set; }
                [SessionKey] public partial Int128 {|#1:Huge|} { get; set; }
                [SessionKey] public partial nint {|#2:Native|} { get; set; }
                [SessionKey] public partial JsonElement {|#3:Json|} { get; set; }
                [SessionKey] public partial KeyValuePair<string, int> {|#4:Pair|} { get; set; }
                [SessionKey] public partial Version? {|#5:Release|} { get; set; }
                [SessionKey] public partial Hidden? {|#6:Private|} { get; set; }
                [SessionKey] public partial Shape? {|#7:Polymorphic|} { get; set; }
                [SessionKey] public partial Extra? {|#8:Extension|} { get; set; }
                [SessionKey] public partial Counted? {|#9:AsString|} { get; set; }
                [SessionKey] public partial System.Numerics.Complex {|#10:Number|} { get; set; }
                [SessionKey] public partial System.Threading.CancellationToken {|#11:Token|} { get; set; }
                [SessionKey] public partial System.Text.RegularExpressions.Regex? {|#12:Pattern|} { get; set; }
                [SessionKey] public partial System.Globalization.CultureInfo? {|#13:Culture|} { get; set; }
                [SessionKey] public partial System.Collections.Frozen.FrozenSet<int>? {|#14:Frozen|} { get; set; }
                [SessionKey] public partial System.Collections.Frozen.FrozenDictionary<string, int>? {|#15:FrozenMap|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 0).WithArguments("AppSession.Small -> System.Half (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 1).WithArguments("AppSession.Huge -> System.Int128 (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 2).WithArguments("AppSession.Native -> nint (a native-sized integer: System.Text.Json does not support it; use int or long) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 3).WithArguments("AppSession.Json -> System.Text.Json.JsonElement (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 4).WithArguments("AppSession.Pair -> System.Collections.Generic.KeyValuePair<string, int> (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 5).WithArguments("AppSession.Release -> System.Version (System.Text.Json writes it with a converter of its own, which the generated serializer does not reproduce; store a supported type, such as a string or a number, instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 6).WithArguments("AppSession.Private -> Hidden.Secret (it has [JsonInclude] but is not public, so generated code cannot reach it; make it public or remove the attribute) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 7).WithArguments("AppSession.Polymorphic -> Shape (it has [JsonNumberHandling], [JsonDerivedType], [JsonPolymorphic] or [JsonObjectCreationHandling], which the generated serializer does not apply) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 8).WithArguments("AppSession.Extension -> Extra.Rest (it has [JsonNumberHandling], [JsonExtensionData] or [JsonObjectCreationHandling], which the generated serializer does not apply; remove the attribute or mark the property [JsonIgnore]) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 9).WithArguments("AppSession.AsString -> Counted.N (it has [JsonNumberHandling], [JsonExtensionData] or [JsonObjectCreationHandling], which the generated serializer does not apply; remove the attribute or mark the property [JsonIgnore]) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 10).WithArguments("AppSession.Number -> System.Numerics.Complex (a framework type none of whose public properties can be set, so System.Text.Json would read it back empty; store the values you need instead, in a record of your own) cannot be stored by CookieSessionStorage (JSON only)"),
            // Framework types are reported as such, not by their members or constructors, which the user cannot change.
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 11).WithArguments("AppSession.Token -> System.Threading.CancellationToken (a framework type none of whose public properties can be set, so System.Text.Json would read it back empty; store the values you need instead, in a record of your own) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 12).WithArguments("AppSession.Pattern -> System.Text.RegularExpressions.Regex (a framework type none of whose public properties can be set, so System.Text.Json would read it back empty; store the values you need instead, in a record of your own) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 13).WithArguments("AppSession.Culture -> System.Globalization.CultureInfo (a framework type stored as an object: its properties' order at run time is not visible at compile time, so its JSON could differ from System.Text.Json's, and its state may not be in its properties; store a record of your own with the values you need) cannot be stored by CookieSessionStorage (JSON only)"),
            // Abstract framework collections name the collections to use, not polymorphism.
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 14).WithArguments("AppSession.Frozen -> System.Collections.Frozen.FrozenSet<int> (a collection type the generator does not support: use T[], List<T>, HashSet<T>, Dictionary<string, T> or their System.Collections.Immutable counterparts) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 15).WithArguments("AppSession.FrozenMap -> System.Collections.Frozen.FrozenDictionary<string, int> (a collection type the generator does not support: use T[], List<T>, HashSet<T>, Dictionary<string, T> or their System.Collections.Immutable counterparts) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS001_types_with_serialization_callbacks_or_public_ref_returning_properties_are_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            using System.Text.Json.Serialization;

            public class Stamped : IJsonOnSerializing { public string? Token { get; set; } public void OnSerializing() => Token ??= "new"; }
            public class Derived : IJsonOnDeserialized { public int A { get; set; } [JsonIgnore] public int Tenfold { get; private set; } public void OnDeserialized() => Tenfold = A * 10; }
            public struct Counted : IJsonOnSerialized, IJsonOnDeserializing { public int A { get; set; } public void OnSerialized() { } public void OnDeserializing() { } }
            public class Base : IJsonOnDeserializing { public void OnDeserializing() { } }
            public sealed class Inherits : Base { public int A { get; set; } }
            public class ByRef { private int _x; public ref int X => ref _x; public int Y { get; set; } }
            public class ByRefReadOnly { private int _x; public ref readonly int X => ref _x; }
            public class ByRefIgnored { private int _x; [JsonIgnore] public ref int X => ref _x; internal ref int Z => ref _x; public int Y { get; set; } }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Stamped? {|#0:Stamp|} { get; set; }
                [SessionKey] public partial List<Derived>? {|#1:Items|} { get; set; }
                [SessionKey] public partial Counted {|#2:Count|} { get; set; }
                [SessionKey] public partial Inherits? {|#3:Child|} { get; set; }
                [SessionKey] public partial ByRef? {|#4:Reference|} { get; set; }
                [SessionKey] public partial ByRefReadOnly? {|#5:ReadOnlyReference|} { get; set; }
                [SessionKey] public partial ByRefIgnored? Ignored { get; set; }
            }

            [Session<MemorySessionStorage>]
            public partial class MemorySession
            {
                [SessionKey] public partial Stamped? Stamp { get; set; }
                [SessionKey] public partial ByRef? Reference { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 0).WithArguments("AppSession.Stamp -> Stamped (it implements IJsonOnSerializing, whose method System.Text.Json calls when it writes the value, and the generated serializer does not call serialization callbacks; do that work in a constructor or a property's accessors instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 1).WithArguments("AppSession.Items -> Derived (it implements IJsonOnDeserialized, whose method System.Text.Json calls when it reads the value, and the generated serializer does not call serialization callbacks; do that work in a constructor or a property's accessors instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 2).WithArguments("AppSession.Count -> Counted (it implements IJsonOnSerialized, whose method System.Text.Json calls when it writes the value, and the generated serializer does not call serialization callbacks; do that work in a constructor or a property's accessors instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 3).WithArguments("AppSession.Child -> Inherits (it implements IJsonOnDeserializing, whose method System.Text.Json calls when it reads the value, and the generated serializer does not call serialization callbacks; do that work in a constructor or a property's accessors instead) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 4).WithArguments("AppSession.Reference -> ByRef.X (it returns by reference, which System.Text.Json refuses for the whole type; mark it [JsonIgnore] or make it non-public) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 5).WithArguments("AppSession.ReadOnlyReference -> ByRefReadOnly.X (it returns by reference, which System.Text.Json refuses for the whole type; mark it [JsonIgnore] or make it non-public) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS016_System_Text_Json_attributes_on_key_properties_are_reported_where_they_are_written()
        => AnalyzerTest.VerifyAsync(Usings + """
            using System.Text.Json.Serialization;

            public enum Theme { Light, Dark }
            public sealed class Line { [JsonPropertyName("sku")] public string? Sku { get; set; } }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey, {|#0:JsonPropertyName("uid")|}] public partial int? UserId { get; set; }
                [Flash, {|#1:JsonPropertyName("msg")|}] public partial string? Notice { get; set; }
                [SessionKey] [{|#2:JsonConverter(typeof(JsonStringEnumConverter<Theme>))|}] public partial Theme Theme { get; set; }
                [SessionKey, {|#3:JsonIgnore|}] public partial string? Draft { get; set; }
                [SessionKey, {|#4:JsonNumberHandling(JsonNumberHandling.WriteAsString)|}] public partial int Count { get; set; }
                [SessionKey("visits"), {|#6:JsonPropertyName("v")|}] public partial int Visits { get; set; }
                [SessionKey] public partial List<Line>? Lines { get; set; }
                [SessionKey, System.ComponentModel.Description("not a JSON attribute")] public partial int? Other { get; set; }
            }

            [Session<MemorySessionStorage>]
            public partial class MemorySession
            {
                [SessionKey, {|#5:JsonPropertyOrder(1)|}] public partial int? Rank { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 0).WithArguments("JsonPropertyName", "UserId", "the key is stored as \"userId\"; remove it, or rename the key with [SessionKey(\"uid\")] (values already stored as \"userId\" are then left behind)"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 1).WithArguments("JsonPropertyName", "Notice", "the key is stored as \"notice\"; remove it, or rename the key with [Flash(\"msg\")] (values already stored as \"notice\" are then left behind)"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 2).WithArguments("JsonConverter", "Theme", "a key's value is stored as System.Text.Json writes its type by default; store a type whose own JSON has the form you want (a string, say), or put the attribute on a member of a type of yours, where RMS001 says whether it can be applied"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 3).WithArguments("JsonIgnore", "Draft", "keys are stored by [SessionKey] and [Flash] alone; remove it"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 4).WithArguments("JsonNumberHandling", "Count", "a key's value is stored as System.Text.Json writes its type by default; store a type whose own JSON has the form you want (a string, say), or put the attribute on a member of a type of yours, where RMS001 says whether it can be applied"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 5).WithArguments("JsonPropertyOrder", "Rank", "the storage holds the value itself, with no JSON; remove it"),
            Diagnostic(DiagnosticDescriptors.JsonAttributeOnKey, 6).WithArguments("JsonPropertyName", "Visits", "the key is stored as \"visits\"; remove it, or rename the key with [SessionKey(\"v\")] (values already stored as \"visits\" are then left behind)"));

    [Fact]
    public Task RMS001_every_unstorable_member_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed class Widget
            {
                public Action? Callback { get; set; }
                public object? Anything { get; set; }
                public Dictionary<double, string>? ByNumber { get; set; }
                public Type? Kind { get; set; }
                public System.Threading.Tasks.Task? Pending { get; set; }
                public IComparable? Shape { get; set; }
                public Widget? Parent { get; set; } // recursive types are fine (trees); the other members are not
            }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Widget? {|#0:Widget|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.Callback -> System.Action (a delegate) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.Anything -> object (any object: JSON cannot say which type to read back) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.ByNumber -> System.Collections.Generic.Dictionary<double, string> (dictionary keys must be strings, integers or Guids) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.Kind -> System.Type (a reflection object) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.Pending -> System.Threading.Tasks.Task (a task) cannot be stored by CookieSessionStorage (JSON only)"),
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Widget -> Widget.Shape -> System.IComparable (an interface: JSON does not say which implementation to read back; store a concrete type) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS001_a_type_without_a_usable_constructor_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed class Sealed
            {
                private Sealed() { }
                public int Value { get; set; }
            }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Sealed? {|#0:Item|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Item -> Sealed (no usable constructor: it has no public one for System.Text.Json to call; add one, or mark an internal one [JsonConstructor]) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS001_names_the_constructor_parameter_that_matches_no_member()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed class Renamed
            {
                public Renamed(string fullName) { Name = fullName; }
                public string Name { get; }
            }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Renamed? {|#0:Person|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Person -> Renamed (no usable constructor: its parameter 'fullName' matches no public property or field of the same name, ignoring case, and type, which System.Text.Json refuses; name the parameter after the member it sets) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS001_a_memory_backed_schema_may_hold_the_same_types()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed record CartItem(string Sku, Stream Image);

            [Session<MemorySessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial List<CartItem>? Cart { get; set; }
                [SessionKey] public partial Stream? Upload { get; set; }
                [SessionKey] public partial object? Anything { get; set; }
            }
            """);

    // RMS002
    [Fact]
    public Task RMS002_a_schema_that_is_not_partial_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public class {|#0:AppSession|}
            {
            }
            """,
            Diagnostic(DiagnosticDescriptors.SchemaNotPartial).WithArguments("AppSession"));

    // RMS003
    [Fact]
    public Task RMS003_a_key_that_is_not_a_partial_property_with_get_and_set_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public int? {|#0:Plain|} { get; set; }
                [SessionKey] public partial int? {|#1:ReadOnly|} { get; }
                [SessionKey] public partial int? {|#2:InitOnly|} { get; init; }
                [SessionKey] public partial int? Fine { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.KeyNotPartialProperty, 0).WithArguments("Plain"),
            Diagnostic(DiagnosticDescriptors.KeyNotPartialProperty, 1).WithArguments("ReadOnly"),
            Diagnostic(DiagnosticDescriptors.KeyNotPartialProperty, 2).WithArguments("InitOnly"));

    // RMS004
    [Fact]
    public Task RMS004_a_static_key_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public static partial int? {|#0:Shared|} { get; set; }
                [SessionKey] public partial int? Fine { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.StaticKey).WithArguments("Shared"));

    // RMS005
    [Fact]
    public Task RMS005_duplicate_key_names_are_reported_also_after_camel_casing()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial string? Cart { get; set; }
                [SessionKey("cart")] public partial string? {|#0:Basket|} { get; set; }
                [SessionKey("user")] public partial string? User { get; set; }
                [Flash("user")] public partial string? {|#1:UserNotice|} { get; set; }
                [SessionKey("Cart")] public partial string? CaseMatters { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.DuplicateKey, 0).WithArguments("cart", "Basket", "Cart"),
            Diagnostic(DiagnosticDescriptors.DuplicateKey, 1).WithArguments("user", "UserNotice", "User"));

    // RMS006
    [Fact]
    public Task RMS006_a_key_marked_both_persistent_and_flash_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey, Flash] public partial string? {|#0:Both|} { get; set; }
                [Flash] public partial string? Notice { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.KeyAndFlash).WithArguments("Both"));

    // RMS007
    [Fact]
    public Task RMS007_empty_and_reserved_key_names_are_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey("")] public partial string? {|#0:Empty|} { get; set; }
                [SessionKey("__created")] public partial string? {|#1:Reserved|} { get; set; }
                [SessionKey("_single")] public partial string? Allowed { get; set; }
                [SessionKey("  ")] public partial string? {|#2:Blank|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.InvalidKeyName, 0).WithArguments("", "Empty", "empty"),
            Diagnostic(DiagnosticDescriptors.InvalidKeyName, 1).WithArguments("__created", "Reserved", "reserved for storage metadata (names starting with '__')"),
            Diagnostic(DiagnosticDescriptors.InvalidKeyName, 2).WithArguments("  ", "Blank", "only whitespace"));

    // RMS008
    [Fact]
    public Task RMS008_a_storage_type_that_is_not_a_session_storage_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            public sealed class NotAStorage { }

            [{|#0:Session<NotAStorage>|}]
            public partial class AppSession
            {
            }
            """,
            Diagnostic(DiagnosticDescriptors.NotAStorage).WithArguments("NotAStorage", "AppSession", "does not implement ISessionStorage<JsonSessionValue, TMetadata> or ISessionStorage<object, TMetadata>"));

    [Fact]
    public Task RMS008_a_storage_of_other_values_says_what_it_stores()
        => AnalyzerTest.VerifyAsync(Usings + """
            [{|#0:Session<ISessionStorage<int, string>>|}]
            public partial class AppSession
            {
            }
            """,
            Diagnostic(DiagnosticDescriptors.NotAStorage).WithArguments("ISessionStorage<int, string>", "AppSession",
                "stores int values, where a schema needs ISessionStorage<JsonSessionValue, TMetadata> (JSON) or ISessionStorage<object, TMetadata> (objects)"));

    [Fact]
    public Task RMS001_names_a_generic_storage_with_its_type_arguments()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<EncryptedCookieStorage<JsonSessionValue, string>>]
            public partial class AppSession
            {
                [SessionKey] public partial Stream? {|#0:Upload|} { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable).WithArguments("AppSession.Upload -> System.IO.Stream (a stream) cannot be stored by EncryptedCookieStorage<JsonSessionValue, string> (JSON only)"));

    [Fact]
    public Task RMS008_a_third_party_json_storage_is_accepted()
        => AnalyzerTest.VerifyAsync(Usings + """
            using System.Threading;
            using System.Threading.Tasks;

            public sealed class ThirdPartyStorage : ISessionStorage<JsonSessionValue>
            {
                public ValueTask<StoredSession<JsonSessionValue>> FromHeaderAsync(string? header, CancellationToken cancellationToken = default) => default;
                public ValueTask<string> ToHeaderAsync(StoredSession<JsonSessionValue> session, CancellationToken cancellationToken = default) => default;
            }

            [Session<ThirdPartyStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? Count { get; set; }
            }
            """);

    // RMS009
    [Fact]
    public Task RMS009_generic_schemas_and_schemas_nested_in_generic_types_are_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class {|#0:GenericSession|}<T>
            {
            }

            public partial class Outer<T>
            {
                [Session<CookieSessionStorage>]
                public partial class {|#1:Inner|}
                {
                }
            }
            """,
            Diagnostic(DiagnosticDescriptors.GenericSchema, 0).WithArguments("GenericSession"),
            Diagnostic(DiagnosticDescriptors.GenericSchema, 1).WithArguments("Inner"));

    // RMS010
    [Theory]
    [InlineData("")]
    [InlineData("[SessionKey] public partial int? Count { get; set; }")] // the compiler's own errors silence analyzers: the generator reports it
    public void RMS010_a_language_version_below_CSharp_13_is_reported_by_the_generator_with_or_without_keys(string keys)
    {
        var (result, _) = Support.GeneratorHarness.Run(Usings + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n" + keys + "\n}\n", LanguageVersion.CSharp12);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("RMS010", diagnostic.Id);
        Assert.Contains("'AppSession'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("C# 12.0", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void RMS010_is_reported_once_at_the_part_carrying_the_attribute_of_a_schema_split_across_files()
    {
        var compilation = Support.GeneratorHarness.CreateCompilation(
            [Usings + "public partial class AppSession { }\n", Usings + "[Session<CookieSessionStorage>]\npublic partial class AppSession\n{\n}\n"],
            LanguageVersion.CSharp12);
        var result = Support.GeneratorHarness.CreateDriver(compilation).RunGenerators(compilation).GetRunResult();
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("RMS010", diagnostic.Id);
        Assert.Equal("Source1.cs", diagnostic.Location.GetLineSpan().Path); // the part with [Session], not the first part
    }

    [Fact]
    public async Task RMS010_CSharp_13_is_enough()
    {
        var test = new AnalyzerTest(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? Count { get; set; }
            }
            """, LanguageVersion.CSharp13);
        await test.RunAsync();
    }

    // RMS011
    [Fact]
    public Task RMS011_a_non_nullable_reference_key_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial string {|#0:Name|} { get; set; }
                [SessionKey] public partial string? Nickname { get; set; }
                [SessionKey] public partial int Count { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.NonNullableReferenceKey).WithArguments("Name", "string"));

    // RMS013
    [Fact]
    public Task RMS013_a_member_named_like_a_generated_member_is_reported_at_the_member()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? {|#0:Store|} { get; set; }
                [SessionKey] public partial int? Total { get; set; }
                public bool {|#1:HasTotal|} => true;
                public void {|#2:Destroy|}() { }
                public class {|#3:Value|} { }
            }
            """,
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 0).WithArguments("Store", "to every schema"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 1).WithArguments("HasTotal", "for key 'Total'"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 2).WithArguments("Destroy", "to every schema"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 3).WithArguments("Value", "to every schema"));

    [Fact]
    public Task RMS013_a_type_of_the_user_s_named_like_a_generated_nested_type_is_reported_at_the_member_using_it()
        => AnalyzerTest.VerifyAsync(Usings + """
            public record Value(int X);
            public sealed class ValueStore { public int Y { get; set; } }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Value? {|#0:Single|} { get; set; }
                [SessionKey] public partial List<ValueStore>? {|#1:Many|} { get; set; }
                [SessionKey] public partial int? Other { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 0).WithArguments("Value", "to every schema (which would hide the type 'Value' that 'Single' uses)"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 1).WithArguments("ValueStore", "to every schema (which would hide the type 'ValueStore' that 'Many' uses)"));

    [Fact]
    public Task RMS013_a_member_inherited_from_a_base_class_is_reported_at_the_schema()
        => AnalyzerTest.VerifyAsync(Usings + """
            public class Base
            {
                public int Store { get; set; }
                public virtual void Destroy() { }
                public bool IsDirty => false;
                public int Unrelated { get; set; }
            }

            [Session<CookieSessionStorage>]
            public partial class {|#0:AppSession|} : Base
            {
                [SessionKey] public partial int Foo { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 0).WithArguments("Store", "to every schema (it is inherited from Base)"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 0).WithArguments("Destroy", "to every schema (it is inherited from Base)"),
            Diagnostic(DiagnosticDescriptors.GeneratedMemberClash, 0).WithArguments("IsDirty", "to every schema (it is inherited from Base)"));

    [Fact]
    public Task RMS015_a_type_from_a_compiled_library_reports_properties_nothing_reads_back()
    {
        // A library of the user's, compiled: its private and internal setters are not visible from here.
        var library = CompiledLibrary("UserLibrary", """
                namespace Lib;
                public sealed class Person
                {
                    public string? Name { get; private set; }
                    public int Age { get; set; }
                    public System.Collections.Generic.List<int> Items { get; } = new();
                    public void Rename(string name) => Name = name;
                }
                public sealed record Point(int X, int Y);
                public sealed class OnlyPrivate { public string? Name { get; private set; } public void Rename(string name) => Name = name; }
                """);
        var test = new AnalyzerTest(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Lib.Person? {|#0:Person|} { get; set; }
                [SessionKey] public partial Lib.Point? Point { get; set; }
                [SessionKey] public partial Lib.OnlyPrivate? {|#1:OnlyPrivate|} { get; set; }
            }
            """);
        test.TestState.AdditionalReferences.Add(library);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberNotReadBack, 0).WithArguments("AppSession.Person -> Person.Name (in a compiled library: it has no public setter and no constructor parameter matches it; if it holds data rather than computing it, that data is not read back)"));
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberNotReadBack, 0).WithArguments("AppSession.Person -> Person.Items (in a compiled library: it has no public setter and no constructor parameter matches it; if it holds data rather than computing it, that data is not read back)"));
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.MemberNotReadBack, 1).WithArguments("AppSession.OnlyPrivate -> OnlyPrivate.Name (in a compiled library: it has no public setter and no constructor parameter matches it; if it holds data rather than computing it, that data is not read back)"));
        return test.RunAsync();
    }

    [Fact]
    public Task RMS001_for_a_type_from_a_referenced_assembly_suggests_a_type_of_your_own_before_editing_it()
    {
        // Like a package's date type whose calendar has no public constructor: the user cannot add one.
        var library = CompiledLibrary("Calendars", """
                namespace Lib;
                public sealed class Calendar { private Calendar() { } public string Id { get; set; } = "iso"; public static Calendar Iso { get; } = new(); }
                public sealed class Day { public int Number { get; set; } public Calendar Calendar { get; set; } = Calendar.Iso; }
                """);
        var test = new AnalyzerTest(Usings + """
            public sealed class Local { private Local() { } public int Id { get; set; } }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Lib.Day? {|#0:Day|} { get; set; }
                [SessionKey] public partial Local? {|#1:Mine|} { get; set; }
            }
            """);
        test.TestState.AdditionalReferences.Add(library);
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.ValueNotStorable, 0).WithArguments("AppSession.Day -> Day.Calendar -> Lib.Calendar (no usable constructor: it has no public one for System.Text.Json to call; Lib.Calendar is declared in Calendars: store a record of your own with the values you need (or a string) instead, or, if that assembly is yours, add one, or mark an internal one [JsonConstructor]) cannot be stored by CookieSessionStorage (JSON only)"));
        test.ExpectedDiagnostics.Add(Diagnostic(DiagnosticDescriptors.ValueNotStorable, 1).WithArguments("AppSession.Mine -> Local (no usable constructor: it has no public one for System.Text.Json to call; add one, or mark an internal one [JsonConstructor]) cannot be stored by CookieSessionStorage (JSON only)"));
        return test.RunAsync();
    }

    [Fact]
    public Task RMS001_a_type_with_state_but_no_public_property_is_reported()
        => AnalyzerTest.VerifyAsync(Usings + """
            public struct Counter { private int _count; public void Increment() => _count++; public override string ToString() => _count.ToString(); }
            public sealed class Marker { }

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial Counter {|#0:Count|} { get; set; }
                [SessionKey] public partial Marker? Mark { get; set; }
            }
            """,
            Diagnostic(DiagnosticDescriptors.ValueNotStorable, 0).WithArguments("AppSession.Count -> Counter (it has no public properties: System.Text.Json would store it as {} and its value would be lost) cannot be stored by CookieSessionStorage (JSON only)"));

    [Fact]
    public Task RMS013_is_not_reported_for_names_the_generator_does_not_use()
        => AnalyzerTest.VerifyAsync(Usings + """
            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? Stored { get; set; }
                [SessionKey] public partial int? HasStock { get; set; }
                public void DestroyAll() { }
                public bool HasAnything => true;
            }
            """);

    // RMS012
    [Fact]
    public Task RMS012_a_bounded_schema_whose_worst_case_exceeds_a_cookie_is_reported()
    {
        var keys = string.Join("\n", Enumerable.Range(0, 64).Select(i => $"    [SessionKey] public partial Guid? Token{i} {{ get; set; }}"));
        return AnalyzerTest.VerifyAsync(Usings + $$"""
            [Session<CookieSessionStorage>]
            public partial class {|#0:Tokens|}
            {
            {{keys}}
            }
            """,
            Diagnostic(DiagnosticDescriptors.CookieBudgetExceeded).WithArguments("Tokens", "4290"));
    }

    [Fact]
    public Task RMS012_is_not_reported_when_the_schema_fits_is_unbounded_or_server_side()
    {
        var keys = string.Join("\n", Enumerable.Range(0, 60).Select(i => $"    [SessionKey] public partial Guid? Token{i} {{ get; set; }}"));
        return AnalyzerTest.VerifyAsync(Usings + $$"""
            [Session<CookieSessionStorage>]
            public partial class Small
            {
                [SessionKey] public partial Guid? Token { get; set; }
                [SessionKey] public partial int? Count { get; set; }
            }

            [Session<CookieSessionStorage>]
            public partial class Unbounded
            {
            {{keys}}
                [SessionKey] public partial string? Name { get; set; }
            }

            [Session<MemorySessionStorage>]
            public partial class ServerSide
            {
            {{keys}}
            }
            """);
    }
}
