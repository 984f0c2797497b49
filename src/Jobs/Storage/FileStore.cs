using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WeightShare.Jobs.Data;

namespace WeightShare.Jobs.Storage;

/// <summary>
/// Content-addressed files under DataDirectory/files. Content is written to a temporary name while it is hashed
/// and moved to its hash only when complete, so a reader never sees a partial file under a real name.
/// </summary>
public sealed class FileStore
{
    private const int BufferSize = 1 << 16;

    public FileStore(IOptions<WeightShareOptions> options)
    {
        Root = options.Value.FilesDirectory;
        TemporaryDirectory = System.IO.Path.Combine(Root, "tmp");
        Directory.CreateDirectory(TemporaryDirectory);
    }

    public string Root { get; }

    /// <summary>Where content waits before it is complete; on the same volume as the store so the final move is atomic.</summary>
    public string TemporaryDirectory { get; }

    public string PathOf(StoredFile file) => PathOf(file.Sha256);

    public string PathOf(string sha256) => System.IO.Path.Combine(Root, sha256);

    /// <summary>A fresh name in the temporary folder for a producer that writes its own file (the Engine's outputs).</summary>
    public string NewTemporaryPath(string extension = "") =>
        System.IO.Path.Combine(TemporaryDirectory, Guid.NewGuid().ToString("N") + extension);

    /// <summary>Streams <paramref name="content"/> to a temporary file, hashing as it goes; on any failure nothing stays.</summary>
    public async Task<StagedFile> StageAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var path = NewTemporaryPath(".partial");
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long length = 0;
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    length += read;
                }
                // On disk before it gets a real name: a crash after the move must not leave a hollow file.
                output.Flush(flushToDisk: true);
            }
            return new StagedFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Stages a file already written into <see cref="TemporaryDirectory"/>, hashing it in place.</summary>
    public async Task<StagedFile> StageWrittenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!string.Equals(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)), TemporaryDirectory, StringComparison.Ordinal))
        {
            throw new ArgumentException("Only files in the store's temporary folder can be staged in place.", nameof(path));
        }
        await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(input, cancellationToken).ConfigureAwait(false));
        return new StagedFile(path, sha, input.Length);
    }

    /// <summary>
    /// Moves staged content to its hash (identical content already there is kept) and returns the row to add.
    /// </summary>
    public StoredFile Commit(StagedFile staged, string fileName)
    {
        var target = PathOf(staged.Sha256);
        if (File.Exists(target))
        {
            staged.Dispose();
        }
        else
        {
            try
            {
                File.Move(staged.Path, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                // Another writer placed the same content first.
                staged.Dispose();
            }
        }
        return new StoredFile { Sha256 = staged.Sha256, SizeBytes = staged.Length, FileName = System.IO.Path.GetFileName(fileName) };
    }

    /// <summary>Deletes content no row refers to, after a commit whose database save failed.</summary>
    public async Task DeleteUnreferencedAsync(WeightShareDbContext db, string sha256, CancellationToken cancellationToken = default)
    {
        if (!await db.Files.AnyAsync(f => f.Sha256 == sha256, cancellationToken).ConfigureAwait(false))
        {
            File.Delete(PathOf(sha256));
        }
    }

    public Stream OpenRead(StoredFile file) =>
        new FileStream(PathOf(file), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous);
}
