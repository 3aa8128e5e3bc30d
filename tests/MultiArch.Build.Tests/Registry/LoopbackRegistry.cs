using System.Net;
using System.Net.Sockets;

namespace MultiArch.Build.Tests.Registry;

/// <summary>
/// Serves a <see cref="FakeRegistry"/> over real HTTP on 127.0.0.1, so a client with its own
/// <see cref="SocketsHttpHandler"/> (cookies, connection reuse) talks to it as to a real registry.
/// </summary>
internal sealed class LoopbackRegistry : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpMessageInvoker _registry;
    private readonly Task _serving;

    public LoopbackRegistry(FakeRegistry registry)
    {
        int port = FreePort();
        Host = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Host}/");
        _listener.Start();
        _registry = new HttpMessageInvoker(registry, disposeHandler: false);
        _serving = ServeAsync();
    }

    /// <summary>The registry as a reference names it (loopback, so the client uses plain HTTP).</summary>
    public string Host { get; }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.HttpMethod), incoming.Url);
        using var body = new MemoryStream();
        await incoming.InputStream.CopyToAsync(body);
        if (incoming.HasEntityBody) request.Content = new ByteArrayContent(body.ToArray());
        foreach (string name in incoming.Headers.AllKeys.OfType<string>())
        {
            string value = incoming.Headers[name]!;
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        var outgoing = context.Response;
        HttpResponseMessage response;
        try
        {
            response = await _registry.SendAsync(request, CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            outgoing.Abort();
            return;
        }
        using (response)
        {
            outgoing.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers)
            {
                foreach (string value in values) outgoing.AppendHeader(name, value);
            }
            byte[] bytes = await response.Content.ReadAsByteArrayAsync();
            if (response.Content.Headers.ContentType is { } type) outgoing.ContentType = type.ToString();
            if (incoming.HttpMethod == "HEAD") bytes = [];
            outgoing.ContentLength64 = bytes.Length;
            await outgoing.OutputStream.WriteAsync(bytes);
            outgoing.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        _registry.Dispose();
    }
}
