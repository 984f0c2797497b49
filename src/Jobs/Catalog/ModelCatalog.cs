using Microsoft.EntityFrameworkCore;
using WeightShare.Engine.Checkpoints;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Catalog;

/// <summary>Accepts model uploads: stores the file, reads its layout, and records what the upload page shows.</summary>
public sealed class ModelCatalog(IDbContextFactory<WeightShareDbContext> contexts, FileStore files)
{
    /// <summary>
    /// Streams the upload into the store and adds its row; an unreadable checkpoint raises
    /// <see cref="Engine.InvalidInputException"/> and, like a cut-off stream, leaves no file and no row.
    /// </summary>
    public async Task<Model> AddAsync(Stream content, string fileName, CancellationToken cancellationToken = default)
    {
        using var staged = await files.StageAsync(content, cancellationToken).ConfigureAwait(false);
        var summary = CheckpointReader.Summarize(CheckpointReader.Read(staged.Path));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var stored = files.Commit(staged, fileName);
        var model = new Model
        {
            FileName = stored.FileName,
            Format = FormatName(summary.Format),
            SizeBytes = stored.SizeBytes,
            Sha256 = stored.Sha256,
            TensorCount = summary.TensorCount,
            ParameterCount = summary.ParameterCount,
            SharedParameterCount = summary.SharedParameterCount,
            CanEvaluate = summary.CanEvaluate,
            FileId = stored.Id,
            File = stored,
        };
        db.Models.Add(model);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            db.ChangeTracker.Clear();
            await files.DeleteUnreferencedAsync(db, stored.Sha256, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        return model;
    }

    /// <summary>The api.md name of a checkpoint format.</summary>
    public static string FormatName(CheckpointFormat format) => format switch
    {
        CheckpointFormat.TorchScript => "torchscript",
        CheckpointFormat.PyTorch => "pytorch",
        CheckpointFormat.Onnx => "onnx",
        _ => "safetensors",
    };
}
