using System.Security.Cryptography;
using Farm.Device.Errors;
using Farm.Device.Mmc;
using Farm.Device.Simulation;
using Farm.Device.Writing;
using Farm.Messages;
using Farm.Testing;
using Xunit.Abstractions;

namespace Farm.Device.Tests.Fuzzing;

/// <summary>
/// Whole burns (media properties, write, close, full verify) on a simulated drive whose answers
/// are disturbed now and then: changed bytes, lies about the residual, mangled sense. Each burn
/// ends in a result or a <see cref="DeviceException"/>, within a bound, and a burn reported as
/// verified really holds the image (read back past the disturbance).
/// </summary>
public sealed class DisturbedBurnFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Burns = 120;
    private const int ImageBlocks = 48;

    /// <summary>No burn of 48 blocks at unlimited speed takes a second; ten means it hangs.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly Profile[] Media = [Profile.DvdPlusR, Profile.CdR, Profile.DvdRSequential, Profile.BdRSequential, Profile.DvdPlusRw];

    private readonly TempDirectory _folder = new("farm-fuzz-burn");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_burn_with_disturbed_answers_ends_in_a_result_or_a_device_exception_and_never_verifies_a_wrong_disc()
    {
        var seed = FuzzSeed.Choose(ciSeed: 530489919, output.WriteLine);
        var answers = new RandomAnswers(seed);
        var bytes = new byte[ImageBlocks * 2048];
        new Random(seed).NextBytes(bytes);
        var path = _folder.PathOf("image.iso");
        await File.WriteAllBytesAsync(path, bytes);
        var image = ImageSource.Open(path);
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var examples = new Dictionary<string, string>(StringComparer.Ordinal);

        for (var burn = 0; burn < Burns; burn++)
        {
            var profile = Media[burn % Media.Length];
            await using var simulated = new SimulatedDrive(new SimulatedDriveOptions
            {
                UnlimitedSpeed = true,
                CloseTrackDuration = TimeSpan.Zero,
                CloseSessionDuration = TimeSpan.Zero,
                FinalizeDuration = TimeSpan.Zero,
            });
            simulated.Insert(SimulatedDisc.Blank(Profiles.Get(profile), $"disc-{burn}", new MemoryMediaStore()));
            var options = new MmcDriveOptions { ReadyPollInterval = TimeSpan.FromMilliseconds(1), LongOperationLimit = TimeSpan.FromSeconds(2) };
            var disturbed = new MmcDrive(new DisturbedTransport(simulated, answers, oneIn: 20), TimeProvider.System, options);
            var writer = new DataWriter(disturbed, new DataWriterOptions { DriveBufferPollInterval = TimeSpan.FromMilliseconds(1) });
            using var bound = new CancellationTokenSource(Bound);
            string outcome;
            try
            {
                var result = await writer.BurnAsync(image, null, bound.Token);
                outcome = result.Verified ? "verified" : "verify mismatch";
                if (result.Verified)
                {
                    var honest = new MmcDrive(simulated, TimeProvider.System, options);
                    var readBack = await Verifier.ReadBackAsync(honest, result.Write.StartLba, result.Write.Blocks, Convert.ToHexStringLower(SHA256.HashData(bytes)), CancellationToken.None);
                    Assert.True(readBack.Matches, $"seed {seed}, burn {burn} ({profile}): reported verified, but the disc does not hold the image ({readBack.Problem})");
                }
            }
            catch (DeviceException failure)
            {
                // None is "not an error": a burn thrown out with it would reject a good disc.
                Assert.True(failure.Error.Disposition != Disposition.None, $"seed {seed}, burn {burn} ({profile}): failed with no error: {failure.Error.Message}");
                outcome = failure.Error.Disposition.ToString();
                if (!examples.ContainsKey(outcome))
                {
                    examples[outcome] = failure.Error.Message;
                }
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, burn {burn} ({profile}): still running after {Bound} (last disturbance: {answers.Last})");
            }
            catch (Exception unhandled)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, burn {burn} ({profile}): escaped as {unhandled.GetType().Name} (last disturbance: {answers.Last}): {unhandled}");
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}")));
        foreach (var (disposition, message) in examples)
        {
            output.WriteLine($"e.g. {disposition}: {message}");
        }
    }
}
