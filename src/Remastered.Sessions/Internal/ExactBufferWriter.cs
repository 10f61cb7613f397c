using System.Buffers;

namespace Remastered.Sessions.Internal;

/// <summary>
/// A buffer writer for one write of known size (a decryption): allocates exactly what the writer asks for, so the
/// result can be kept without copying. One instance per thread is reused; only the written array is handed over.
/// </summary>
internal sealed class ExactBufferWriter : IBufferWriter<byte>
{
    [ThreadStatic]
    private static ExactBufferWriter? t_cached;

    private byte[] _buffer = [];
    private int _written;

    private ExactBufferWriter()
    {
    }

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>This thread's writer, empty.</summary>
    public static ExactBufferWriter Rent()
    {
        var writer = t_cached ?? new ExactBufferWriter();
        t_cached = null;
        return writer;
    }

    /// <summary>Hands the written bytes over to the caller, who keeps them, and makes the writer reusable.</summary>
    public ReadOnlyMemory<byte> Detach()
    {
        var written = WrittenMemory;
        Reset(clear: false);
        return written;
    }

    /// <summary>Discards (and clears) what was written and makes the writer reusable.</summary>
    public void Discard() => Reset(clear: true);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Reset(bool clear)
    {
        if (clear)
        {
            Array.Clear(_buffer);
        }

        _buffer = [];
        _written = 0;
        t_cached = this;
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }
    }
}
