using BenchmarkDotNet.Running;
using Remastered.Sessions.Benchmarks;

// dotnet run -c Release --project benchmarks/Remastered.Sessions.Benchmarks -- --filter '*' [--job short]
// dotnet run -c Release --project benchmarks/Remastered.Sessions.Benchmarks -- --profile   (per-step profile, medium cookie session)
// dotnet run -c Release --project benchmarks/Remastered.Sessions.Benchmarks -- --http        (wrk against Kestrel, docs/benchmarks.md)
// dotnet run -c Release --project benchmarks/Remastered.Sessions.Benchmarks -- --alloc-types (allocated bytes by type, medium cookie request)
if (args is ["--http", ..])
{
    await HttpBenchmark.RunAsync(args[1..]);
    return;
}

if (args is ["--alloc-types"])
{
    AllocationProfile.Run();
    return;
}

if (args is ["--profile"])
{
    StepProfile.Run();
    return;
}

if (args is ["--profile-loop", var contender, var seconds])
{
    // For a sampling profiler: perf record -g -- env DOTNET_PerfMapEnabled=1 dotnet <dll> --profile-loop generated 10
    StepProfile.Loop(contender, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
