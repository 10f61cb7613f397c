using Remastered.Sessions.Sample;

// dotnet run --project samples/Remastered.Sessions.Sample [-- --storage cookie|memory|redis] [--urls http://127.0.0.1:5000]
await SampleApp.Create(args).RunAsync();
