using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Remastered.Sessions.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
