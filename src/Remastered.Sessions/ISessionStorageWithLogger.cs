using Microsoft.Extensions.Logging;

namespace Remastered.Sessions;

/// <summary>
/// Implemented by storages that log, so that the stores they load report application-level events (a stored value
/// that no longer reads as its declared type) to the same logger.
/// </summary>
public interface ISessionStorageWithLogger
{
    /// <summary>The storage's logger.</summary>
    ILogger Logger { get; }
}
