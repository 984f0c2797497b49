using System.Net.Sockets;
using System.Text;

namespace WeightShare.Web.Tests.Infrastructure;

/// <summary>
/// A large multipart upload of one file sent by hand over a socket, chunked (no Content-Length), that stops as soon
/// as the server's status line arrives: what an HttpClient cannot show, since it finishes sending before it reads.
/// </summary>
public static class ChunkedUpload
{
    private const string Boundary = "wsw-chunked-upload";

    /// <summary>
    /// Posts a file that starts with <paramref name="head"/> and goes on with zeros up to <paramref name="length"/>
    /// bytes; answers the response's status line and how many bytes of the file the socket had taken when it came.
    /// </summary>
    public static async Task<(string StatusLine, long Sent)> PostAsync(Uri server, string path, string fileName, byte[] head, long length)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        await WriteChunkAsync(stream, Encoding.ASCII.GetBytes(
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n"), CancellationToken.None);

        using var answered = new CancellationTokenSource();
        long sent = 0;
        var sending = Task.Run(async () =>
        {
            var zeros = new byte[1 << 16];
            await WriteChunkAsync(stream, head, answered.Token);
            Interlocked.Add(ref sent, head.Length);
            for (var left = length - head.Length; left > 0 && !answered.IsCancellationRequested; left -= zeros.Length)
            {
                var piece = zeros.AsMemory(0, (int)Math.Min(left, zeros.Length));
                await WriteChunkAsync(stream, piece, answered.Token);
                Interlocked.Add(ref sent, piece.Length);
            }
        });
        var statusLine = await ReadStatusLineAsync(stream);
        var sentWhenAnswered = Interlocked.Read(ref sent);
        await answered.CancelAsync();
        try
        {
            await sending;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The answer came first and the connection closes: the rest is never sent.
        }
        return (statusLine, sentWhenAnswered);
    }

    private static async Task WriteChunkAsync(NetworkStream stream, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"), cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }
        return line.ToString().TrimEnd('\r');
    }
}
