using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Remastered.Sessions.AspNetCore;

/// <summary>A request's session that can commit before the response starts, from inside the application's pipeline.</summary>
internal interface IPipelineCommit
{
    /// <summary>Commits if anything changed; a failure (other than a store outage) is thrown to the caller.</summary>
    Task CommitInPipelineAsync();
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
    private PipeWriter? _writer;
    private bool _passThrough;

    private SessionCommitBoundary(HttpContext context, IHttpResponseBodyFeature inner)
    {
        _context = context;
        _inner = inner;
    }

    /// <summary>Adds a loaded session to the request's boundary, installing it on first use.</summary>
    public static void Enlist(HttpContext context, IPipelineCommit session)
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

    /// <summary>Commits every enlisted session that changed, unless the response has already started.</summary>
    public Task CommitAsync()
    {
        if (_passThrough || _context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        return _sessions.Count == 1 ? _sessions[0].CommitInPipelineAsync() : CommitAllAsync();
    }

    private async Task CommitAllAsync()
    {
        // A copy: an exception handler's response may enlist no one new, but a session loaded meanwhile might.
        foreach (var session in _sessions.ToArray())
        {
            await session.CommitInPipelineAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Commits before the body starts; after that, every call goes straight through.</summary>
    private Task BeforeBodyAsync()
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
    /// The synchronous form, for <see cref="PipeWriter.GetMemory"/> and synchronous stream writes, which start the
    /// response synchronously: Kestrel waits for its own response-starting callbacks the same way there.
    /// </summary>
    private void BeforeBody()
    {
        var pending = BeforeBodyAsync();
        if (!pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
        }
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

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public override void Flush()
        {
            boundary.BeforeBody();
            inner.Flush();
        }

        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await boundary.BeforeBodyAsync().ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => inner.SetLength(value);

        public override void Write(byte[] buffer, int offset, int count)
        {
            boundary.BeforeBody();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            boundary.BeforeBody();
            inner.Write(buffer);
        }

        public override void WriteByte(byte value)
        {
            boundary.BeforeBody();
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
    /// Until the body starts, bytes written are kept in a buffer of its own (as Kestrel itself does before the response
    /// starts), so that getting memory never waits for a commit; the first flush, write or completion commits, then
    /// hands those bytes to the real writer, and from then on every call goes straight through.
    /// </summary>
    private sealed class CommittingPipeWriter(SessionCommitBoundary boundary, PipeWriter inner) : PipeWriter
    {
        private byte[]? _pending;
        private int _pendingLength;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes + _pendingLength;

        public override void Advance(int bytes)
        {
            if (_pending is null)
            {
                inner.Advance(bytes);
                return;
            }

            ArgumentOutOfRangeException.ThrowIfNegative(bytes);
            if (bytes > _pending.Length - _pendingLength)
            {
                throw new InvalidOperationException("Advanced past the memory that was handed out.");
            }

            _pendingLength += bytes;
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override Memory<byte> GetMemory(int sizeHint = 0)
            => boundary._passThrough && _pending is null ? inner.GetMemory(sizeHint) : Reserve(sizeHint).AsMemory(_pendingLength);

        public override Span<byte> GetSpan(int sizeHint = 0)
            => boundary._passThrough && _pending is null ? inner.GetSpan(sizeHint) : Reserve(sizeHint).AsSpan(_pendingLength);

        private byte[] Reserve(int sizeHint)
        {
            var needed = _pendingLength + Math.Max(sizeHint, 1);
            if (_pending is null || _pending.Length < needed)
            {
                var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, (_pending?.Length ?? 0) * 2)));
                if (_pending is not null)
                {
                    _pending.AsSpan(0, _pendingLength).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(_pending);
                }

                _pending = larger;
            }

            return _pending;
        }

        /// <summary>Commits (once), then moves the bytes kept so far to the real writer.</summary>
        private async ValueTask BeforeBodyAsync()
        {
            try
            {
                await boundary.BeforeBodyAsync().ConfigureAwait(false);
            }
            catch
            {
                // The commit failed: the exception handler replaces this response, so what was written so far goes.
                DropPending();
                throw;
            }

            if (_pending is { } pending)
            {
                _pending = null;
                if (_pendingLength > 0)
                {
                    pending.AsSpan(0, _pendingLength).CopyTo(inner.GetSpan(_pendingLength));
                    inner.Advance(_pendingLength);
                }

                _pendingLength = 0;
                System.Buffers.ArrayPool<byte>.Shared.Return(pending);
            }
        }

        private void DropPending()
        {
            if (_pending is { } pending)
            {
                _pending = null;
                _pendingLength = 0;
                System.Buffers.ArrayPool<byte>.Shared.Return(pending);
            }
        }

        public override void Complete(Exception? exception = null)
        {
            if (exception is null)
            {
                var pending = BeforeBodyAsync();
                if (!pending.IsCompletedSuccessfully)
                {
                    pending.AsTask().GetAwaiter().GetResult();
                }
            }

            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            if (exception is null)
            {
                await BeforeBodyAsync().ConfigureAwait(false);
            }

            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (boundary._passThrough && _pending is null)
            {
                return inner.FlushAsync(cancellationToken);
            }

            return Awaited(cancellationToken);

            async ValueTask<FlushResult> Awaited(CancellationToken cancellationToken)
            {
                await BeforeBodyAsync().ConfigureAwait(false);
                return await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            if (boundary._passThrough && _pending is null)
            {
                return inner.WriteAsync(source, cancellationToken);
            }

            return Awaited(source, cancellationToken);

            async ValueTask<FlushResult> Awaited(ReadOnlyMemory<byte> source, CancellationToken cancellationToken)
            {
                await BeforeBodyAsync().ConfigureAwait(false);
                return await inner.WriteAsync(source, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
