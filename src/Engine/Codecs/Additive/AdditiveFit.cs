using TorchSharp;

namespace WeightShare.Engine.Codecs.Additive;

/// <summary>
/// Learns M codebooks of K codewords of d weights for a pool of vectors and finds every vector's codes (additive
/// quantization, arXiv 2111.10320 after Babenko and Lempitsky 2014): residual k-means as the start, then rounds of a
/// least-squares update of all codebooks together and a beam search for the codes, on a sample of the pool; last,
/// every vector's codes by beam search and one more least-squares update on the whole pool (with one codebook, the
/// codes once more: Lloyd's k-means ending on nearest-codeword assignment). Distances are batched
/// matrix products and the beam is a top-k, in TorchSharp on the CPU.
/// </summary>
internal static class AdditiveFit
{
    // Distances held at once in a beam step: chunk x beam x K floats (64 MB), with the step's residuals beside them.
    private const long DistanceBudget = 1L << 24;

    /// <summary>Learns the codebooks for <paramref name="vectors"/> (rows of <paramref name="d"/>) and returns them with every row's codes.</summary>
    /// <param name="vectors">The pool, row-major, <c>rows x d</c>.</param>
    /// <param name="d">Weights per vector.</param>
    /// <param name="m">Codebooks.</param>
    /// <param name="k">Codewords per codebook.</param>
    /// <param name="settings">Beam, rounds, sample size and seed.</param>
    /// <param name="cancellationToken">Checked between rounds and chunks.</param>
    public static AdditiveCodes Fit(float[] vectors, int d, int m, int k, AdditiveSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(settings);
        var rows = vectors.Length / d;
        using var scope = torch.NewDisposeScope();
        var pool = torch.tensor(vectors, [rows, d]);
        var sample = Sample(pool, settings.SampleVectors, settings.Seed);

        var codebooks = torch.zeros([m, k, d]);
        var codes = torch.zeros([sample.shape[0], m], dtype: torch.int64);
        var residual = sample.clone();
        for (var book = 0; book < m; book++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = torch.NewDisposeScope();
            var (centres, assigned) = KMeans(residual, k, settings.KMeansIterations, settings.Seed + book);
            codebooks[book] = centres;
            codes[.., book] = assigned;
            residual.sub_(centres.index_select(0, assigned));
        }
        for (var round = 0; round < settings.Rounds && m > 1; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = torch.NewDisposeScope();
            codebooks = LeastSquares(sample, codes, codebooks).MoveToOuterDisposeScope();
            codes = Encode(sample, codebooks, settings.Beam, cancellationToken).MoveToOuterDisposeScope();
        }
        codes = Encode(pool, codebooks, settings.Beam, cancellationToken);
        codebooks = LeastSquares(pool, codes, codebooks);
        if (m == 1)
        {
            // One codebook is searched exactly: every vector to its nearest codeword, which never raises the error.
            codes = Encode(pool, codebooks, 1, cancellationToken);
        }
        return new AdditiveCodes(d, m, k, codebooks.contiguous().data<float>().ToArray(), ToCodes(codes));
    }

    /// <summary>
    /// Every row's codes for fixed <paramref name="codebooks"/> by beam search over the codebooks in order: each step
    /// keeps the <paramref name="beam"/> partial sums nearest the row (beam 1 is residual quantization).
    /// </summary>
    public static torch.Tensor Encode(torch.Tensor rows, torch.Tensor codebooks, int beam, CancellationToken cancellationToken = default)
    {
        var (count, d) = (rows.shape[0], rows.shape[1]);
        var (m, k) = (codebooks.shape[0], codebooks.shape[1]);
        var chunk = Math.Max(1, DistanceBudget / (beam * k));
        var norms = codebooks.square().sum(-1);
        var transposed = codebooks.transpose(1, 2).contiguous();
        var all = torch.empty([count, m], dtype: torch.int64);
        for (long start = 0; start < count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var n = Math.Min(chunk, count - start);
            var residual = rows.narrow(0, start, n).unsqueeze(1);
            var error = residual.square().sum(-1);
            var codes = torch.empty([n, 1, 0], dtype: torch.int64);
            for (var book = 0; book < m; book++)
            {
                var width = residual.shape[1];
                torch.Tensor index;
                using (var distances = residual.matmul(transposed[book]))
                {
                    // In place: the distances are the step's one large tensor (chunk x beam x K floats).
                    distances.mul_(-2).add_(norms[book]).add_(error.unsqueeze(-1));
                    var (best, top) = distances.view(n, width * k).topk((int)Math.Min(beam, width * k), dim: 1, largest: false);
                    best.Dispose();
                    index = top;
                }
                var parent = index.floor_divide(k);
                var code = index.remainder(k);
                residual = residual.gather(1, parent.unsqueeze(-1).expand(n, parent.shape[1], d)) - codebooks[book].index_select(0, code.flatten()).view(n, -1, d);
                codes = torch.cat([codes.gather(1, parent.unsqueeze(-1).expand(n, parent.shape[1], book)), code.unsqueeze(-1)], 2);
                // The expanded distance loses precision as the residual shrinks: keep the exact squared norm.
                error = residual.square().sum(-1);
            }
            var pick = error.argmin(1);
            all.narrow(0, start, n).copy_(codes.gather(1, pick.view(n, 1, 1).expand(n, 1, m)).squeeze(1));
        }
        return all;
    }

