using System.Net;
using System.Net.Sockets;

namespace Remastered.Sessions.Redis.Tests;

/// <summary>
/// A TCP proxy in front of redis-server that counts network round trips: each time the server answers after the
/// client sent something since the previous answer. Commands pipelined in one write (a <c>MULTI</c>/<c>EXEC</c>, say)
/// are one round trip; a client that waits for an answer before sending more makes two.
/// </summary>
public sealed class RoundTripCountingProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private int _roundTrips;

    public RoundTripCountingProxy(string targetHost, int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Parse(targetHost), targetPort);
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int RoundTrips => Volatile.Read(ref _roundTrips);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
                var awaitingAnswer = new Flag();
                var toServer = PumpAsync(client.GetStream(), server.GetStream(), () => Volatile.Write(ref awaitingAnswer.Value, 1));
                var toClient = PumpAsync(server.GetStream(), client.GetStream(), () =>
                {
                    if (Interlocked.Exchange(ref awaitingAnswer.Value, 0) == 1)
                    {
                        Interlocked.Increment(ref _roundTrips);
                    }
                });
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, Action beforeForwarding)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                beforeForwarding();
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private sealed class Flag
    {
        public int Value;
    }
}
