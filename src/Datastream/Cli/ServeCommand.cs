using System.CommandLine;
using Datastream.Hosting;
using Datastream.Web;
using Microsoft.Extensions.Logging;

namespace Datastream.Cli;

/// <summary>
/// `datastream serve`: the web app alone over the configured engines, for a deployment where the producer and the
/// pipelines run as their own services (infra/docker-compose.yml). Dashboard, discover and dead letters read the
/// index and the log as in `run`; the pipelines page has no pipeline of its own to show or pause (each pipeline
/// service serves its own /api/pipelines and /metrics with `pipeline ... --urls`).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = WebUrls.Option();
        var command = new Command("serve", "The web app alone, over the engines the pipelines write to") { urls };
        command.SetAction(async (parse, cancellation) =>
        {
            await using var env = await CommandEnvironment.StartAsync(parse, cancellation);
            var webUrls = WebUrls.Parse(parse.GetValue(urls) ?? WebUrls.Default);
            var access = AdminAccess.For(webUrls);
            var log = env.Log;
            await env.EnsureTopicsAsync(log);
            await using var lake = await env.OpenLakeAsync();
            var model = AnalyticsCommand.LoadOrStartTraining(env.DataDir);
            var warehouse = env.RevenueWarehouse;
            var revenue = new RevenueRefresh(warehouse, model, env.Logger<RevenueRefresh>());
            var raw = new RawTopicSize(log, env.Topics.Raw);
            var feed = new DeadLetterFeed(log, env.Topics.Dlq, env.Logger<DeadLetterFeed>());
            var system = new RunningSystem(env.Search, model, revenue, [], feed, raw, log.Engine, lake.Location);

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(env.Stop);
            var background = new[] { revenue.RunAsync(TimeSpan.FromSeconds(10), stop.Token) };
            await using (await RunningWebApp.StartAsync(env, [], system, webUrls, access, stop.Token))
            {
                await revenue.RefreshAsync(stop.Token);
                env.Logger<DatastreamWebApp>().LogInformation("serving until Ctrl-C");
                await env.UntilStoppedAsync();
                await stop.CancelAsync();
            }

            await Task.WhenAll(background);
            return DatastreamCli.Success;
        });
        return command;
    }
}
