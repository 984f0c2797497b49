namespace WeightShare.Engine.Coding;

/// <summary>An entropy-coded stream of symbols decoded a chunk at a time.</summary>
internal interface ISymbolReader
{
    /// <summary>Decodes the next <paramref name="output"/>.Length symbols.</summary>
    /// <exception cref="InvalidInputException">The stream is corrupt or ends before them.</exception>
    void Read(Span<ushort> output);

    /// <summary>Checks that the stream held exactly the symbols read.</summary>
    /// <exception cref="InvalidInputException">It did not.</exception>
    void Finish();
}
