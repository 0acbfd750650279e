namespace Farm.Device.Sense;

/// <summary>The two sense data layouts of SPC-4 4.5: fixed (70h/71h) and descriptor (72h/73h).</summary>
public enum SenseFormat
{
    /// <summary>Fixed format, response code 70h (current) or 71h (deferred), SPC-4 4.5.3.</summary>
    Fixed = 0,

    /// <summary>Descriptor format, response code 72h (current) or 73h (deferred), SPC-4 4.5.2.</summary>
    Descriptor = 1,
}
