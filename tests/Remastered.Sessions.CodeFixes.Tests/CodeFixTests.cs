namespace Remastered.Sessions.CodeFixes.Tests;

public sealed class CodeFixTests
{
    [Fact]
    public Task RMS002_make_the_class_partial_in_every_document()
        => CodeFixTest<MakeSchemaPartialCodeFix>.VerifyAsync(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public class {|RMS002:AppSession|}
                {
                }
                """,
                """
                using Remastered.Sessions;

                [Session<MemorySessionStorage>]
                class {|RMS002:OtherSession|}
                {
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                }
                """,
                """
                using Remastered.Sessions;

                [Session<MemorySessionStorage>]
                partial class OtherSession
                {
                }
                """,
            ]);

    [Fact]
    public Task RMS002_one_fix_makes_the_schema_and_every_type_around_it_partial()
        => CodeFixTest<MakeSchemaPartialCodeFix>.VerifyAsync(
            [
                """
                using Remastered.Sessions;

                public class Outer
                {
                    internal class Middle
                    {
                        [Session<MemorySessionStorage>]
                        public class {|RMS002:Inner|}
                        {
                        }
                    }
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                public partial class Outer
                {
                    internal partial class Middle
                    {
                        [Session<MemorySessionStorage>]
                        public partial class Inner
                        {
                        }
                    }
                }
                """,
            ]);

    [Fact]
    public Task RMS003_make_keys_partial_properties_with_get_and_set()
        => CodeFixTest<MakeKeyPartialPropertyCodeFix>.VerifyAsync(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public int? {|RMS003:Plain|} { get; set; }
                    [SessionKey] public partial int? {|RMS003:ReadOnly|} { get; }
                    [SessionKey] public partial ref readonly int {|RMS003:Pinned|} { get; }
                    [SessionKey]
                    extern public partial int? {|RMS003:Outside|} { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [Flash] public string? {|RMS003:Notice|} { get; set; } = "x";
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial int? Plain { get; set; }
                    [SessionKey] public partial int? ReadOnly { get; set; }
                    [SessionKey] public partial int Pinned { get; set; }
                    [SessionKey]
                    public partial int? Outside { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [Flash] public partial string? Notice { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS003_a_key_implementing_an_interface_explicitly_becomes_a_public_key_that_implements_it_implicitly()
        => CodeFixTest<MakeKeyPartialPropertyCodeFix>.VerifyAsync(
            [
                """
                using System.Collections.Generic;
                using Remastered.Sessions;

                public interface IHasCart { List<string>? Cart { get; set; } int? Count { get; set; } }

                [Session<CookieSessionStorage>]
                public partial class AppSession : IHasCart
                {
                    [SessionKey] partial List<string>? IHasCart.{|RMS003:Cart|} { get; set; }
                    [SessionKey]
                    partial int? IHasCart.{|RMS003:Count|} { get; set; }
                }
                """,
            ],
            [
                """
                using System.Collections.Generic;
                using Remastered.Sessions;

                public interface IHasCart { List<string>? Cart { get; set; } int? Count { get; set; } }

                [Session<CookieSessionStorage>]
                public partial class AppSession : IHasCart
                {
                    [SessionKey] public partial List<string>? Cart { get; set; }
                    [SessionKey]
                    public partial int? Count { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS003_is_not_fixed_where_the_user_implemented_the_key_elsewhere()
    {
        // The declaration already has the shape: what to remove is the user's own implementation, which is their call.
        const string source = """
            using Remastered.Sessions;

            [Session<CookieSessionStorage>]
            public partial class AppSession
            {
                [SessionKey] public partial int? {|RMS003:Count|} { get; set; }
                public partial int? Count { get => 1; set { } }
            }
            """;
        return CodeFixTest<MakeKeyPartialPropertyCodeFix>.VerifyAsync([source], [source]);
    }

    [Fact]
    public Task RMS011_make_key_types_nullable()
        => CodeFixTest<MakeKeyNullableCodeFix>.VerifyAsync(
            [
                """
                using System.Collections.Generic;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial string {|RMS011:Name|} { get; set; }
                    [SessionKey] public partial List<int> {|RMS011:Numbers|} { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [Flash] public partial string {|RMS011:Notice|} { get; set; }
                }
                """,
            ],
            [
                """
                using System.Collections.Generic;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial string? Name { get; set; }
                    [SessionKey] public partial List<int>? Numbers { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [Flash] public partial string? Notice { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS016_remove_json_attributes_from_keys_and_keep_the_stored_key_names()
        => CodeFixTest<RemoveJsonAttributeFromKeyCodeFix>.VerifyAsync(
            [
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey, {|RMS016:JsonPropertyName("uid")|}] public partial int? UserId { get; set; }
                    [SessionKey("visits"), {|RMS016:JsonPropertyName("v")|}] public partial int Visits { get; set; }
                    [Flash]
                    [{|RMS016:JsonPropertyName("msg")|}]
                    public partial string? Notice { get; set; }
                    [SessionKey] [{|RMS016:JsonIgnore|}] public partial string? Draft { get; set; }
                }
                """,
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    /// <summary>The theme.</summary>
                    [{|RMS016:JsonConverter(typeof(JsonStringEnumConverter<System.DayOfWeek>))|}]
                    [SessionKey] public partial System.DayOfWeek Day { get; set; }
                    [{|RMS016:JsonPropertyName("n")|}] [SessionKey] public partial int? Number { get; set; }
                    [SessionKey, {|RMS016:JsonPropertyName("both")|}, {|RMS016:JsonIgnore|}, System.ComponentModel.Description("kept")] public partial int? Both { get; set; }
                    [SessionKey, {|RMS016:JsonPropertyName("n")|}] public partial int? Taken { get; set; }
                    [SessionKey, {|RMS016:JsonPropertyName("__meta")|}] public partial int? Reserved { get; set; }
                }
                """,
            ],
            [
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial int? UserId { get; set; }
                    [SessionKey("visits")] public partial int Visits { get; set; }
                    [Flash]
                    public partial string? Notice { get; set; }
                    [SessionKey] public partial string? Draft { get; set; }
                }
                """,
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    /// <summary>The theme.</summary>
                    [SessionKey] public partial System.DayOfWeek Day { get; set; }
                    [SessionKey] public partial int? Number { get; set; }
                    [SessionKey, System.ComponentModel.Description("kept")] public partial int? Both { get; set; }
                    [SessionKey] public partial int? Taken { get; set; }
                    [SessionKey] public partial int? Reserved { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS016_keeps_preprocessor_directives_comments_and_the_space_before_the_declaration()
        => CodeFixTest<RemoveJsonAttributeFromKeyCodeFix>.VerifyAsync(
            [
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey]
                #if true
                    [{|RMS016:JsonPropertyName("uid")|}]
                #endif
                    public partial int? UserId { get; set; }
                    [SessionKey]
                    #region json
                    [{|RMS016:JsonIgnore|}]
                    #endregion
                    public partial string? Draft { get; set; }
                #if true
                    [SessionKey] [{|RMS016:JsonIgnore|}]
                #endif
                    public partial int? Guarded { get; set; }
                    [System.ComponentModel.Description("d"), SessionKey, {|RMS016:JsonIgnore|}][{|RMS016:JsonPropertyName("u")|}] public partial int? Tight { get; set; }
                    [Flash] /* c */ [{|RMS016:JsonIgnore|}] // t
                    public partial string? Commented { get; set; }
                #if true
                    [{|RMS016:JsonPropertyName("f")|}]
                #endif
                    [SessionKey] public partial int? First { get; set; }
                }
                """,
            ],
            [
                """
                using System.Text.Json.Serialization;
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey]
                #if true
                #endif
                    public partial int? UserId { get; set; }
                    [SessionKey]
                    #region json
                    #endregion
                    public partial string? Draft { get; set; }
                #if true
                    [SessionKey]
                #endif
                    public partial int? Guarded { get; set; }
                    [System.ComponentModel.Description("d"), SessionKey] public partial int? Tight { get; set; }
                    [Flash] /* c */ // t
                    public partial string? Commented { get; set; }
                #if true
                #endif
                    [SessionKey] public partial int? First { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS005_fix_all_gives_each_duplicate_a_name_of_its_own()
        => CodeFixTest<RenameDuplicateKeyCodeFix>.VerifyAsync(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey("k")] public partial int? First { get; set; }
                    [SessionKey("k")] public partial int? {|RMS005:Item|} { get; set; }
                    [SessionKey("k")] public partial int? {|RMS005:ITEM|} { get; set; }
                    [SessionKey("k")] public partial int? {|RMS005:Other|} { get; set; }
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey("k")] public partial int? First { get; set; }
                    [SessionKey("item")] public partial int? Item { get; set; }
                    [SessionKey("k2")] public partial int? ITEM { get; set; }
                    [SessionKey("other")] public partial int? Other { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS005_rename_duplicate_keys()
        => CodeFixTest<RenameDuplicateKeyCodeFix>.VerifyAsync(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial string? Cart { get; set; }
                    [SessionKey("cart")] public partial string? {|RMS005:Basket|} { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [SessionKey("user")] public partial string? User { get; set; }
                    [Flash("user")] public partial string? {|RMS005:User2|} { get; set; }
                    [SessionKey] public partial string? user2 { get; set; }
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial string? Cart { get; set; }
                    [SessionKey("basket")] public partial string? Basket { get; set; }
                }
                """,
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class OtherSession
                {
                    [SessionKey("user")] public partial string? User { get; set; }
                    [Flash("user3")] public partial string? User2 { get; set; }
                    [SessionKey] public partial string? user2 { get; set; }
                }
                """,
            ]);

    [Fact]
    public Task RMS013_renames_the_member_everywhere_and_keeps_a_key_s_stored_name()
        => new CodeFixTest<RenameClashingMemberCodeFix>(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial int? {|RMS013:Store|} { get; set; }
                    [SessionKey] public partial int? Total { get; set; }
                    public bool {|RMS013:HasTotal|} => Store is not null;
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey("store")] public partial int? StoreValue { get; set; }
                    [SessionKey] public partial int? Total { get; set; }
                    public bool HasTotalValue => StoreValue is not null;
                }
                """,
            ]) { NumberOfFixAllIterations = 0, NumberOfIncrementalIterations = 2 }.RunAsync();

    [Fact]
    public Task RMS013_renames_a_nested_type_named_like_a_generated_member_everywhere()
        => new CodeFixTest<RenameClashingMemberCodeFix>(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    public sealed record {|RMS013:Value|}(int X);
                    [SessionKey] public partial Value? Current { get; set; }
                    public int Read() => Current is Value v ? v.X : 0;
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    public sealed record ValueValue(int X);
                    [SessionKey] public partial ValueValue? Current { get; set; }
                    public int Read() => Current is ValueValue v ? v.X : 0;
                }
                """,
            ]) { NumberOfFixAllIterations = 0, NumberOfIncrementalIterations = 1 }.RunAsync();

    [Fact]
    public Task RMS013_fixes_applied_one_after_another_each_rename_their_own_member()
        => new CodeFixTest<RenameClashingMemberCodeFix>(
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey] public partial int? {|RMS013:Store|} { get; set; }
                    [SessionKey] public partial int? {|RMS013:Value|} { get; set; }
                    [SessionKey] public partial bool? {|RMS013:IsDirty|} { get; set; }
                }
                """,
            ],
            [
                """
                using Remastered.Sessions;

                [Session<CookieSessionStorage>]
                public partial class AppSession
                {
                    [SessionKey("store")] public partial int? StoreValue { get; set; }
                    [SessionKey("value")] public partial int? ValueValue { get; set; }
                    [SessionKey("isDirty")] public partial bool? IsDirtyValue { get; set; }
                }
                """,
            ]) { NumberOfFixAllIterations = 0, NumberOfIncrementalIterations = 3 }.RunAsync();
}
