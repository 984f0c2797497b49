using TorchSharp;

namespace WeightShare.Engine.Evaluation;

/// <summary>
/// Output distillation of a shared-value model (arXiv 2111.10320's fine-tuning, here for any codebook): every shared
/// weight is the sum of codebook[index] over its terms (one term for scalar sharing, one per codebook for additive
/// codes); the loss is the KL divergence from the original model's outputs on calibration samples (or, when asked,
/// the cross-entropy with their labels); by the chain rule
/// dL/dc_j is the sum of dL/dw over the weights whose terms use value j, and the unshared small parameters take their
/// own gradients. Adam moves both, at rates the schedule sets, until the steps run out or the loss stops falling (the
/// early stop compares the mean loss of consecutive blocks of steps: one batch's loss is too noisy to judge by). The
/// model's parameters are restored afterwards; the result holds the calibrated values.
/// </summary>
internal static class Calibrator
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    // The steps whose mean loss a result reports when the early stop is off.
    private const int RecentSteps = 25;

    /// <param name="model">The model; its shared parameters are overwritten, its small parameters restored at the end.</param>
    /// <param name="sharedNames">The shared parameters, in shared-vector order.</param>
    /// <param name="smallNames">The unshared parameters to tune with the values.</param>
    /// <param name="terms">Per term, for every shared weight, its index into the codebook.</param>
    /// <param name="values">The codebook to start from.</param>
    /// <param name="samples">The calibration samples.</param>
    /// <param name="teacher">The original model's outputs for <paramref name="samples"/>.</param>
    /// <param name="options">Steps, batch and learning rates.</param>
    /// <param name="progress">Told the step just done (1-based).</param>
    /// <param name="cancellationToken">Checked before every step.</param>
    public static CalibrationResult Run(
        IAutogradModel model,
        IReadOnlyList<string> sharedNames,
        IReadOnlyList<string> smallNames,
        int[][] terms,
        float[] values,
        EvaluationSet samples,
        torch.Tensor teacher,
        CalibrationOptions options,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        using var outer = torch.NewDisposeScope();
        var device = teacher.device;
        var shared = sharedNames.Select(model.LiveParameter).ToArray();
        var small = smallNames.Select(model.LiveParameter).ToArray();
        var originalSmall = small.Select(p => p.detach().clone()).ToArray();
        // A model may be exported with frozen layers: every tuned parameter takes gradients for the calibration only.
        var tuned = shared.Concat(small).ToArray();
        var requiredGrad = tuned.Select(p => p.requires_grad).ToArray();
        foreach (var parameter in tuned)
        {
            parameter.requires_grad_(true);
        }
        var codebook = torch.tensor(values, device: device);
        // The int32 copy made on the way is freed at once: on a large model each is as big as the shared weights.
        var index = terms.Select(term =>
        {
            using var narrow = torch.tensor(term, device: device);
            return narrow.to(torch.int64);
        }).ToArray();
        var labels = torch.tensor(samples.Labels, device: device).to(torch.int64);
        var teacherLog = teacher.log_softmax(1);
        var teacherProbability = teacherLog.exp();
        var moments = new[] { codebook }.Concat(small).Select(p => (M: torch.zeros_like(p), V: torch.zeros_like(p))).ToArray();
        var order = new Random(options.Seed);
        var permutation = Array.Empty<int>();
        var next = 0;
        double first = double.NaN;
        double last = double.NaN;
        var stop = new CalibrationEarlyStop(options.Patience, options.MinImprovement);
        var ran = 0;
        var recent = new Queue<double>();
        try
        {
            for (var step = 1; step <= options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                using (torch.no_grad())
                {
                    var weights = Sum(codebook, index);
                    long offset = 0;
                    foreach (var parameter in shared)
                    {
                        var count = parameter.numel();
                        parameter.copy_(weights.narrow(0, offset, count).view(parameter.shape));
                        offset += count;
                    }
                }
                model.ZeroGrad();

                if (next + options.BatchSize > permutation.Length)
                {
                    permutation = Enumerable.Range(0, samples.Count).OrderBy(_ => order.Next()).ToArray();
                    next = 0;
                }
                var take = Math.Min(options.BatchSize, permutation.Length);
                var batch = torch.tensor(permutation.AsSpan(next, take).ToArray().Select(i => (long)i).ToArray(), device: device);
                next += take;

                var outputs = model.ForwardWithGrad(samples.Select(batch));
                var loss = options.Loss == CalibrationLoss.Labels
                    ? torch.nn.functional.cross_entropy(outputs, labels.index_select(0, batch))
                    : (teacherProbability.index_select(0, batch) * (teacherLog.index_select(0, batch) - outputs.log_softmax(1))).sum(1).mean();
                loss.backward();
                last = loss.item<float>();
                first = step == 1 ? last : first;

                using (torch.no_grad())
                {
                    // Chain rule to the codebook: each value's gradient is the sum of dL/dw over the weights that use it.
                    // A shared tensor the forward pass does not reach has no gradient: it contributes nothing.
                    // Tensor by tensor, against the matching stretch of each term's indices: no copy of every
                    // gradient into one vector first.
                    var valueGradient = torch.zeros_like(codebook);
                    long gradientOffset = 0;
                    foreach (var parameter in shared)
                    {
                        var count = parameter.numel();
                        if (parameter.grad is { } grad)
                        {
                            var flat = grad.flatten();
                            foreach (var term in index)
                            {
                                valueGradient.index_add_(0, term.narrow(0, gradientOffset, count), flat, 1);
                            }
                        }
                        gradientOffset += count;
                    }
                    var rate = Rate(options.Schedule, step, options.Steps);
                    Step(codebook, valueGradient, moments[0], options.ValueLearningRate * rate, step);
                    for (var i = 0; i < small.Length; i++)
                    {
                        if (small[i].grad is { } grad)
                        {
                            Step(small[i], grad, moments[i + 1], options.SmallLearningRate * rate, step);
                        }
                    }
                }
                ran = step;
                recent.Enqueue(last);
                if (recent.Count > (options.Patience > 0 ? options.Patience : RecentSteps))
                {
                    recent.Dequeue();
                }
                progress?.Report(step);
                if (stop.ShouldStop(last))
                {
                    break;
                }
            }

            var calibrated = codebook.detach().cpu().data<float>().ToArray();
            var smallValues = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var i = 0; i < small.Length; i++)
            {
                smallValues[smallNames[i]] = small[i].detach().cpu().to(torch.float32).contiguous().data<float>().ToArray();
            }
            return new CalibrationResult(calibrated, smallValues, first, last) {
                Loss = options.Loss,
                RecentLoss = recent.Count > 0 ? recent.Average() : double.NaN,
                Steps = ran,
                StoppedEarly = ran < options.Steps,
            };
        }
        finally
        {
            using (torch.no_grad())
            {
                for (var i = 0; i < small.Length; i++)
                {
                    small[i].copy_(originalSmall[i]);
                }
            }
            // Gradients as large as the model would stay allocated for the rest of the run: drop them.
            for (var i = 0; i < tuned.Length; i++)
            {
                tuned[i].grad = null;
                tuned[i].requires_grad_(requiredGrad[i]);
            }
        }
    }

    // The step sizes' factor at 1-based step of steps: a linear warm-up over the first tenth, then a cosine decay that
    // would reach zero one step after the last (the last step still moves).
    private static double Rate(CalibrationSchedule schedule, int step, int steps)
    {
        if (schedule == CalibrationSchedule.Constant)
        {
            return 1;
        }
        var warmup = Math.Max(1, steps / 10);
        if (step <= warmup)
        {
            return (double)step / warmup;
        }
        var progress = (double)(step - warmup) / (steps - warmup + 1);
        return 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    // The weights the terms make, added in term order (the order every decoder adds them in).
    private static torch.Tensor Sum(torch.Tensor codebook, torch.Tensor[] index)
    {
        var weights = codebook.index_select(0, index[0]);
        for (var term = 1; term < index.Length; term++)
        {
            weights = weights + codebook.index_select(0, index[term]);
        }
        return weights;
    }

    // Adam (Kingma and Ba 2015) with bias correction, in place.
    private static void Step(torch.Tensor parameter, torch.Tensor gradient, (torch.Tensor M, torch.Tensor V) moment, double learningRate, int step)
    {
        moment.M.mul_(Beta1).add_(gradient * (1 - Beta1));
        moment.V.mul_(Beta2).add_(gradient * gradient * (1 - Beta2));
        var mean = moment.M / (1 - Math.Pow(Beta1, step));
        var variance = moment.V / (1 - Math.Pow(Beta2, step));
        parameter.sub_(mean / (variance.sqrt() + Epsilon) * learningRate);
    }
}
