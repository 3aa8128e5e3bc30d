using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MultiArch.Build.IntegrationTests.Fixtures;

/// <summary>How often a <see cref="FaultProxy"/> breaks what passes through it (shares between 0 and 1).</summary>
public sealed record FaultShares
{
    /// <summary>GET answers (200 or 206 with a body) reset part way through the body.</summary>
    public double CutGetBodies { get; init; }
    /// <summary>PUT and PATCH requests reset part way through the body they send.</summary>
    public double CutWriteBodies { get; init; }
    /// <summary>Requests answered 500 or 503 by the proxy, never reaching the registry.</summary>
    public double ServerErrors { get; init; }
    public int Seed { get; init; } = 1;
}

/// <summary>
/// A fault placed by count, not by chance: of the requests with <paramref name="Method"/>, the first
/// <paramref name="Skip"/> pass and the next <paramref name="Times"/> lose their connection once
/// <paramref name="AfterBytes"/> bytes of their body reached the registry (a body no longer than that passes whole).
/// The registry's side is reset; the client's side is reset too, or with <paramref name="Hold"/> kept open with
/// no answer, as when a proxy in between loses its upstream, so the request stalls until the client gives up.
/// </summary>
public sealed record RequestCut(string Method, long AfterBytes, int Skip = 0, int Times = 1, bool Hold = false);

