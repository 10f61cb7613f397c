using System.Text.Json.Nodes;
using CsCheck;
using Remastered.Sessions.Tests.Support;

namespace Remastered.Sessions.Tests;

/// <summary>The whole-session JSON document against arbitrary keys and nested values.</summary>
public sealed class SessionPayloadPropertyTests
{
    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.String.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Const((JsonNode?)null));

    private static readonly Gen<JsonNode?> Value = Gen.OneOf(
        Leaf,
        Leaf.List[0, 4].Select(items => (JsonNode?)new JsonArray([.. items])),
        Gen.Select(Gen.String[0, 6], Leaf).List[0, 4].Select(pairs =>
        {
            var node = new JsonObject();
            foreach (var (name, leaf) in pairs)
            {
                node[name] = leaf;
            }

            return (JsonNode?)new JsonObject { ["nested"] = node, ["list"] = new JsonArray(JsonValue.Create("]}\"\\"), null) };
        }));

    [Fact]
    public void Any_session_round_trips_through_the_payload_byte_for_byte()
        => Gen.Select(Gen.String[0, 12], Value).List[0, 8].Select(Gen.Bool.List[8, 8]).Sample((entries, flashes) =>
        {
            var session = StoredSessions.Build([.. entries.Select(e => (e.Item1, (JsonSessionValue)e.Item2))], flashes);

            var back = JsonSessionSerializer.Deserialize(JsonSessionSerializer.Serialize(session));
            StoredSessions.AssertSame(session, back);
        }, iter: 2000);

    [Fact]
    public void A_payload_with_whitespace_from_another_writer_is_read_by_the_full_reader()
    {
        var back = JsonSessionSerializer.Deserialize("""{ "c" : { "a" : [ 1, 2 ], "b" : "x" }, "f" : [ "b" ] }"""u8.ToArray());
        Assert.Equal("[ 1, 2 ]", back.Content["a"].ToString());
        Assert.Equal(["b"], back.FlashedKeys);
    }

    [Theory]
    [InlineData("""{"c":{"a":[1,2}}""")]
    [InlineData("""{"c":{"a":"unterminated}}""")]
    [InlineData("""{"c":{"a":1""")]
    [InlineData("""{"c":{"a":}}""")]
    public void A_malformed_payload_is_a_JsonException_not_a_crash(string payload)
        => Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonSessionSerializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(payload)));
}
