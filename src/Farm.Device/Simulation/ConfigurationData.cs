using System.Buffers.Binary;
using Farm.Device.Mmc;

namespace Farm.Device.Simulation;

/// <summary>
/// GET CONFIGURATION response (MMC-6, tables "Feature Header" and "Feature Descriptor generic
/// format"). The header is 8 bytes: DATA LENGTH (bytes 0-3, the bytes after the field),
/// reserved (4-5), CURRENT PROFILE (6-7, 0000h without a medium). Each feature descriptor is:
/// FEATURE CODE (bytes 0-1), Version (byte 2 bits 5-2), Persistent (bit 1), Current (bit 0),
/// ADDITIONAL LENGTH (byte 3), then the feature's own bytes, in ascending feature code order.
/// The simulated drive is a multi-format BD/DVD/CD writer; a feature is current when the
/// loaded medium uses it.
/// </summary>
internal static class ConfigurationData
{
    public const int HeaderLength = 8;

    /// <summary>Every profile the drive supports, highest number first (MMC-6 "Profile List").</summary>
    public static IReadOnlyList<Profile> SupportedProfiles { get; } =
        [.. Profiles.All.Select(p => p.Profile).Concat([Profile.CdRom, Profile.DvdRom, Profile.BdRom]).OrderDescending()];