    /// <summary>
    /// The codebooks that minimise the squared error of <paramref name="rows"/> for fixed codes, all together: the
    /// normal equations of a one-hot design over the M x K codewords. A codeword no row uses keeps its value.
    /// </summary>
    public static torch.Tensor LeastSquares(torch.Tensor rows, torch.Tensor codes, torch.Tensor codebooks)
    {
        using var scope = torch.NewDisposeScope();
        var (m, k, d) = (codebooks.shape[0], codebooks.shape[1], codebooks.shape[2]);
        var size = m * k;
        var column = codes + (torch.arange(m, dtype: torch.int64) * k).unsqueeze(0);
        var gram = torch.zeros(size * size, dtype: torch.float64);
        for (var a = 0; a < m; a++)
        {
            for (var b = 0; b < m; b++)
            {
                using var pair = torch.NewDisposeScope();
                gram.add_(torch.bincount(column[.., a] * size + column[.., b], minlength: size * size).to(torch.float64));
            }
        }
        var right = torch.zeros([size, d], dtype: torch.float64);
        var values = rows.to(torch.float64);
        for (var a = 0; a < m; a++)
        {
            right.index_add_(0, column[.., a], values, 1);
        }
        // A small ridge towards the current codebooks keeps unused codewords where they are and the system solvable.
        const double ridge = 1e-3;
        var matrix = gram.view(size, size) + (torch.eye(size, dtype: torch.float64) * ridge);
        right.add_(codebooks.view(size, d).to(torch.float64) * ridge);
        var solved = torch.linalg.solve(matrix, right).to(torch.float32).view(m, k, d);
        return solved.MoveToOuterDisposeScope();
    }

    // Lloyd's k-means from k rows drawn with the seed; an empty cluster keeps its centre.
    private static (torch.Tensor Centres, torch.Tensor Assigned) KMeans(torch.Tensor rows, int k, int iterations, int seed)
    {
        var count = rows.shape[0];
        var random = new Random(seed);
        var start = Enumerable.Range(0, k).Select(_ => (long)random.NextInt64(count)).ToArray();
        var centres = rows.index_select(0, torch.tensor(start)).clone();
        var assigned = Assign(rows, centres);
        for (var i = 0; i < iterations; i++)
        {
            using var scope = torch.NewDisposeScope();
            var sums = torch.zeros_like(centres).index_add_(0, assigned, rows, 1);
            var counts = torch.bincount(assigned, minlength: k).to(torch.float32).unsqueeze(1);
            centres = torch.where(counts > 0, sums / counts.clamp_min(1), centres).MoveToOuterDisposeScope();
            assigned = Assign(rows, centres).MoveToOuterDisposeScope();
        }
        return (centres, assigned);
    }

    private static torch.Tensor Assign(torch.Tensor rows, torch.Tensor centres)
    {
        using var scope = torch.NewDisposeScope();
        var norms = centres.square().sum(-1);
        var chunk = Math.Max(1, DistanceBudget / centres.shape[0]);
        var parts = new List<torch.Tensor>();
        for (long start = 0; start < rows.shape[0]; start += chunk)
        {
            using var step = torch.NewDisposeScope();
            using var distances = rows.narrow(0, start, Math.Min(chunk, rows.shape[0] - start)).matmul(centres.t());
            distances.mul_(-2).add_(norms);
            parts.Add(distances.argmin(1).MoveToOuterDisposeScope());
        }
        return torch.cat(parts, 0).MoveToOuterDisposeScope();
    }

    // A fixed sample of the pool's rows, in pool order, for the codebooks' rounds; the whole pool when it is small.
    private static torch.Tensor Sample(torch.Tensor pool, int size, int seed)
    {
        var count = pool.shape[0];
        if (count <= size)
        {
            return pool;
        }
        var random = new Random(seed);
        var picked = new HashSet<long>();
        while (picked.Count < size)
        {
            picked.Add(random.NextInt64(count));
        }
        return pool.index_select(0, torch.tensor(picked.Order().ToArray()));
    }

    private static ushort[] ToCodes(torch.Tensor codes)
    {
        var values = codes.contiguous().data<long>().ToArray();
        var result = new ushort[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (ushort)values[i];
        }
        return result;
    }
}
