using System.Buffers;
using System.Text.Json;

namespace Remastered.Sessions.Internal;

/// <summary>
/// One reusable <see cref="Utf8JsonWriter"/> and buffer per thread for the hot paths (every set and every commit),
/// instead of a new writer and a growing buffer each time. The buffer is cleared after use, since it held session data.
/// </summary>
internal sealed class JsonWriterCache : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    [ThreadStatic]
    private static JsonWriterCache? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private bool _inUse;

    private JsonWriterCache() => _writer = new Utf8JsonWriter(_buffer, Options);

    public Utf8JsonWriter Writer => _writer;

    /// <summary>What was written; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            _writer.Flush();
            return _buffer.WrittenSpan;
        }
    }

    public static JsonWriterCache Rent()
    {
        var cache = t_cached;
        if (cache is null || cache._inUse)
        {
            // First use on this thread, or re-entrant use (a write callback that writes another value): a fresh one.
            cache = new JsonWriterCache();
            t_cached ??= cache;
        }

        cache._inUse = true;
        cache._writer.Reset(cache._buffer);
        return cache;
    }

    public void Dispose()
    {
        _buffer.Clear();
        _inUse = false;
    }
}
