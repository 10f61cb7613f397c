using Remastered.Sessions.Schemas.Support;
using System.Reflection;
using CsCheck;
using Remastered.Sessions.Generator.Tests.Schemas;

// The generated helpers are private; the test reaches them by reflection, and test assemblies are never trimmed.
#pragma warning disable IL2070, IL2075, IL2080

namespace Remastered.Sessions.Generator.Tests.EndToEnd;

/// <summary>
/// The generated compact fast path: present for the types it covers, reading exactly what the generated writer writes
/// as the full reader would, and declining anything else so that the full reader decides.
/// </summary>
public sealed class CompactReadPathTests
{
    private static readonly Type Helpers = typeof(AllTypesSession).GetNestedType("__SessionJson", BindingFlags.NonPublic)!;

    // Helper names are the type's readable name plus a per-type number: Write_Profile_3.
    private static MethodInfo? Helper(string prefix, string typeName)
        => Helpers.GetMethods(BindingFlags.Public | BindingFlags.Static).SingleOrDefault(m => System.Text.RegularExpressions.Regex.IsMatch(m.Name, "^" + prefix + typeName + "_[0-9]+$"));

    private static CompactJsonReadFunc<T> Compact<T>(string typeName) => Helper("TryReadCompact_", typeName)!.CreateDelegate<CompactJsonReadFunc<T>>();

    private static JsonWriteAction<T> Write<T>(string typeName) => Helper("Write_", typeName)!.CreateDelegate<JsonWriteAction<T>>();

    private static JsonReadFunc<T> Read<T>(string typeName) => Helper("Read_", typeName)!.CreateDelegate<JsonReadFunc<T>>();

    [Theory]
    [InlineData("Profile")]
    [InlineData("Point")]
    [InlineData("Color")]
    [InlineData("Big")]
    [InlineData("Decimal")]
    [InlineData("Double")]
    [InlineData("ListOfString")]
    public void Types_the_fast_path_covers_get_a_compact_reader(string typeName)
        => Assert.NotNull(Helper("TryReadCompact_", typeName));

    [Theory]
    [InlineData("Order")] // holds a Guid and a dictionary
    [InlineData("Guid")]
    [InlineData("DateTimeOffset")]
    [InlineData("UInt16")]
    public void Types_outside_it_keep_only_the_full_reader(string typeName)
    {
        Assert.NotNull(Helper("Read_", typeName));
        Assert.Null(Helper("TryReadCompact_", typeName));
    }

    private static readonly Gen<Profile> Profiles = Gen.Select(Gen.String[0, 20].Null(), Gen.Int, Gen.String[0, 20].Null(), Gen.String[0, 8].List[0, 3].Null(),
        (name, age, email, tags) => new Profile { Name = name, Age = age, Email = email, Tags = tags });

    [Fact]
    public void The_compact_reader_reads_what_the_writer_writes_as_the_full_reader_does()
    {
        var write = Write<Profile>("Profile");
        var compact = Compact<Profile>("Profile");
        var read = Read<Profile>("Profile");
        Profiles.Sample(profile =>
        {
            var json = JsonSessionValue.Create(profile, write);
            var reader = new CompactJsonReader(json.Utf8Json.Span);
            Assert.True(compact(ref reader, out var fast), "the fast path declined " + json);
            Assert.True(reader.IsAtEnd);
            Assert.True(json.TryRead(read, out var full));
            Assert.Equal(Describe(full), Describe(fast));
            Assert.Equal(Describe(profile), Describe(fast));
        }, iter: 500);
    }

    [Theory]
    [InlineData("""{ "Name": "ada", "Age": 36, "e-mail": null, "Tags": ["x"] }""")]
    [InlineData("""{"Age":36,"Name":"ada","e-mail":null,"Tags":["x"]}""")]
    [InlineData("""{"Name":"ada","Age":36,"e-mail":null,"Tags":["x"],"Extra":true}""")]
    [InlineData("""{"Name":"ada","Age":36.0e0,"e-mail":null,"Tags":["x"]}""")]
    public async Task A_value_in_another_form_is_declined_by_the_fast_path_and_read_by_the_full_reader(string json)
    {
        var value = JsonSessionValue.Parse(json);
        var reader = new CompactJsonReader(value.Utf8Json.Span);
        Assert.False(Compact<Profile>("Profile")(ref reader, out _) && reader.IsAtEnd);

        var storage = new CookieSessionStorage(new CookieSessionOptions { Name = "session", Secrets = ["generator-tests-secret-0123456789abcdefgh"] });
        var untyped = await SessionStore.LoadAsync(storage, null);
        untyped.Set("profile", value);
        var cookie = (await untyped.CommitAsync())!.Split(';')[0];

        var typed = await AllTypesSession.LoadAsync(storage, cookie);
        if (json.Contains("36.0e0", StringComparison.Ordinal))
        {
            // Not an int for System.Text.Json either: the key reads as absent, as before the fast path existed.
            Assert.Null(typed.Profile);
        }
        else
        {
            Assert.Equal("ada|36||x", Describe(typed.Profile!));
        }
    }

    private static string Describe(Profile p) => $"{p.Name}|{p.Age}|{p.Email}|{(p.Tags is null ? "null" : string.Join(",", p.Tags))}";
}
