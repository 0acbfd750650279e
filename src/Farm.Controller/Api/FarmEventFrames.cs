using System.Text;
using System.Text.Json;
using Farm.Controller.Api.Reports;
using Farm.Messages.Views;
using Microsoft.Extensions.Options;

namespace Farm.Controller.Api;

/// <summary>
/// The <c>/api/events</c> frames (<c>event: KIND\ndata: JSON\n\n</c>, UTF-8) of every drive, tower,
/// job and alert, made once per farm state the <see cref="FarmStateFeed"/> holds (and per change of
/// the disc history, which job summaries read), however many connections stream them. A frame whose
/// bytes did not change keeps the array of the snapshot before, so each connection finds what
/// changed by reference instead of serializing the farm itself.
/// </summary>
public sealed class FarmEventFrames(FarmStateFeed feed, DiscLedger discs, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    private readonly Lock _gate = new();
    private FarmState? _madeFrom;
    private long _madeAtDiscs = -1;
    private Dictionary<(string Kind, string Id), byte[]> _frames = [];

    /// <summary>The frames of the farm as it is now; the same dictionary (never changed) until the farm changes.</summary>
    public IReadOnlyDictionary<(string Kind, string Id), byte[]> Current()
    {
        var state = feed.Current;
        lock (_gate)
        {
            var applied = discs.Applied;
            if (!ReferenceEquals(state, _madeFrom) || applied != _madeAtDiscs)
            {
                _frames = Make(state, _frames);
                _madeFrom = state;
                _madeAtDiscs = applied;
            }

            return _frames;
        }
    }

    /// <summary>The frame that tells a client an alert no longer stands.</summary>
    public byte[] AlertCleared(string alertId) => Frame("alert-cleared", new { id = alertId });

    private Dictionary<(string Kind, string Id), byte[]> Make(FarmState state, Dictionary<(string Kind, string Id), byte[]> before)
    {
        var all = new Dictionary<(string Kind, string Id), byte[]>();
        void Add(string kind, string id, object view)
        {
            var frame = Frame(kind, view);
            all[(kind, id)] = before.TryGetValue((kind, id), out var old) && old.AsSpan().SequenceEqual(frame) ? old : frame;
        }

        foreach (var drive in state.Drives.Values)
        {
            Add("drive", drive.DriveId, DriveSummary.From(drive));
        }

        foreach (var tower in state.Towers.Values)
        {
            Add("tower", tower.TowerId, TowerSummary.From(tower, state));
        }

        foreach (var job in state.Jobs.Values)
        {
            Add("job", job.JobId, JobView.Summary(job, discs.Of(job.JobId)));
        }

        foreach (var alert in state.Alerts.Values)
        {
            Add("alert", alert.Id, AlertView.From(alert));
        }

        return all;
    }

    private byte[] Frame(string kind, object view) =>
        Encoding.UTF8.GetBytes($"event: {kind}\ndata: {JsonSerializer.Serialize(view, view.GetType(), json.Value.SerializerOptions)}\n\n");
}
