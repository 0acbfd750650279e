using System.Text;

namespace Farm.Device.Audio;

/// <summary>
/// CD-TEXT packs of a staged audio disc (MMC-3 Annex J "CD-TEXT", MMC-5 "CD-TEXT", Red Book R-W
/// sub-channel of the lead-in). One language block (block 0, English, character code 00h) with:
/// <list type="table">
/// <item><term>80h</term><description>title: the album (track 0), then every track</description></item>
/// <item><term>81h</term><description>performer: the album, then every track</description></item>
/// <item><term>8Eh</term><description>UPC/EAN of the album, ISRC of every track (when any is given)</description></item>
/// <item><term>8Fh</term><description>size information of the block: 3 packs</description></item>
/// </list>
/// A pack is 18 bytes (<see cref="PackLayout"/>). The text of consecutive items (album, track 1,
/// track 2, ...) of one pack type runs on across packs, each item NUL-terminated; a missing item is
/// an empty string (a lone NUL), because a type present for the disc is present for every track.
/// Byte 3 holds the block number (bits 6-4) and the character position: how many characters of
/// the item the pack starts with were in earlier packs (15 when 15 or more). Sequence numbers count
/// the packs of the block from 0; at most 256 packs a block (the sequence number is a byte).
/// The layout agrees with libburn's burn_cdtext_from_session (doc/cdtext.txt) and with three 8Fh
/// packs, CRCs included, that cdrtfe's author published as built from MMC-3 Annex J and
/// cdrecord's source (the unit tests hold those bytes).
/// </summary>
public static class CdTextPacks
{
    /// <summary>Bytes of one pack: 4 header bytes, 12 text bytes, the CRC.</summary>
    public const int PackBytes = 18;

    /// <summary>Text bytes a pack carries.</summary>
    public const int TextBytes = 12;

    /// <summary>Pack type 80h: title of the album and of each track.</summary>
    public const byte TypeTitle = 0x80;

    /// <summary>Pack type 81h: performer of the album and of each track.</summary>
    public const byte TypePerformer = 0x81;

    /// <summary>Pack type 8Eh: UPC/EAN (album) and ISRC (tracks).</summary>
    public const byte TypeUpcIsrc = 0x8E;

    /// <summary>Pack type 8Fh: size information of the block.</summary>
    public const byte TypeSizeInformation = 0x8F;

    /// <summary>
    /// Field offsets of a pack (MMC-3 Annex J table J.1): ID1 pack type, ID2 track number (0 for
    /// the disc, or the 8Fh pack's index 0-2), ID3 sequence number, ID4 double-byte flag (bit 7),
    /// block number (bits 6-4), character position (bits 3-0); 12 text bytes; CRC-16 big-endian.
    /// </summary>
    public static class PackLayout
    {
        public const int Type = 0;
        public const int Track = 1;
        public const int Sequence = 2;
        public const int BlockAndPosition = 3;
        public const int Text = 4;
        public const int Crc = 16;
    }

    /// <summary>Most packs one block holds: the sequence number is one byte.</summary>
    public const int MaximumPacks = 256;

    /// <summary>Character code 00h (ISO 8859-1; the farm's printable ASCII is a subset).</summary>
    private const byte CharacterCode = 0x00;

    /// <summary>Language code of block 0: 09h English (EBU Tech 3264, as MMC-3 Annex J lists it).</summary>
    private const byte LanguageEnglish = 0x09;

    /// <summary>8Fh always takes 3 packs.</summary>
    private const int SizeInformationPacks = 3;

    /// <summary>Whether the layout carries CD-TEXT: an album or track title or performer.</summary>
    public static bool HasCdText(AudioDiscLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return HasCdText(layout.Disc, [.. layout.Tracks.Select(t => t.Track.Info)]);
    }

    /// <summary>Whether an album and its tracks carry CD-TEXT: a title or performer of either.</summary>
    public static bool HasCdText(AudioDiscInfo disc, IReadOnlyList<AudioTrackInfo> tracks)
    {
        ArgumentNullException.ThrowIfNull(disc);
        ArgumentNullException.ThrowIfNull(tracks);
        return disc.HasCdText || tracks.Any(t => t.Title is not null || t.Performer is not null);
    }

    /// <summary>The packs of <paramref name="layout"/> (18 bytes each, back to back); empty without CD-TEXT.</summary>
    public static byte[] For(AudioDiscLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Encode(layout.Disc, [.. layout.Tracks.Select(t => t.Track.Info)]);
    }

    /// <summary>
    /// The packs of an album and its tracks 1 to N (18 bytes each, back to back); empty without
    /// CD-TEXT. More than <see cref="MaximumPacks"/> packs is E_INVALIDARG saying what to shorten,
    /// so a job can be checked on submission with the rule the burn applies.
    /// </summary>
    public static byte[] Encode(AudioDiscInfo disc, IReadOnlyList<AudioTrackInfo> tracks)
    {
        if (!HasCdText(disc, tracks) || tracks.Count == 0)
        {
            return [];
        }

        var writer = new PackWriter();
        var types = new List<(byte Type, string? Disc, Func<AudioTrackInfo, string?> Track)>
        {
            (TypeTitle, disc.Title, t => t.Title),
            (TypePerformer, disc.Performer, t => t.Performer),
            (TypeUpcIsrc, disc.Catalog, t => t.Isrc),
        };
        foreach (var (type, discText, trackText) in types)
        {
            if (discText is null && tracks.All(t => trackText(t) is null))
            {
                continue;
            }

            writer.Item(type, 0, discText);
            for (int i = 0; i < tracks.Count; i++)
            {
                writer.Item(type, i + 1, trackText(tracks[i]));
            }

            writer.Finish();
        }

        writer.SizeInformation(1, tracks.Count);
        return writer.ToArray();
    }

