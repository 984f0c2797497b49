using WeightShare.Engine.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WeightShare.Engine;
using WeightShare.Engine.Datasets;
using WeightShare.Jobs.Data;
using WeightShare.Jobs.Runs;
using WeightShare.Jobs.Storage;

namespace WeightShare.Jobs.Catalog;

/// <summary>Accepts dataset uploads and loads stored datasets for runs.</summary>
public sealed class DatasetCatalog(IDbContextFactory<WeightShareDbContext> contexts, FileStore files)
{
    /// <summary>
    /// Streams the files into the store, reads them with the preprocessing applied (so bad settings are refused at
    /// upload, not an hour into a run) and adds the row. Any failure leaves no file and no row.
    /// </summary>
    public async Task<Dataset> AddAsync(IReadOnlyList<DatasetUpload> uploads, Preprocessing? preprocessing, CancellationToken cancellationToken = default)
    {
        if (uploads.Count is < 1 or > 2)
        {
            throw new InvalidInputException($"A dataset is one file, or two IDX files (images and labels); {uploads.Count} were given.");
        }
        preprocessing ??= Preprocessing.None;
        var staged = new List<StagedFile>();
        try
        {
            foreach (var upload in uploads)
            {
                staged.Add(await files.StageAsync(upload.Content, cancellationToken).ConfigureAwait(false));
            }
            var raw = DatasetReader.Read(staged.Select(s => s.Path).ToArray());
            var processed = preprocessing.Apply(raw);
            var (min, max) = processed.Range();

            await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var stored = staged.Select((s, i) => files.Commit(s, uploads[i].FileName)).ToArray();
            var dataset = new Dataset
            {
                FileName = string.Join(", ", stored.Select(f => f.FileName)),
                Format = raw.Format.ToString().ToLowerInvariant(),
                Samples = raw.Count,
                SampleShape = processed.SampleShape,
                Classes = raw.Classes,
                ValueMin = min,
                ValueMax = max,
                PreprocessingJson = JsonSerializer.Serialize(preprocessing, RunSettings.Json),
                FileId = stored[0].Id,
                File = stored[0],
                SecondFileId = stored.Length > 1 ? stored[1].Id : null,
                SecondFile = stored.Length > 1 ? stored[1] : null,
            };
            db.Datasets.Add(dataset);
            try
            {
                await db.SaveChangesAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch
            {
                db.ChangeTracker.Clear();
                foreach (var file in stored)
                {
                    await files.DeleteUnreferencedAsync(db, file.Sha256, CancellationToken.None).ConfigureAwait(false);
                }
                throw;
            }
            return dataset;
        }
        finally
        {
            foreach (var file in staged)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>The stored dataset read and preprocessed, ready for a compression session.</summary>
    public LabelledDataset Load(Dataset dataset, IReadOnlyList<StoredFile> datasetFiles)
    {
        var raw = DatasetReader.Read(datasetFiles.Select(files.PathOf).ToArray());
        var preprocessing = JsonSerializer.Deserialize<Preprocessing>(dataset.PreprocessingJson, RunSettings.Json) ?? Preprocessing.None;
        return preprocessing.Apply(raw);
    }
}
