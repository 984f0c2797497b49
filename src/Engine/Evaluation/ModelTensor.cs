namespace WeightShare.Engine.Evaluation;

/// <summary>A named tensor of a loaded model, as its architecture declares it.</summary>
/// <param name="Name">Dotted path, for example <c>layer1.0.conv1.weight</c>.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="IsParameter">True for trainable parameters, false for buffers such as BatchNorm statistics.</param>
/// <param name="IsFloatingPoint">True when the elements are floating point.</param>
public sealed record ModelTensor(string Name, long[] Shape, bool IsParameter, bool IsFloatingPoint)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, dimension) => product * dimension);
}
