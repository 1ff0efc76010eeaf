using Datastream.Cli;

return await DatastreamCli.RunAsync(args);
