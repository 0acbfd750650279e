using Farm.Device.Mmc;

namespace Farm.Device.Writing;

/// <summary>One CLOSE TRACK/SESSION step: the function and whether it addresses the track or the session.</summary>
public sealed record CloseStep(CloseFunction Function, bool AddressesTrack);

/// <summary>
/// What closing a written track means, per profile (MMC-6 "Close Function" tables for each
/// profile). The finalising function differs by profile, so it is data here and not branches in
/// the write path. Random-access media (DVD+RW, DVD-RAM, BD-RE, DVD-RW restricted overwrite) need
/// no close: SYNCHRONIZE CACHE is the end of a write.
/// </summary>
public static class CloseSequences
{
    private static readonly CloseStep Track = new(CloseFunction.CloseTrack, AddressesTrack: true);
    private static readonly CloseStep Session = new(CloseFunction.CloseSession, AddressesTrack: false);

    /// <summary>The steps after the last WRITE and SYNCHRONIZE CACHE.</summary>
    /// <param name="finalize">Close the disc for good (IMAPI2 ForceMediaToBeClosed): no session can follow.</param>
    public static IReadOnlyList<CloseStep> For(Profile profile, bool finalize) => profile switch
    {
        // DVD+R: 010b leaves the disc appendable; 101b closes the session and finalises the disc
        // (minimal radius: the lead-out is written only as far as players need).
        Profile.DvdPlusR => finalize ? [Track, new(CloseFunction.FinalizeMinimalRadius, false)] : [Track, Session],

        // DVD+R DL: 110b finalises a dual-layer disc.
        Profile.DvdPlusRDualLayer => finalize ? [Track, new(CloseFunction.FinalizeDisc, false)] : [Track, Session],

        // BD-R SRM: 110b finalises; 010b closes the session.
        Profile.BdRSequential => finalize ? [Track, new(CloseFunction.FinalizeDisc, false)] : [Track, Session],

        // CD-R/RW (TAO) and DVD-R/-RW sequential: closing the session writes lead-in/lead-out;
        // whether it is the last one is set by the multisession field of mode page 05h.
        Profile.CdR or Profile.CdRw or Profile.DvdRSequential or Profile.DvdRwSequential or Profile.DvdRDualLayerSequential => [Track, Session],

        _ => [],
    };
}
