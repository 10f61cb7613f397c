using System.Diagnostics;
using StackExchange.Redis;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// A real <c>redis-server</c> (Debian package), started on a free loopback port with persistence off, and stoppable
/// mid-test to simulate an outage. scripts/test.sh installs the package when missing.
/// </summary>
public sealed class RedisServerFixture : IRedisTestTarget, IAsyncLifetime
{
    public const string ServerPath = RedisProcesses.ServerPath;
    private Process? _process;

    public int Port { get; } = RedisProcesses.FreePort();

    public string Endpoint => $"127.0.0.1:{Port}";

    public ConnectionMultiplexer Connect() => RedisProcesses.Connect(Endpoint);

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        _process = RedisProcesses.Start(["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]);
        await RedisProcesses.WaitForPingAsync(Port, TimeSpan.FromSeconds(10));
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public Task DisposeAsync() => StopAsync();
}
