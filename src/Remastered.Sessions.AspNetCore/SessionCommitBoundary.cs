using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Remastered.Sessions.AspNetCore;

/// <summary>A request's session that can commit before the response starts, from inside the application's pipeline.</summary>
internal interface IPipelineCommit
{
    /// <summary>Commits if anything changed; a failure is thrown to the caller (a store outage after the request is marked 503).</summary>
    Task CommitInPipelineAsync();

    /// <summary>Drops the changes not committed yet (another schema's commit failed), so the error response does not send them.</summary>
    Task DiscardUncommittedAsync();
}

/// <summary>
/// Commits the request's loaded sessions inside the application's pipeline, just before the response starts: at the
/// first write, flush or start of the body (this wraps the response body feature), or when the endpoint returns
/// without having written one (<see cref="SessionCommitMatcherPolicy"/>). A commit that fails there throws from the
/// write or the endpoint, so the application's exception handling (<c>UseExceptionHandler</c>, the developer exception
/// page) sees it while the response can still be replaced. What starts a response elsewhere (middleware outside the
/// endpoint) is committed by the response-starting callback, as before.
/// </summary>
internal sealed class SessionCommitBoundary : IHttpResponseBodyFeature
{
    private readonly HttpContext _context;
    private readonly IHttpResponseBodyFeature _inner;
    private readonly List<IPipelineCommit> _sessions = new(1);
    private Stream? _stream;
    private CommittingPipeWriter? _writer;
    private bool _passThrough;

    private SessionCommitBoundary(HttpContext context, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _inner = inner;
    }

    /// <summary>Adds a loaded session to the request's boundary, installing it on first use.</summary>
    public static void Enlist(HttpContext context, IPipelineCommit session)
    {
        // Two schemas loading at once (Task.WhenAll over network storages) may enlist from two threads.
        lock (context)
        {
            EnlistLocked(context, session);
        }
    }

    private static void EnlistLocked(HttpContext context, IPipelineCommit session)
    {
        var boundary = context.Features.Get<SessionCommitBoundary>();
        if (boundary is null)
        {
            if (context.Features.Get<IHttpResponseBodyFeature>() is not { } inner)
            {
                return;
            }

            boundary = new SessionCommitBoundary(context, inner);
            context.Features.Set(boundary);
            context.Features.Set<IHttpResponseBodyFeature>(boundary);
        }

        boundary._sessions.Add(session);
    }

