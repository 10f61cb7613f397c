using System.Diagnostics;
using StackExchange.Redis;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// A local Redis Cluster from Debian's <c>redis-server</c>: three masters with one replica each
/// (<c>--cluster-enabled yes</c>, then <c>redis-cli --cluster create ... --cluster-replicas 1 --cluster-yes</c>), with a
/// short node timeout so that a killed master's replica takes over within seconds. Start-up is bounded (30 s).
/// </summary>
public sealed class RedisClusterFixture : IRedisTestTarget, IAsyncLifetime
{
    /// <summary>How long a master may be unreachable before the cluster fails it over (milliseconds).</summary>
    public const int NodeTimeoutMilliseconds = 1000;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "remastered-cluster-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<int, Process> _nodes = [];

    public IReadOnlyList<int> Ports { get; private set; } = [];

    /// <summary>All six nodes, comma-separated: what an application's connection string lists.</summary>
    public string Endpoint => string.Join(",", Ports.Select(p => $"127.0.0.1:{p}"));

    public ConnectionMultiplexer Connect() => RedisProcesses.Connect(Endpoint);

    public async Task InitializeAsync()
    {
        if (!File.Exists(RedisProcesses.ServerPath) || !File.Exists("/usr/bin/redis-cli"))
        {
            throw new InvalidOperationException("redis-server and redis-cli are missing: install Debian's redis-server package (scripts/test.sh does).");
        }

        Directory.CreateDirectory(_directory);
        Ports = FreePortsWithBusPorts(6);
        foreach (var port in Ports)
        {
            StartNode(port);
        }

        foreach (var port in Ports)
        {
            await RedisProcesses.WaitForPingAsync(port, TimeSpan.FromSeconds(10));
        }

        var create = await RunCliAsync(["--cluster", "create", .. Ports.Select(p => $"127.0.0.1:{p}"), "--cluster-replicas", "1", "--cluster-yes"], TimeSpan.FromSeconds(30));
        if (!create.Contains("All 16384 slots covered", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("redis-cli --cluster create failed:\n" + create);
        }

        await WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits until every running node reports <c>cluster_state:ok</c> and every replica's link to its master is up.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var healthy = true;
            foreach (var port in _nodes.Keys)
            {
                var info = await RunCliAsync(["-p", port.ToString(), "cluster", "info"], TimeSpan.FromSeconds(5));
                var replication = await RunCliAsync(["-p", port.ToString(), "info", "replication"], TimeSpan.FromSeconds(5));
                healthy &= info.Contains("cluster_state:ok", StringComparison.Ordinal)
                    && (!replication.Contains("role:slave", StringComparison.Ordinal) || replication.Contains("master_link_status:up", StringComparison.Ordinal));
            }

            if (healthy)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The Redis cluster did not become healthy in time.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The port of the master that serves <paramref name="key"/>'s slot, from the cluster itself.</summary>
    public async Task<int> MasterPortForAsync(string key)
    {
        var slot = (await RunCliAsync(["-p", _nodes.Keys.First().ToString(), "cluster", "keyslot", key], TimeSpan.FromSeconds(5))).Trim();
        var nodes = await RunCliAsync(["-p", _nodes.Keys.First().ToString(), "cluster", "nodes"], TimeSpan.FromSeconds(5));
        foreach (var line in nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (!parts[2].Contains("master", StringComparison.Ordinal) || parts[2].Contains("fail", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var range in parts.Skip(8))
            {
                var bounds = range.Split('-');
                var from = int.Parse(bounds[0]);
                var to = bounds.Length > 1 ? int.Parse(bounds[1]) : from;
                if (int.Parse(slot) >= from && int.Parse(slot) <= to)
                {
                    return int.Parse(parts[1].Split('@')[0].Split(':')[1]);
                }
            }
        }

        throw new InvalidOperationException($"No master serves slot {slot}:\n{nodes}");
    }

    /// <summary>Kills a node's process at once (no shutdown, no save), as a crashed machine would go.</summary>
    public async Task KillAsync(int port)
    {
        var process = _nodes[port];
        _nodes.Remove(port);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _nodes.Values)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _nodes.Clear();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void StartNode(int port) => _nodes[port] = RedisProcesses.Start(
        [
            "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-node-timeout", NodeTimeoutMilliseconds.ToString(),
            "--dir", _directory,
        ],
        _directory);

    private static async Task<string> RunCliAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("/usr/bin/redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"redis-cli {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return await output + await error;
    }

    /// <summary>Free ports whose cluster bus port (port + 10000) is free too.</summary>
    private static int[] FreePortsWithBusPorts(int count)
    {
        var ports = new List<int>();
        var random = new Random();
        while (ports.Count < count)
        {
            var port = random.Next(20000, 50000);
            if (!ports.Contains(port) && RedisProcesses.IsFree(port) && RedisProcesses.IsFree(port + 10000))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }
}
