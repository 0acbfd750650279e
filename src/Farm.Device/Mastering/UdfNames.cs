namespace Farm.Device.Mastering;

/// <summary>
/// UDF file identifiers: the real names in OSTA Compressed Unicode (UDF 2.1.1; 8 bits a
/// character when the name is Latin-1, else 16), at most 255 bytes with the compression ID
/// (ECMA-167 4/14.4.4: the length is one byte), so 254 Latin-1 characters or 127 others. UDF
/// forbids only NUL and '/' (the file system cannot give either). Longer names are refused,
/// never cut: a cut name could collide with another and is not the name asked for.
/// </summary>
internal static class UdfNames
{
    public const int MaxBytes = 255;

    /// <summary>Sets the UDF identifier of every child; throws on a name UDF cannot hold.</summary>
    public static void Assign(IReadOnlyList<IsoNode> children)
    {
        foreach (var child in children)
        {
            var identifier = UdfBytes.Cs0(child.Name);
            if (identifier.Length > MaxBytes)
            {
                var most = identifier[0] == 8 ? MaxBytes - 1 : (MaxBytes - 1) / 2;
                throw MasteringErrors.BadName(child, $"its name is {child.Name.Length} characters long and a UDF name holds at most {most} such characters (255 bytes of OSTA compressed Unicode, ECMA-167 4/14.4.4); rename it");
            }

            child.UdfIdentifier = identifier;
        }
    }
}
