using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>What the Redis fixtures share: starting a <c>redis-server</c> process, waiting for it, free ports.</summary>
internal static class RedisProcesses
{
    public const string ServerPath = "/usr/bin/redis-server";

    /// <summary>Starts <c>redis-server</c> with <paramref name="arguments"/>, its output drained.</summary>
    public static Process Start(IEnumerable<string> arguments, string? workingDirectory = null)
    {
        if (!File.Exists(ServerPath))
        {
            throw new InvalidOperationException($"{ServerPath} is missing: install Debian's redis-server package (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo(ServerPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits until a server on <paramref name="port"/> answers <c>PING</c>.</summary>
    public static async Task WaitForPingAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                if (await stream.ReadAsync(buffer) > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server on port {port} did not answer PING within {timeout.TotalSeconds:F0} seconds.");
    }

    /// <summary>A multiplexer for <paramref name="endpoints"/> with the tests' short timeouts, tolerant of a server that is down.</summary>
    public static ConnectionMultiplexer Connect(string endpoints)
    {
        var options = ConfigurationOptions.Parse(endpoints);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        return ConnectionMultiplexer.Connect(options);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
