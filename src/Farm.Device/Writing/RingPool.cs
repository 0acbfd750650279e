namespace Farm.Device.Writing;

/// <summary>
/// The ring arrays of a <see cref="SharedImageCache"/>: <see cref="SharedImageOptions.ReservedRings"/>
/// of them are allocated when the cache is made, and a ring whose image is done comes back for the
/// next image. A 256 MiB ring allocated at a burn's first WRITE made the runtime collect the whole
/// heap there (a 162 ms pause measured with dotnet-trace on a 32-drive node, about three times the
/// 58 ms a 4 MiB drive buffer lasts at BD 16x): every drive lost its disc at the same moment.
/// </summary>
internal sealed class RingPool
{
    private readonly int _ringBytes;
    private readonly int _retained;
    private readonly Lock _gate = new();
    private readonly Stack<byte[]> _idle = new();

    public RingPool(int ringBytes, int reserved)
    {
        _ringBytes = ringBytes;

        // At least one ring is kept once made: the next burn of the next image reuses it.
        _retained = Math.Max(1, reserved);
        for (var i = 0; i < reserved; i++)
        {
            _idle.Push(Allocate());
        }
    }

    private int _allocated;

    /// <summary>Rings allocated so far (reserved ones included): one per image burned at once, when the pool holds enough.</summary>
    public int Allocated => Volatile.Read(ref _allocated);

    public int RingBytes => _ringBytes;

    /// <summary>Rings ready for the next image.</summary>
    public int Idle
    {
        get
        {
            lock (_gate)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>A ring of the pool's size: an idle one, else a new one (more images at once than rings reserved).</summary>
    public byte[] Rent() => TryRentIdle() ?? Allocate();

    /// <summary>An idle ring, or null: an image smaller than a ring takes one if there is one, else an array of its own size.</summary>
    public byte[]? TryRentIdle()
    {
        lock (_gate)
        {
            return _idle.TryPop(out var ring) ? ring : null;
        }
    }

    /// <summary>Gives a ring back once no cursor can read from it any more (its reader has stopped and its last cursor closed).</summary>
    public void Return(byte[] ring)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (ring.Length != _ringBytes)
        {
            throw new ArgumentException($"a ring of {ring.Length} bytes is not one of this pool's ({_ringBytes} bytes)", nameof(ring));
        }

        lock (_gate)
        {
            if (_idle.Count < _retained)
            {
                _idle.Push(ring);
            }
        }
    }

    private byte[] Allocate()
    {
        // Pinned: the simulated and real drives send straight from it; one array, not one per chunk.
        var ring = GC.AllocateUninitializedArray<byte>(_ringBytes, pinned: true);
        Interlocked.Increment(ref _allocated);
        return ring;
    }
}