    /// <summary>
    /// Commits every enlisted session that changed, unless the response has already started; then the bytes the
    /// writer held meanwhile go to the server (in order, before anything written after), or, if the commit failed,
    /// are dropped: the exception handler's response replaces them.
    /// </summary>
    public Task CommitAsync()
    {
        if (_passThrough || _context.Response.HasStarted)
        {
            _writer?.Release();
            return Task.CompletedTask;
        }

        var commit = _sessions.Count == 1 ? _sessions[0].CommitInPipelineAsync() : CommitAllAsync();
        if (commit.IsCompletedSuccessfully)
        {
            _writer?.Release();
            return commit;
        }

        return Awaited(commit);

        async Task Awaited(Task pending)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch
            {
                _writer?.Drop();
                throw;
            }

            _writer?.Release();
        }
    }

    private async Task CommitAllAsync()
    {
        // A copy: an exception handler's response may enlist no one new, but a session loaded meanwhile might.
        var sessions = _sessions.ToArray();
        for (var i = 0; i < sessions.Length; i++)
        {
            try
            {
                await sessions[i].CommitInPipelineAsync().ConfigureAwait(false);
            }
            catch
            {
                // The request failed: the schemas not committed yet drop their changes too (those committed before
                // this one are written already and keep theirs: storages share no transaction).
                for (var j = i + 1; j < sessions.Length; j++)
                {
                    await sessions[j].DiscardUncommittedAsync().ConfigureAwait(false);
                }

                throw;
            }
        }
    }

    /// <summary>
    /// Commits before the body starts (or when the endpoint has returned without starting it); after that, every call
    /// goes straight through.
    /// </summary>
    public Task BeforeBodyAsync()
    {
        if (_passThrough)
        {
            return Task.CompletedTask;
        }

        var commit = CommitAsync();
        if (commit.IsCompletedSuccessfully)
        {
            _passThrough = true;
            return commit;
        }

        return Awaited(commit);

        async Task Awaited(Task pending)
        {
            await pending.ConfigureAwait(false);
            _passThrough = true;
        }
    }

    /// <summary>
    /// The synchronous form, for synchronous stream writes and <see cref="PipeWriter.Complete"/>, which start the
    /// response synchronously (a network storage's commit then blocks the thread, as the synchronous write does).
    /// </summary>
    private void BeforeBody()
    {
        var pending = BeforeBodyAsync();
        if (!pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Before a synchronous stream write: one the server refuses (AllowSynchronousIO off, the default) throws from the
    /// server's own write, before anything commits.
    /// </summary>
    private void BeforeSynchronousWrite()
    {
        if (_passThrough || _context.Features.Get<IHttpBodyControlFeature>() is { AllowSynchronousIO: false })
        {
            return;
        }

        BeforeBody();
    }

    public Stream Stream => _stream ??= new CommittingStream(this, _inner.Stream);

    public PipeWriter Writer => _writer ??= new CommittingPipeWriter(this, _inner.Writer);

    public void DisableBuffering() => _inner.DisableBuffering();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await BeforeBodyAsync().ConfigureAwait(false);
        await _inner.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await BeforeBodyAsync().ConfigureAwait(false);
        await _inner.SendFileAsync(path, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteAsync()
    {
        await BeforeBodyAsync().ConfigureAwait(false);
        await _inner.CompleteAsync().ConfigureAwait(false);
    }

    private sealed class CommittingStream(SessionCommitBoundary boundary, Stream inner) : Stream
    {
        public override bool CanRead => false;

        // Forwarded: Response.Clear() truncates a seekable body (one a buffering middleware put in place).
        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
            boundary.BeforeSynchronousWrite();
            inner.Flush();
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await boundary.BeforeBodyAsync().ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override IAsyncResult BeginWrite(byte[] buffer, int offset, int count, AsyncCallback? callback, object? state)
            => TaskToAsyncResult.Begin(WriteAsync(buffer, offset, count, CancellationToken.None), callback, state);

        public override void EndWrite(IAsyncResult asyncResult) => TaskToAsyncResult.End(asyncResult);

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count)
        {
            boundary.BeforeSynchronousWrite();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            boundary.BeforeSynchronousWrite();
            inner.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            boundary.BeforeSynchronousWrite();
            inner.WriteByte(value);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (boundary._passThrough)
            {
                return inner.WriteAsync(buffer, cancellationToken);
            }

            return Awaited(buffer, cancellationToken);

            async ValueTask Awaited(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
            {
                await boundary.BeforeBodyAsync().ConfigureAwait(false);
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Until the sessions have committed, memory handed out is a buffer of this writer's own (Kestrel too holds bytes
    /// written before the response starts, but has no way to drop them): a commit releases them to the server, a failed
    /// one drops them, so the exception handler's response is not preceded by half of the failed one. Getting memory
    /// never commits (nor waits for a commit); a flush, a write or completion does.
    /// </summary>
    private sealed class CommittingPipeWriter(SessionCommitBoundary boundary, PipeWriter inner) : PipeWriter
    {
        private byte[]? _held;
        private int _heldLength;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _heldLength;

        private bool Holding => _held is not null || !boundary._passThrough;

        public override void Advance(int bytes)
        {
            if (_held is null)
            {
                inner.Advance(bytes);
                return;
            }

            ArgumentOutOfRangeException.ThrowIfNegative(bytes);
            if (bytes > _held.Length - _heldLength)
            {
                throw new InvalidOperationException("Cannot advance past the end of the memory handed out.");
            }

            _heldLength += bytes;
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override Memory<byte> GetMemory(int sizeHint = 0) => Holding ? Reserve(sizeHint).AsMemory(_heldLength) : inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => Holding ? Reserve(sizeHint).AsSpan(_heldLength) : inner.GetSpan(sizeHint);

        private byte[] Reserve(int sizeHint)
        {
            var needed = _heldLength + Math.Max(sizeHint, 1);
            if (_held is null || _held.Length < needed)
            {
                var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_held?.Length ?? 0) * 2)));
                if (_held is not null)
                {
                    _held.AsSpan(0, _heldLength).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(_held);
                }

                _held = larger;
            }

            return _held;
        }

        /// <summary>Hands the bytes held so far to the server's writer (not flushed).</summary>
        public void Release()
        {
            if (_held is { } held)
            {
                _held = null;
                if (_heldLength > 0)
                {
                    held.AsSpan(0, _heldLength).CopyTo(inner.GetSpan(_heldLength));
                    inner.Advance(_heldLength);
                }

                _heldLength = 0;
                System.Buffers.ArrayPool<byte>.Shared.Return(held);
            }
        }

        /// <summary>Forgets the bytes held so far.</summary>
        public void Drop()
        {
            if (_held is { } held)
            {
                _held = null;
                _heldLength = 0;
                System.Buffers.ArrayPool<byte>.Shared.Return(held);
            }
        }

        public override void Complete(Exception? exception = null)
        {
            if (exception is null)
            {
                boundary.BeforeBody();
            }
            else
            {
                Drop();
            }

            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (exception is null)
            {
                await boundary.BeforeBodyAsync().ConfigureAwait(false);
            }
            else
            {
                Drop();
            }

            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (!Holding)
            {
                return inner.FlushAsync(cancellationToken);
            }

            return Awaited(cancellationToken);

            async ValueTask<FlushResult> Awaited(CancellationToken cancellationToken)
            {
                await boundary.BeforeBodyAsync().ConfigureAwait(false);
                return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            if (!Holding)
            {
                return inner.WriteAsync(source, cancellationToken);
            }

            return Awaited(source, cancellationToken);

            async ValueTask<FlushResult> Awaited(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
            {
                await boundary.BeforeBodyAsync().ConfigureAwait(false);
                return await inner.WriteAsync(source, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
