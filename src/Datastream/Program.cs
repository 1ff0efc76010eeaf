using Datastream.Cli;
using Datastream.Hosting;

// Before anything native allocates: the settings decide where its later blocks go.
NativeHeapSettings.Apply();
return await DatastreamCli.RunAsync(args);