    /// <summary>
    /// The response for REQUEST TYPE <paramref name="requestType"/> (00b all features from
    /// <paramref name="startingFeature"/> on, 01b only current ones, 10b only that feature).
    /// </summary>
    public static byte[] Build(int requestType, ushort startingFeature, ProfileInfo? medium)
    {
        var selected = Features(medium)
            .Where(f => requestType switch
            {
                0 => f.Code >= startingFeature,
                1 => f.Code >= startingFeature && f.Current,
                _ => f.Code == startingFeature,
            })
            .ToList();
        int length = HeaderLength + selected.Sum(f => 4 + f.Body.Length);
        var data = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(length - 4));
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(6), (ushort)(medium?.Profile ?? Profile.None));
        int offset = HeaderLength;
        foreach (var feature in selected)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset), feature.Code);
            data[offset + 2] = (byte)((feature.Version << 2) | (feature.Persistent ? 0x02 : 0) | (feature.Current ? 0x01 : 0));
            data[offset + 3] = (byte)feature.Body.Length;
            feature.Body.CopyTo(data, offset + 4);
            offset += 4 + feature.Body.Length;
        }

        return data;
    }

    private static IEnumerable<FeatureDescriptor> Features(ProfileInfo? medium)
    {
        Profile current = medium?.Profile ?? Profile.None;
        MediaFamily? family = medium?.Family;
        bool isCd = family == MediaFamily.Cd;
        bool isDvd = family == MediaFamily.Dvd;
        bool isBd = family == MediaFamily.Bd;

        // 0000h Profile List: 4 bytes per profile: number (0-1), CurrentP (byte 2 bit 0), reserved.
        yield return new(0x0000, 0, true, true, [.. SupportedProfiles.SelectMany(p => ProfileDescriptor(p, p == current))]);

        // 0001h Core, version 2: Physical Interface Standard (4-7) = 00000001h SCSI family;
        // byte 8: INQ2 (1), DBE (0) = 1 (device busy event).
        yield return new(0x0001, 2, true, true, [0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00]);

        // 0002h Morphing, version 1: byte 4: OCEvent (1) = 1, Async (0) = 0.
        yield return new(0x0002, 1, true, true, [0x02, 0x00, 0x00, 0x00]);

        // 0003h Removable Medium, version 2: byte 4: Loading Mechanism Type (7-5) = 001b tray,
        // Load (4), Eject (3), Pvnt Jmpr (2) = 0, DBML (1) = 0, Lock (0).
        yield return new(0x0003, 2, true, true, [0x20 | 0x10 | 0x08 | 0x01, 0x00, 0x00, 0x00]);

        // 0010h Random Readable, version 0: Logical Block Size (4-7) = 2048, Blocking (8-9), PP (10 bit 0) = 1.
        ushort blocking = isBd ? (ushort)32 : isDvd ? (ushort)16 : (ushort)1;
        yield return new(0x0010, 0, false, medium is not null, [0x00, 0x00, 0x08, 0x00, (byte)(blocking >> 8), (byte)blocking, 0x01, 0x00]);

        // 001Fh DVD Read, version 2: byte 4 MULTI110 (0) = 1; byte 6: Dual-RW (1) = 1, Dual-R (0) = 1.
        yield return new(0x001F, 2, false, isDvd, [0x01, 0x00, 0x03, 0x00]);

        // 0021h Incremental Streaming Writable, version 1: Data Block Types Supported (4-5) bit 8
        // (Mode 1); byte 6 BUF (0) = 1; Number of Link Sizes (7) = 1; link size 7 (byte 8); pad to 4.
        bool incremental = current is Profile.CdR or Profile.CdRw or Profile.DvdRSequential or Profile.DvdRwSequential;
        yield return new(0x0021, 1, false, incremental, [0x01, 0x00, 0x01, 0x01, 0x07, 0x00, 0x00, 0x00]);

        // 0023h Formattable, version 1: byte 4: RENoSA (3), Expand (2), QCert (1), Cert (0) = 0;
        // byte 8: RRM (0) = 0.
        bool formattable = current is Profile.DvdPlusRw or Profile.BdRe or Profile.DvdRam or Profile.DvdRwRestrictedOverwrite
            or Profile.DvdRwSequential;
        yield return new(0x0023, 1, false, formattable, [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);

        // 002Ah DVD+RW, version 0: byte 4 Write (0) = 1; byte 5: Quick Start (1), Close Only (0) = 0.
        yield return new(0x002A, 0, false, current == Profile.DvdPlusRw, [0x01, 0x00, 0x00, 0x00]);

        // 002Bh DVD+R, version 0: byte 4 Write (0) = 1.
        yield return new(0x002B, 0, false, current == Profile.DvdPlusR, [0x01, 0x00, 0x00, 0x00]);

        // 002Dh Track At Once, version 2: byte 4: BUF (6) = 1, Test Write (2) = 1, CD-RW (1) = 1;
        // Data Type Supported (6-7) bit 8 (Mode 1).
        yield return new(0x002D, 2, false, isCd, [0x40 | 0x04 | 0x02, 0x00, 0x01, 0x00]);

        // 002Eh CD Mastering (SAO), version 1: byte 4: BUF (6), SAO (5), Test Write (2), CD-RW (1) = 1;
        // Maximum Cue Sheet Length (5-7) = 3840.
        yield return new(0x002E, 1, false, isCd, [0x40 | 0x20 | 0x04 | 0x02, 0x00, 0x0F, 0x00]);

        // 002Fh DVD-R/-RW Write, version 2: byte 4: BUF (6) = 1, RDL (3) = 1, Test Write (2) = 1, DVD-RW SL (1) = 1.
        bool dvdMinus = current is Profile.DvdRSequential or Profile.DvdRwSequential or Profile.DvdRwRestrictedOverwrite
            or Profile.DvdRDualLayerSequential;
        yield return new(0x002F, 2, false, dvdMinus, [0x40 | 0x08 | 0x04 | 0x02, 0x00, 0x00, 0x00]);

        // 003Bh DVD+R Dual Layer, version 0: byte 4 Write (0) = 1.
        yield return new(0x003B, 0, false, current == Profile.DvdPlusRDualLayer, [0x01, 0x00, 0x00, 0x00]);

        // 0041h BD Write, version 1: byte 4 SVNR (0) = 0; Class 0 BD-RE versions bitmap (8-9) and
        // Class 0 BD-R versions bitmap (16-17): version 1 (bit 1); other classes 0. 20 bytes.
        byte[] bdWrite = new byte[20];
        bdWrite[5] = 0x02;
        bdWrite[13] = 0x02;
        yield return new(0x0041, 1, false, isBd && medium!.Profile != Profile.BdRom, bdWrite);

        // 0107h Real Time Streaming, version 3: byte 4: RBCB (4) = 1 (READ BUFFER CAPACITY Block
        // bit), SCS (3) = 0, MP2A (2) = 0, WSPD (1) = 0, SW (0) = 1 (WRITE(12) Streaming bit).
        yield return new(0x0107, 3, false, medium is not null, [0x10 | 0x01, 0x00, 0x00, 0x00]);
    }

    private static byte[] ProfileDescriptor(Profile profile, bool current) =>
        [(byte)((ushort)profile >> 8), (byte)profile, (byte)(current ? 0x01 : 0x00), 0x00];

    private sealed record FeatureDescriptor(ushort Code, int Version, bool Persistent, bool Current, byte[] Body);
}
