using System.CommandLine;

namespace Farm.Controller.Cli;

/// <summary><c>farm hold|resume|cancel JOB --farm URL</c>: the operator's job controls, through the farm's HTTP API.</summary>
public static class JobControlCommands
{
    public static Command Hold() => Create("hold", "Hold a job: nothing more is assigned until it is resumed; burns in flight finish");

    public static Command Resume() => Create("resume", "Resume a held job");

    public static Command Cancel() => Create("cancel", "Cancel a job: nothing more is assigned; burns in flight finish (or, with --abort, are aborted)");

    private static Command Create(string name, string description)
    {
        var job = new Argument<string>("job") { Description = "The job's id (see farm jobs)" };
        var farm = ApiCli.FarmOption();
        var abort = new Option<bool>("--abort") { Description = "Abort burns in flight (their discs are rejected)" };
        var command = new Command(name, description) { job, farm, ApiCli.TokenOption() };
        if (name == "cancel")
        {
            command.Options.Add(abort);
        }

        command.SetAction((result, cancellationToken) => ApiCli.RunAsync(result, farm, name, async client =>
        {
            var id = result.GetValue(job)!;
            var path = $"/api/jobs/{Uri.EscapeDataString(id)}/{name}{(result.GetValue(abort) ? "?abort=true" : "")}";
            var answer = await client.SendAsync(HttpMethod.Post, path, null, null, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccess)
            {
                return ApiCli.Refused(result, name, answer);
            }

            await result.InvocationConfiguration.Output.WriteLineAsync($"job {id}: {name} recorded").ConfigureAwait(false);
            return 0;
        }));
        return command;
    }
}
