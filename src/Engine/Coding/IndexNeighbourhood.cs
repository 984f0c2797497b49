using System.Runtime.CompilerServices;

namespace WeightShare.Engine.Coding;

/// <summary>
/// What the context coder knows of the indices already coded in a stream, and the contexts it draws from them (the
/// encoder and the decoder keep one each, fed the same ranks, so they choose the same contexts). Three signals
/// predict whether the next weight is zero and how large it is: the previous rank; the activity of the last
/// <see cref="RunWindow"/> ranks (a row of a weight matrix, one output unit, has a scale of its own); and the mean of
/// this column in the rows above (a column is one input: a dead input's weights are zero in every row).
/// docs/wsz-format.md gives the same rules for other implementations.
/// </summary>
internal sealed class IndexNeighbourhood
{
    /// <summary>Ranks the activity sum spans.</summary>
    public const int RunWindow = 32;

    /// <summary>The largest magnitude a rank adds to the activity and column sums.</summary>
    public const int MagnitudeCap = 15;

    /// <summary>Rows longer than this keep no column sums (their memory would grow with the row).</summary>
    public const int MaxColumns = 1 << 16;

    /// <summary>Activity classes: how many of the thresholds 4, 8, ..., 256 the activity sum reaches.</summary>
    public const int RunClasses = 8;

    /// <summary>Column classes: 0 in the first row (or without column sums), else 1 to 4.</summary>
    public const int ColumnClasses = 5;

    /// <summary>Classes of the previous magnitude: 0, 1, 2 or more.</summary>
    public const int PreviousClasses = 3;

    /// <summary>Contexts of the zero flag.</summary>
    public const int SignificanceContexts = RunClasses * ColumnClasses * PreviousClasses;

    /// <summary>Contexts of the sign: the signs of the previous two ranks.</summary>
    public const int SignContexts = 9;

    /// <summary>Unary magnitude bins coded in a context of their own; larger magnitudes escape to Exp-Golomb.</summary>
    public const int UnaryBins = 14;

    /// <summary>Contexts of the magnitude bins: the sign, the previous magnitude's class and the bin.</summary>
    public const int MagnitudeContexts = 2 * PreviousClasses * UnaryBins;

    // The activity class of each activity sum: how many of 4, 8, 16, 32, 64, 128, 256 it reaches.
    private static readonly byte[] RunClassOf = [.. Enumerable.Range(0, (RunWindow * MagnitudeCap) + 1).Select(sum => (byte)(sum < 4 ? 0 : Math.Min(RunClasses - 1, 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)sum) - 1)))];

    private readonly int[] _window = new int[RunWindow];
    private readonly long[]? _columnSums;
    private readonly int _rowLength;
    private int _windowAt;
    private int _runSum;
    private int _previous;
    private int _beforePrevious;
    private int _column;
    private long _row;
    private long _row3;
    private long _row7;

    /// <param name="rowLength">Elements per row of the tensor: the product of every dimension after the first (1 for
    /// a vector or a scalar).</param>
    public IndexNeighbourhood(long rowLength)
    {
        if (rowLength <= MaxColumns)
        {
            _rowLength = (int)Math.Max(1, rowLength);
            _columnSums = new long[_rowLength];
        }
    }

    /// <summary>The context of the next index's zero flag.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Significance()
    {
        var runClass = (int)RunClassOf[_runSum];
        var columnClass = 0;
        if (_row > 0 && _columnSums is not null)
        {
            // 1 + min(3, floor(log2(1 + floor(4 * sum / row)))), without a division.
            var sum = 4 * _columnSums[_column];
            columnClass = 1 + (sum >= _row ? 1 : 0) + (sum >= _row3 ? 1 : 0) + (sum >= _row7 ? 1 : 0);
        }
        return (((runClass * ColumnClasses) + columnClass) * PreviousClasses) + PreviousClass;
    }

    /// <summary>The context of the next index's sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Sign() => (3 * (Math.Sign(_previous) + 1)) + Math.Sign(_beforePrevious) + 1;

    /// <summary>The first context of the next index's magnitude bins (bin j of 1..<see cref="UnaryBins"/> adds j - 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Magnitude(int negative) => ((negative * PreviousClasses) + PreviousClass) * UnaryBins;

    /// <summary>Takes the rank just coded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int rank)
    {
        var magnitude = Math.Min(Math.Abs(rank), MagnitudeCap);
        _runSum += magnitude - _window[_windowAt];
        _window[_windowAt] = magnitude;
        _windowAt = (_windowAt + 1) & (RunWindow - 1);
        if (_columnSums is not null)
        {
            _columnSums[_column] += magnitude;
            if (++_column == _rowLength)
            {
                _column = 0;
                _row++;
                _row3 = 3 * _row;
                _row7 = 7 * _row;
            }
        }
        _beforePrevious = _previous;
        _previous = rank;
    }

    private int PreviousClass => Math.Min(Math.Abs(_previous), 2);
}