    /// <summary>
    /// CRC of a pack (MMC-3 Annex J): CRC-16 CCITT, polynomial x^16 + x^12 + x^5 + 1 (1021h),
    /// initial value 0, over bytes 0-15, every bit inverted.
    /// </summary>
    public static ushort Crc(ReadOnlySpan<byte> firstSixteen)
    {
        int crc = 0;
        foreach (var b in firstSixteen[..PackLayout.Crc])
        {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return (ushort)(~crc & 0xFFFF);
    }

    /// <summary>Whether bytes 16-17 of <paramref name="pack"/> are the CRC of its bytes 0-15.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> pack)
    {
        ushort crc = Crc(pack);
        return pack[PackLayout.Crc] == crc >> 8 && pack[PackLayout.Crc + 1] == (crc & 0xFF);
    }

    /// <summary>
    /// The text of one pack type decoded back: the album, then one string per track from the first
    /// to the last track the 8Fh packs name, in the order the packs carry them (the type's packs'
    /// 12 text bytes joined and split at the NULs; the zero padding of the last pack is not an
    /// item). Block 0 only, single-byte characters. Empty when the packs have no 8Fh or none of the type.
    /// </summary>
    public static IReadOnlyList<string> Decode(ReadOnlySpan<byte> packs, byte type)
    {
        var text = new List<byte>();
        int items = 0;
        for (int offset = 0; offset + PackBytes <= packs.Length; offset += PackBytes)
        {
            var pack = packs.Slice(offset, PackBytes);
            if ((pack[PackLayout.BlockAndPosition] & 0x70) != 0)
            {
                continue;
            }

            if (pack[PackLayout.Type] == TypeSizeInformation && pack[PackLayout.Track] == 0)
            {
                // Size information bytes 1 and 2: the first and last track; the album is one more item.
                items = pack[PackLayout.Text + 2] - pack[PackLayout.Text + 1] + 2;
            }
            else if (pack[PackLayout.Type] == type)
            {
                text.AddRange(pack.Slice(PackLayout.Text, TextBytes));
            }
        }

        return text.Count == 0 ? [] : Encoding.Latin1.GetString([.. text]).Split('\0').Take(Math.Max(items, 0)).ToList();
    }

    /// <summary>Builds packs one text byte at a time, starting a pack when the previous is full.</summary>
    private sealed class PackWriter
    {
        private readonly List<byte[]> _packs = [];
        private readonly int[] _countByType = new int[16];
        private byte[]? _current;
        private int _used;

        public void Item(byte type, int track, string? text)
        {
            var bytes = Encoding.Latin1.GetBytes((text ?? string.Empty) + '\0');
            for (int i = 0; i < bytes.Length; i++)
            {
                if (_current is null)
                {
                    Start(type, (byte)track, Math.Min(i, 15));
                }

                _current![PackLayout.Text + _used++] = bytes[i];
                if (_used == TextBytes)
                {
                    Finish();
                }
            }
        }

        /// <summary>Closes the open pack, its unused text bytes zero, and seals it with its CRC.</summary>
        public void Finish()
        {
            if (_current is null)
            {
                return;
            }

            Seal(_current);
            _current = null;
            _used = 0;
        }

        /// <summary>
        /// The 3 packs of type 8Fh (MMC-3 Annex J table J.5; 36 bytes over the packs' text fields):
        /// byte 0 character code, 1 first track, 2 last track, 3 copyright flags, 4-19 pack counts
        /// of types 80h-8Fh, 20-27 last sequence number of blocks 0-7, 28-35 language codes of blocks 0-7.
        /// </summary>
        public void SizeInformation(int firstTrack, int lastTrack)
        {
            _countByType[TypeSizeInformation - 0x80] = SizeInformationPacks;
            var info = new byte[SizeInformationPacks * TextBytes];
            info[0] = CharacterCode;
            info[1] = (byte)firstTrack;
            info[2] = (byte)lastTrack;
            for (int type = 0; type < 16; type++)
            {
                info[4 + type] = (byte)_countByType[type];
            }

            info[20] = (byte)(_packs.Count + SizeInformationPacks - 1);
            info[28] = LanguageEnglish;
            for (int i = 0; i < SizeInformationPacks; i++)
            {
                Start(TypeSizeInformation, (byte)i, 0);
                info.AsSpan(i * TextBytes, TextBytes).CopyTo(_current.AsSpan(PackLayout.Text));
                _used = TextBytes;
                Finish();
            }
        }

        public byte[] ToArray() => [.. _packs.SelectMany(p => p)];

        private void Start(byte type, byte track, int characterPosition)
        {
            if (_packs.Count == MaximumPacks)
            {
                throw AudioErrors.Of(Errors.ImapiErrors.InvalidArgument,
                    $"the CD-TEXT needs more than {MaximumPacks} packs of 12 characters (one language block holds no more): shorten the titles and performers");
            }

            _current = new byte[PackBytes];
            _current[PackLayout.Type] = type;
            _current[PackLayout.Track] = track;
            _current[PackLayout.Sequence] = (byte)_packs.Count;
            _current[PackLayout.BlockAndPosition] = (byte)characterPosition;
            _countByType[type - 0x80]++;
            _packs.Add(_current);
        }

        private static void Seal(byte[] pack)
        {
            ushort crc = Crc(pack);
            pack[PackLayout.Crc] = (byte)(crc >> 8);
            pack[PackLayout.Crc + 1] = (byte)crc;
        }
    }
}
