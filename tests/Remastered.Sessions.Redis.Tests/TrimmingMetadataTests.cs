using System.Reflection;
using Remastered.Sessions.AspNetCore;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// Every package says it is trimmable and AOT-compatible, so that a published app trims it and its own build runs the
/// trim and AOT analyzers (the Redis package once said neither).
/// </summary>
public sealed class TrimmingMetadataTests
{
    [Theory]
    [InlineData(typeof(SessionStore))]
    [InlineData(typeof(RemasteredSessionOptions))]
    [InlineData(typeof(RedisSessionStorage))]
    public void The_assembly_is_marked_trimmable_and_AOT_compatible(Type type)
    {
        var metadata = type.Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        Assert.True(metadata.TryGetValue("IsTrimmable", out var trimmable) && trimmable == "True", $"{type.Assembly.GetName().Name}: IsTrimmable {trimmable ?? "absent"}");
        Assert.True(metadata.TryGetValue("IsAotCompatible", out var aot) && aot == "True", $"{type.Assembly.GetName().Name}: IsAotCompatible {aot ?? "absent"}");
    }
}
