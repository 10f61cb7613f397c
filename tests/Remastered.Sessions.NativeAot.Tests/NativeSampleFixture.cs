using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Remastered.Sessions.NativeAot.Tests;

/// <summary>
/// Publishes samples/Remastered.Sessions.AotSample with <c>PublishAot=true</c> once per test run, into
/// artifacts/aot-sample, keeping the publish log so that tests can check it for trim and AOT warnings.
/// </summary>
public sealed partial class NativeSampleFixture : IAsyncLifetime
{
    public static readonly string RepositoryRoot = FindRoot();

    public string OutputDirectory { get; } = Path.Combine(RepositoryRoot, "artifacts", "aot-sample");

    public string BinaryPath => Path.Combine(OutputDirectory, "Remastered.Sessions.AotSample");

    public string PublishLog { get; private set; } = "";

    public int PublishExitCode { get; private set; } = -1;

    public TimeSpan PublishDuration { get; private set; }

    /// <summary>Trim (IL2xxx) and AOT (IL3xxx) analysis warnings or errors in the publish log.</summary>
    public IReadOnlyList<string> TrimAndAotDiagnostics => TrimOrAotDiagnostic().Matches(PublishLog).Select(m => m.Value).Distinct().ToList();

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var argument in new[] { "publish", Path.Combine("samples", "Remastered.Sessions.AotSample", "Remastered.Sessions.AotSample.csproj"), "-c", "Release", "-o", OutputDirectory, "-nologo" })
        {
            start.ArgumentList.Add(argument);
        }

        // A fresh node: the test host's MSBuild environment must not leak into the nested build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        start.Environment.Remove("MSBuildSDKsPath");
        var log = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        PublishDuration = watch.Elapsed;
        PublishExitCode = process.ExitCode;
        lock (log)
        {
            PublishLog = log.ToString();
        }

        if (PublishExitCode != 0 || !File.Exists(BinaryPath))
        {
            throw new InvalidOperationException($"Publishing the AOT sample failed (exit {PublishExitCode}). Native AOT needs clang and zlib1g-dev (scripts/test.sh installs them).\n{PublishLog}");
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts the native binary on a free loopback port and waits until it answers.</summary>
    public async Task<NativeSample> StartAsync(params string[] arguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = OutputDirectory,
        };
        foreach (var argument in arguments.Concat(["--urls", $"http://127.0.0.1:{port}"]))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        var watch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync("/api/session")).StatusCode == HttpStatusCode.OK)
                {
                    return new NativeSample(process, address, watch.Elapsed, output);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"The native sample did not answer within 20 s.\n{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Remastered.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Remastered.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(warning|error) IL[23]\d{3}\b[^\r\n]*")]
    private static partial Regex TrimOrAotDiagnostic();
}

/// <summary>A running native sample; disposing stops it.</summary>
public sealed class NativeSample(Process process, Uri address, TimeSpan startup, StringBuilder output) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    /// <summary>From process start to the first successful response.</summary>
    public TimeSpan StartupTime { get; } = startup;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class NativeSampleCollection : ICollectionFixture<NativeSampleFixture>
{
    public const string Name = "Native AOT sample";
}
