using SharpFuzz;
using WeightShare.Fuzz;

// Coverage-guided fuzzing harnesses for every reader and decoder of the Engine (SharpFuzz under afl-fuzz; see
// scripts/fuzz.sh, which instruments WeightShare.Engine.dll and runs afl).
// Usage: WeightShare.Fuzz list                      the harnesses
//        WeightShare.Fuzz TARGET                    under afl-fuzz: one input per execution, from afl
//        WeightShare.Fuzz TARGET FILE|FOLDER...     replay inputs (seeds, crashes, hangs) and say what each did
//        WeightShare.Fuzz seeds FOLDER              write the seeds made with the Engine's own writers into FOLDER/TARGET
if (args.Length == 0 || args[0] is "list" or "--help" or "-h")
{
    foreach (var each in FuzzTargets.All)
    {
        Console.WriteLine($"{each.Name,-20} {each.Summary}");
    }

    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "seeds" && args.Length == 2)
{
    SeedWriter.WriteAll(args[1]);
    return 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"error: no harness '{args[0]}'; `list` names them.");
    return 2;
}

using var scratch = new ScratchFiles();
if (args.Length > 1)
{
    return Replay.Run(target, args[1..], scratch);
}

// Out of process: SharpFuzz runs the harness in a child it restarts after a crash, so a stack overflow or a kill on
// a hang is reported like any other crash instead of taking the fork server down.
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    _ = Contract.Check(target, copy.ToArray(), scratch);
});
return 0;
