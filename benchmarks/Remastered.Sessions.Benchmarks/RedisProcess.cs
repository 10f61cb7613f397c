using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Remastered.Sessions.Benchmarks;

/// <summary>A private redis-server on a free loopback port (persistence off) for the Redis benchmarks.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;
    private bool _disposed;

    public RedisProcess(int port = 0)
    {
        const string server = "/usr/bin/redis-server";
        if (!File.Exists(server))
        {
            throw new InvalidOperationException("The Redis benchmarks need Debian's redis-server (apt-get install redis-server).");
        }

        if (port != 0)
        {
            Port = port; // a restart on the same port, as after an outage
        }
        else
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(25);
            }
        }

        throw new InvalidOperationException("redis-server did not start.");
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
    }
}
