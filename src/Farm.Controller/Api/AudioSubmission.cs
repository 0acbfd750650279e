using Farm.Device.Audio;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Messages.Jobs;

namespace Farm.Controller.Api;

/// <summary>
/// The <c>audio</c> field of a job: WAV files burned as a Redbook audio CD, track 1 first. Every
/// file must be an absolute path to RIFF PCM 44.1 kHz 16-bit stereo (each bad one is named with
/// what it is), there are 1 to 99 tracks, the media is a CD-R or CD-RW, and the tracks with the
/// 2-second pre-gap fit an 80-minute disc.
/// </summary>
internal static class AudioSubmission
{
    /// <summary>The tracks and the disc's blocks (pre-gap and tracks, each padded to whole 2352-byte blocks), or null with the problems added.</summary>
    public static (IReadOnlyList<string> Tracks, long Blocks)? Check(SubmitJobBody body, ProfileInfo? medium, Action<string, string> add, ref ImapiError? imapi)
    {
        var audio = body.Audio!;
        if (body.Image is not null || body.Images is not null || body.MasteredFrom is not null)
        {
            add("audio", "an audio job burns its WAV tracks only: give audio, or image/images, not both");
        }

        if (audio.Count is 0 or > RedbookStager.MaximumTracks)
        {
            add("audio", $"an audio CD holds 1 to {RedbookStager.MaximumTracks} tracks, not {audio.Count}");
            return null;
        }

        if (medium is not null && medium.Profile is not (Profile.CdR or Profile.CdRw))
        {
            add("media", $"an audio CD is burned on CD-R or CD-RW, not {medium.Name}");
        }

        var blocks = (long)CdAddress.PregapBlocks;
        var ok = true;
        for (var i = 0; i < audio.Count; i++)
        {
            var path = audio[i];
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                add($"audio[{i}]", $"a track must be an absolute path to a WAV file on the controller's file system, not '{path}'");
                ok = false;
                continue;
            }

            try
            {
                blocks += WavFile.Open(path).Blocks;
            }
            catch (DeviceException bad)
            {
                imapi ??= bad.Error.Error;
                add($"audio[{i}]", bad.Error.Message);
                ok = false;
            }
        }

        if (ok && blocks > CdAddress.Minutes80)
        {
            imapi ??= ImapiErrors.V1DiscFull;
            add("audio", $"{ImapiErrors.V1DiscFull}: the tracks last {CdAddress.Duration(blocks)} with the pre-gap and an 80-minute CD-R holds {CdAddress.Duration(CdAddress.Minutes80)}; split them over two jobs");
            ok = false;
        }

        ok &= CheckText(body.CdText, audio.Count, add);
        return ok ? ([.. audio.Select(Path.GetFullPath)], blocks) : null;
    }

    /// <summary><c>cdText</c> describes an audio CD: given without <c>audio</c> it is a mistake.</summary>
    public static void CheckTextOnlyWithAudio(SubmitJobBody body, Action<string, string> add)
    {
        if (body.CdText is not null && body.Audio is null)
        {
            add("cdText", "cdText describes an audio CD's tracks: give it with audio (the WAV tracks), or leave it out");
        }
    }

    /// <summary>
    /// The album's and each track's CD-TEXT (printable ASCII, no double quote, at most 160
    /// characters), the catalog number (13 digits) and the ISRCs (CCOOOYYNNNNN), with the rules the
    /// stager applies on the node; at most one entry per track.
    /// </summary>
    private static bool CheckText(AudioText? text, int trackCount, Action<string, string> add)
    {
        if (text is null)
        {
            return true;
        }

        var ok = true;
        try
        {
            new AudioDiscInfo(text.Title, text.Performer, text.Catalog).Validate();
        }
        catch (DeviceException bad)
        {
            add("cdText", bad.Error.Message);
            ok = false;
        }

        var tracks = text.Tracks ?? [];
        if (tracks.Count > trackCount)
        {
            add("cdText.tracks", $"cdText lists {tracks.Count} tracks but the job has {trackCount} WAV tracks; give one entry per track, track 1 first");
            return false;
        }

        for (var i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            if (track is null)
            {
                continue;
            }

            try
            {
                new AudioTrackInfo(track.Title, track.Performer, track.Isrc).Validate();
            }
            catch (DeviceException bad)
            {
                add($"cdText.tracks[{i}]", bad.Error.Message);
                ok = false;
            }
        }

        return ok && FitsOneCdTextBlock(text, trackCount, add);
    }

    /// <summary>The CD-TEXT must fit the lead-in's one language block (256 packs), as the burn will encode it.</summary>
    private static bool FitsOneCdTextBlock(AudioText text, int trackCount, Action<string, string> add)
    {
        var tracks = Enumerable.Range(0, trackCount)
            .Select(i => text.Tracks is { } listed && i < listed.Count && listed[i] is { } t ? new AudioTrackInfo(t.Title, t.Performer, t.Isrc) : AudioTrackInfo.None)
            .ToList();
        try
        {
            CdTextPacks.Encode(new AudioDiscInfo(text.Title, text.Performer, text.Catalog), tracks);
            return true;
        }
        catch (DeviceException tooLong)
        {
            add("cdText", tooLong.Error.Message);
            return false;
        }
    }
}
