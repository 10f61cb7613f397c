using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Remastered.Sessions.Schemas.Support;

/// <summary>
/// Collects the items of a JSON array read by a generated fast path in a pooled buffer, then builds the collection at
/// its exact size: no intermediate growth of a <see cref="List{T}"/> (for a 10-item list, three arrays fewer).
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>A mutable struct for generated code: keep it in a local and call <see cref="Dispose"/> in a <c>finally</c>.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct CompactListBuilder<T> : IDisposable
{
    private T[]? _buffer;
    private int _count;

    /// <summary>The number of items added.</summary>
    public readonly int Count => _count;

    /// <summary>Adds an item.</summary>
    /// <param name="item">The item.</param>
    public void Add(T item)
    {
        if (_buffer is null || _count == _buffer.Length)
        {
            Grow();
        }

        _buffer![_count++] = item;
    }

    /// <summary>The items as a list of exactly their number.</summary>
    public readonly List<T> ToList()
    {
        var list = new List<T>(_count);
        if (_count > 0)
        {
            CollectionsMarshal.SetCount(list, _count);
            _buffer.AsSpan(0, _count).CopyTo(CollectionsMarshal.AsSpan(list));
        }

        return list;
    }

    /// <summary>The items as an array.</summary>
    public readonly T[] ToArray() => _count == 0 ? [] : _buffer.AsSpan(0, _count).ToArray();

    /// <summary>The items as a set.</summary>
    public readonly HashSet<T> ToHashSet()
    {
        var set = new HashSet<T>(_count);
        for (var i = 0; i < _count; i++)
        {
            set.Add(_buffer![i]);
        }

        return set;
    }

    /// <summary>Returns the buffer to the pool, cleared when it held references.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<T>.Shared.Return(_buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
            _buffer = null;
            _count = 0;
        }
    }

    private void Grow()
    {
        var next = ArrayPool<T>.Shared.Rent(_buffer is null ? 16 : _buffer.Length * 2);
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _count).CopyTo(next);
            ArrayPool<T>.Shared.Return(_buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }

        _buffer = next;
    }
}
