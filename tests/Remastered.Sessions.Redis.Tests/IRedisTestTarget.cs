using StackExchange.Redis;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>A Redis the storage suite runs against: one server or a cluster.</summary>
public interface IRedisTestTarget
{
    /// <summary>The connection string: one endpoint, or every node of a cluster.</summary>
    string Endpoint { get; }

    /// <summary>A new multiplexer with the tests' short timeouts.</summary>
    ConnectionMultiplexer Connect();
}
