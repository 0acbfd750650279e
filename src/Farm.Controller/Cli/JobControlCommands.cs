using System.CommandLine;
using Farm.Controller.Scheduling;
using Farm.Node.Hosting;

namespace Farm.Controller.Cli;

/// <summary><c>farm hold|resume|cancel JOB --store ...</c>: the operator's job controls, appended to the job's stream.</summary>
public static class JobControlCommands
{
    public static Command Hold() => Create("hold", "Hold a job: nothing more is assigned until it is resumed; burns in flight finish", (journal, id, _, ct) =>
        JobLedger.HoldAsync(journal, id, "held by the operator", TimeProvider.System, ct));

    public static Command Resume() => Create("resume", "Resume a held job", (journal, id, _, ct) =>
        JobLedger.ResumeAsync(journal, id, TimeProvider.System, ct));

    public static Command Cancel() => Create("cancel", "Cancel a job: nothing more is assigned; burns in flight finish (or, with --abort, are aborted)", (journal, id, abort, ct) =>
        JobLedger.CancelAsync(journal, id, abort, abort ? "cancelled by the operator; burns in flight aborted" : "cancelled by the operator", TimeProvider.System, ct));

    private static Command Create(string name, string description, Func<Node.Journal.IJournal, string, bool, CancellationToken, Task> act)
    {
        var job = new Argument<string>("job") { Description = "The job's id (see farm jobs)" };
        var store = StoreCli.StoreOption();
        var abort = new Option<bool>("--abort") { Description = "Abort burns in flight (their discs are rejected)" };
        var command = new Command(name, description) { job, store };
        if (name == "cancel")
        {
            command.Options.Add(abort);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            FarmStore farmStore;
            try
            {
                farmStore = FarmStore.Parse(result.GetValue(store)!);
            }
            catch (ArgumentException bad)
            {
                return StoreCli.Fail(name, bad.Message);
            }

            using var loggers = StoreCli.Loggers(verbose: false);
            var journal = await farmStore.OpenAsync(TimeProvider.System, loggers, cancellationToken).ConfigureAwait(false);
            await using (journal.ConfigureAwait(false))
            {
                try
                {
                    await act(journal, result.GetValue(job)!, result.GetValue(abort), cancellationToken).ConfigureAwait(false);
                }
                catch (ArgumentException bad)
                {
                    return StoreCli.Fail(name, bad.Message);
                }

                Console.WriteLine($"job {result.GetValue(job)}: {name} recorded");
                return 0;
            }
        });
        return command;
    }
}