/// <summary>
/// A loopback HTTP/1.1 proxy in front of a real registry that breaks a share of exchanges the way networks and load
/// balancers do: a GET answer reset part way through its body, a PUT or PATCH reset part way through the body it
/// sends, or a 500/503 answered in the registry's place. Each exchange gets its own connection (the proxy asks both
/// sides for <c>Connection: close</c>), so every request is seen whole and every fault lands on exactly one exchange.
/// Faults are drawn from a seeded random source, or placed by count with <see cref="RequestCut"/>s;
/// <see cref="Enabled"/> switches them all off.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly FaultShares _shares;
    private readonly Random _random;
    private readonly RequestCut[] _cuts;
    private readonly int[] _seen;
    private readonly CancellationTokenSource _stop = new();
    private int _cutGets, _cutWrites, _heldWrites, _errors, _exchanges;

    public FaultProxy(int targetPort, params RequestCut[] cuts)
        : this(targetPort, new FaultShares(), cuts)
    {
    }

    public FaultProxy(int targetPort, FaultShares shares, params RequestCut[] cuts)
    {
        _targetPort = targetPort;
        _shares = shares;
        _cuts = cuts;
        _seen = new int[cuts.Length];
        _random = new Random(shares.Seed);
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary><c>127.0.0.1:PORT</c>: a registry name that reaches the registry through the proxy.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public bool Enabled { get; set; } = true;

    public int CutGets => Volatile.Read(ref _cutGets);
    /// <summary>Request bodies cut with both sides reset, by chance or by a <see cref="RequestCut"/>.</summary>
    public int CutWrites => Volatile.Read(ref _cutWrites);
    /// <summary>Request bodies cut by a <see cref="RequestCut"/> with <c>Hold</c>, the client left waiting.</summary>
    public int HeldWrites => Volatile.Read(ref _heldWrites);
    public int Errors => Volatile.Read(ref _errors);
    public int Exchanges => Volatile.Read(ref _exchanges);

    public override string ToString() => $"{Exchanges} exchanges: {CutGets} GET bodies cut, {CutWrites} PUT/PATCH bodies cut, {HeldWrites} held, {Errors} answered 500/503";

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = ExchangeAsync(client);
        }
    }

    private double Draw()
    {
        lock (_random) return _random.NextDouble();
    }

    private long Below(long bound)
    {
        lock (_random) return bound <= 1 ? 0 : _random.NextInt64(1, bound);
    }

    /// <summary>Counts the request against every <see cref="RequestCut"/> for its method; the first that falls on it cuts it.</summary>
    private RequestCut? CutFor(string method)
    {
        RequestCut? chosen = null;
        for (int i = 0; i < _cuts.Length; i++)
        {
            if (_cuts[i].Method != method) continue;
            int index = Interlocked.Increment(ref _seen[i]) - 1;
            if (chosen is null && index >= _cuts[i].Skip && index < _cuts[i].Skip + _cuts[i].Times) chosen = _cuts[i];
        }
        return chosen;
    }

    private async Task ExchangeAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                var fromClient = client.GetStream();
                var (head, rest) = await ReadHeadAsync(fromClient);
                if (head is null) return;
                Interlocked.Increment(ref _exchanges);
                string text = Encoding.ASCII.GetString(head);
                string method = text[..text.IndexOf(' ')];
                long bodyLength = ContentLength(text) ?? 0;
                if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
                    throw new IOException("The proxy relays bodies of a known length only.");
                bool write = method is "PUT" or "PATCH";

                if (Enabled && Draw() < _shares.ServerErrors)
                {
                    await SkipAsync(fromClient, bodyLength - rest.Length);
                    Interlocked.Increment(ref _errors);
                    string status = Draw() < 0.5 ? "500 Internal Server Error" : "503 Service Unavailable";
                    await fromClient.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                    return;
                }
                var placed = Enabled ? CutFor(method) : null;
                long? cutRequestAt = placed is not null ? (placed.AfterBytes < bodyLength ? placed.AfterBytes : null)
                    : Enabled && write && bodyLength > 0 && Draw() < _shares.CutWriteBodies ? Below(bodyLength) : null;
                bool cutAnswer = Enabled && method == "GET" && Draw() < _shares.CutGetBodies;

                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var toServer = server.GetStream();
                await toServer.WriteAsync(Encoding.ASCII.GetBytes(CloseAfter(text)), _stop.Token);
                if (!await RelayBodyAsync(fromClient, toServer, rest, bodyLength, cutRequestAt))
                {
                    Reset(server);
                    if (placed is { Hold: true })
                    {
                        Interlocked.Increment(ref _heldWrites);
                        await SkipAsync(fromClient, long.MaxValue);
                        return;
                    }
                    Interlocked.Increment(ref _cutWrites);
                    Reset(client);
                    return;
                }
                await RelayAnswerAsync(server.GetStream(), client, cutAnswer);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away; the other sees its connection end.
            }
        }
    }

    /// <summary>Sends the request body on: the bytes already read past the head, then the rest; false when it was cut.</summary>
    private async Task<bool> RelayBodyAsync(NetworkStream from, NetworkStream to, byte[] already, long length, long? cutAt)
    {
        long sent = 0;
        var buffer = new byte[64 * 1024];
        ReadOnlyMemory<byte> pending = already;
        while (sent < length)
        {
            if (pending.IsEmpty)
            {
                int n = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent)), _stop.Token);
                if (n == 0) return true;
                pending = buffer.AsMemory(0, n);
            }
            if (cutAt is { } cut && sent + pending.Length >= cut)
            {
                await to.WriteAsync(pending[..(int)(cut - sent)], _stop.Token);
                await to.FlushAsync(_stop.Token);
                return false;
            }
            await to.WriteAsync(pending, _stop.Token);
            sent += pending.Length;
            pending = ReadOnlyMemory<byte>.Empty;
        }
        return true;
    }

    /// <summary>Sends the answer back until the registry closes; a GET answer with a body may be cut part way through it.</summary>
    private async Task RelayAnswerAsync(NetworkStream from, TcpClient client, bool cut)
    {
        var to = client.GetStream();
        var (head, rest) = await ReadHeadAsync(from);
        if (head is null) return;
        string text = Encoding.ASCII.GetString(head);
        long? length = ContentLength(text);
        bool hasBody = text.StartsWith("HTTP/1.1 200", StringComparison.Ordinal) || text.StartsWith("HTTP/1.1 206", StringComparison.Ordinal);
        long? cutAt = cut && hasBody && length > 1 ? Below(length.Value) : null;
        await to.WriteAsync(head, _stop.Token);
        long sent = 0;
        var buffer = new byte[64 * 1024];
        ReadOnlyMemory<byte> pending = rest;
        while (true)
        {
            if (pending.IsEmpty)
            {
                int n = await from.ReadAsync(buffer, _stop.Token);
                if (n == 0) break;
                pending = buffer.AsMemory(0, n);
            }
            if (cutAt is { } at && sent + pending.Length >= at)
            {
                await to.WriteAsync(pending[..(int)(at - sent)], _stop.Token);
                await to.FlushAsync(_stop.Token);
                Interlocked.Increment(ref _cutGets);
                Reset(client);
                return;
            }
            await to.WriteAsync(pending, _stop.Token);
            sent += pending.Length;
            pending = ReadOnlyMemory<byte>.Empty;
        }
        client.Client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Reads up to the blank line that ends a head; returns the head and whatever body bytes came with it.</summary>
    private async Task<(byte[]? Head, byte[] Body)> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int n = await stream.ReadAsync(chunk, _stop.Token);
            if (n == 0) return (null, []);
            buffer.Write(chunk, 0, n);
            var all = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            int end = all.IndexOf(HeadEnd);
            if (end >= 0) return (all[..(end + HeadEnd.Length)].ToArray(), all[(end + HeadEnd.Length)..].ToArray());
            if (buffer.Length > 1 << 20) throw new IOException("The head is too large.");
        }
    }

    private async Task SkipAsync(NetworkStream stream, long count)
    {
        var buffer = new byte[64 * 1024];
        while (count > 0)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), _stop.Token);
            if (n == 0) return;
            count -= n;
        }
    }

    private static long? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase) && long.TryParse(line[15..].Trim(), out long length)) return length;
        }
        return null;
    }

    /// <summary>The request head with <c>Connection: close</c>, so the registry ends the connection after its answer.</summary>
    private static string CloseAfter(string head)
    {
        var lines = head[..^4].Split("\r\n").Where(l => !l.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase) && !l.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase));
        return string.Join("\r\n", lines) + "\r\nConnection: close\r\n\r\n";
    }

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
