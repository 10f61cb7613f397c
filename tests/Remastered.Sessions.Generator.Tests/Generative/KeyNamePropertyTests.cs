using System.Text.Json;
using CsCheck;
using Remastered.Sessions.Generator.Parsing;

namespace Remastered.Sessions.Generator.Tests.Generative;

/// <summary>A key's default name is the property name in camelCase exactly as System.Text.Json's naming policy writes it.</summary>
public sealed class KeyNamePropertyTests
{
    [Fact]
    public void Default_key_names_are_System_Text_Json_camelCase_for_any_identifier()
        => Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_ÉÀÖéàöΣσßİı"].Array[1, 12]
            .Select(c => new string(c))
            .Sample(name => Assert.Equal(JsonNamingPolicy.CamelCase.ConvertName(name), SchemaParser.CamelCase(name)), iter: 20_000);

    [Theory]
    [InlineData("UserName", "userName")]
    [InlineData("URLPath", "urlPath")]
    [InlineData("ID", "id")]
    [InlineData("GRInt", "grInt")]
    [InlineData("event", "event")]
    [InlineData("X", "x")]
    public void Examples(string property, string key) => Assert.Equal(key, SchemaParser.CamelCase(property));
}
