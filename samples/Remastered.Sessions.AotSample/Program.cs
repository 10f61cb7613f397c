using Remastered.Sessions.Sample;

// The sample's HTTP contract as a Native AOT binary:
//   dotnet publish samples/Remastered.Sessions.AotSample -c Release -o artifacts/aot-sample
//   artifacts/aot-sample/Remastered.Sessions.AotSample [--storage cookie|memory|redis] [--redis host:port] [--urls http://127.0.0.1:5000]
var builder = WebApplication.CreateSlimBuilder(args);
string storageKind;
try
{
    storageKind = SampleSessions.StorageKind(builder.Configuration);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    return 2;
}

builder.Services.AddAntiforgery();
SampleSessions.Add(builder.Services, builder.Configuration, storageKind, AppContext.BaseDirectory, "remastered-aot-sample:");

var app = builder.Build();
app.UseAntiforgery();

SampleRoutes.Map(app);
await app.RunAsync();
return 0;
