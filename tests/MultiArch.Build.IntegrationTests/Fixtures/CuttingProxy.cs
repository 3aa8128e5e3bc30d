using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>
/// A loopback TCP proxy in front of a registry that breaks one connection on purpose: after the
/// n-th request starting with a given method (e.g. <c>PATCH</c>) has sent some bytes, both sides
/// get a reset, as when a network drops mid-upload. Everything else passes through untouched.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly byte[] _method;
    private readonly long _cutAfterBytes;
    private readonly CancellationTokenSource _stop = new();
    private int _toSkip;
    private int _cuts;

    /// <param name="targetPort">The registry's port on 127.0.0.1.</param>
    /// <param name="method">The request method to cut, e.g. "PATCH".</param>
    /// <param name="skip">How many such requests pass before the one that is cut.</param>
    /// <param name="cutAfterBytes">How many bytes of the cut request reach the registry.</param>
    public CuttingProxy(int targetPort, string method, int skip, long cutAfterBytes)
    {
        _targetPort = targetPort;
        _method = Encoding.ASCII.GetBytes(method + " ");
        _toSkip = skip;
        _cutAfterBytes = cutAfterBytes;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections were cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
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
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var back = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                await ForwardAsync(client, server);
                await back;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A cut or a closed side ends the relay; the other side sees the reset.
            }
        }
    }

    private async Task ForwardAsync(TcpClient client, TcpClient server)
    {
        var buffer = new byte[64 * 1024];
        var input = client.GetStream();
        var output = server.GetStream();
        long? left = null;
        while (true)
        {
            int n = await input.ReadAsync(buffer, _stop.Token);
            if (n == 0) { server.Client.Shutdown(SocketShutdown.Send); return; }
            if (left is null && StartsWithMethod(buffer.AsSpan(0, n)) && Interlocked.Decrement(ref _toSkip) == -1) left = _cutAfterBytes;
            if (left is { } remaining && n >= remaining)
            {
                await output.WriteAsync(buffer.AsMemory(0, (int)remaining), _stop.Token);
                await output.FlushAsync(_stop.Token);
                Interlocked.Increment(ref _cuts);
                Reset(client);
                Reset(server);
                return;
            }
            if (left is not null) left -= n;
            await output.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    private bool StartsWithMethod(ReadOnlySpan<byte> data) => data.StartsWith(_method);

    private static void Reset(TcpClient side)
    {
        side.Client.LingerState = new LingerOption(true, 0);
        side.Client.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }
}
