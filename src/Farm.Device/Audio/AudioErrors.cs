using Farm.Device.Errors;
using Farm.Messages;

namespace Farm.Device.Audio;

/// <summary>
/// The errors of audio staging as the project's <see cref="DeviceException"/>s, with the IMAPI v1
/// codes of IRedbookDiscMaster (seed 004). None is about a drive (<see cref="Disposition.None"/>):
/// the caller fixes its input or its call sequence.
/// </summary>
public static class AudioErrors
{
    public static DeviceException Of(ImapiError code, string message) =>
        new(DeviceErrors.Of(code, Disposition.None, message));

    /// <summary>A WAV file the farm cannot burn: the message names the file, says what it is and what to do.</summary>
    public static DeviceException BadWav(string path, string what) => Of(
        ImapiErrors.InvalidArgument,
        $"{path}: {what}; an audio CD takes RIFF PCM 44.1 kHz 16-bit stereo WAV only: convert it first (e.g. sox IN -r 44100 -b 16 -c 2 OUT.wav)");
}
