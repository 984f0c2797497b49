#!/usr/bin/python3
"""Assembles docs/results.md from the report.json and summary.json files tools/Reproduce wrote and the pictures
plot_results.py drew. Every figure comes from a report; the prose between them is docs/results-notes.md and
docs/results-beyond-notes.md, written by people.
Run: /usr/bin/python3 scripts/write_results.py OUT.md NOTES.md NAME=DIR [NAME=DIR ...] [--beyond NOTES MODEL=DIR ...]
where each beyond DIR holds one summary run per subfolder (the ablation of one model).
"""
import json
import os
import sys

PAPER = """| ResNet-18 / CIFAR-10 (paper) | validation | test F1 | k | shared values | average bits | paper ratio | file ratio |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| Baseline | - | 0.948 | - | 32-bit floats | 32 | 1.00x | not reported |
| MO front | - | - | 231-311 | 152-197 | 8 | 4.0x | not reported |
| + merge | - | - | 231-311 | 41-79 | 6-7 | 4.6-5.3x | not reported |
| + merge + Huffman | - | 0.944-0.947 | 231-311 | 41-79 | 2.13-2.33 | 13.72-14.98x | not reported |
"""


def section(name, directory, out_dir):
    with open(os.path.join(directory, "report.json")) as f:
        report = json.load(f)
    with open(os.path.join(directory, "table.md")) as f:
        table = f.read()
    s = report["settings"]["search"]
    total = report["baselineSeconds"] + report["searchSeconds"] + report["mergeSeconds"] + report["finishSeconds"]
    lines = [
        f"## {report['name']}",
        "",
        f"Model `{report['model']}`, {report['modelBytes']:,} bytes, {report['sharedWeights']:,} shared weights. "
        f"{report['validationSamples']:,} class-balanced validation samples for the search and the merge, "
        f"{report['testSamples']:,} test samples for the figures. NSGA-II population {s['population']}, "
        f"{s['generations']} generations, k in [{s['kMin']}, {s['kMax']}], seed {s['seed']}, merge tolerance "
        f"{report['settings']['merge']['tolerance']}. Rows after the baseline cover {report['selection']}.",
        "",
        table,
        f"- Evaluations computed: {report['evaluationsComputed']:,}; answered from the cache: {report['cacheHits']:,}.",
        f"- Wall time: baseline {report['baselineSeconds']:.1f} s, search {report['searchSeconds']:.1f} s, merge "
        f"{report['mergeSeconds']:.1f} s, finish (test figures and .wsz files) {report['finishSeconds']:.1f} s; "
        f"{total / 60:.1f} min in all on the 2-core machine.",
        f"- Random k was {report['randomK']['k']}.",
        "",
        f"![{name} front](results/{name}-front.png)",
        "",
        f"![{name} hypervolume](results/{name}-hypervolume.png)",
        "",
    ]
    return "\n".join(lines)


# The ablation runs of one model, in the order the table lists them: (folder, row label).
ROWS = [
    ("paper", "paper codec, the product's default settings before this work (reference)"),
    ("off", "scalar codec, every lever off (one global lattice, shared values as objective, Huffman, deflate)"),
    ("bytes", "+ bytes as the second objective, alone"),
    ("calibration", "+ calibration of values and small parameters, alone"),
    ("rans", "+ rANS with per-tensor tables instead of Huffman, alone"),
    ("zero", "+ a wider zero bin as a gene, alone"),
    ("fine", "+ finer steps per layer group as genes, alone"),
    ("brotli", "+ Brotli residual instead of deflate, alone"),
    ("debug", "+ TorchScript debug tables dropped (option debug = drop), alone"),
    ("all-debug", "every lever + TorchScript debug tables dropped (the defaults with debug = drop)"),
    ("all-target05", "every lever, calibration's target loss 0.5 pt on validation (the default until this measurement)"),
    ("all", "every lever (the scalar codec's defaults: target loss 0 on validation)"),
]


def pct(x):
    return f"{x * 100:+.2f}"


def best(row):
    if row is None:
        return "none", "-", "-"
    return f"{row['fileRatio']:.2f}x", pct(row["testLoss"]), f"{row['bitsPerWeight']:.2f}"


def by_validation(r):
    """The smallest file whose validation metric is within the run's target loss (calibration.targetLoss) of the
    uploaded model's: what a user who never looks at the test split would pick."""
    base = r["baselineValidationAccuracy"]
    points = r["settings"]["calibration"]["targetLoss"]
    held = [s for s in r["solutions"] if s["validationAccuracy"] >= base - points - 1e-12]
    return max(held, key=lambda s: s["fileRatio"]) if held else None


def ablation(model, directory):
    lines = [f"### {model}", ""]
    first = None
    # The preamble describes the scalar runs' split (the default run's when it ran): the paper row has no calibration split.
    for folder in ["all"] + [f for f, _ in ROWS]:
        path = os.path.join(directory, folder, "summary.json")
        if os.path.exists(path):
            with open(path) as f:
                first = json.load(f)
            break
    if first is None:
        return ""
    lines += [
        f"Model `{first['model']}`, {first['modelBytes']:,} bytes, {first['sharedWeights']:,} shared weights; "
        f"{first['validationSamples']:,} validation, {first['calibrationSamples']:,} calibration and "
        f"{first['testSamples']:,} test samples (the same split in every scalar row; the paper row has no "
        f"calibration split, so its test samples include those); seed 1. \"Loss\" is test accuracy minus the uploaded "
        f"model's on the same test samples, in points. File ratio = uploaded bytes / .wsz bytes.",
        "",
        "| run | best file ratio, test loss <= 0.5 pt | its loss | its bits/weight | best file ratio, test loss <= 1 pt | its loss | chosen by validation (smallest within the target loss there) | its test loss | generations | evaluations | wall time |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for folder, label in ROWS:
        path = os.path.join(directory, folder, "summary.json")
        if not os.path.exists(path):
            lines.append(f"| {label} | not run | | | | | | | | | |")
            continue
        with open(path) as f:
            r = json.load(f)
        b05, l05, bits05 = best(r["bestWithinHalfPoint"])
        b1, l1, _ = best(r["bestWithinOnePoint"])
        bv, lv, _ = best(by_validation(r))
        lines.append(f"| {label} | {b05} | {l05} | {bits05} | {b1} | {l1} | {bv} | {lv} | {r['generationsRun']} | {r['evaluationsComputed']:,} | "
                     f"{r['totalSeconds'] / 60:.1f} min |")
    all_path = os.path.join(directory, "all", "summary.json")
    if os.path.exists(all_path):
        with open(all_path) as f:
            r = json.load(f)
        lines += ["", f"Every final solution of the default scalar run ({r['totalSeconds'] / 60:.1f} min: baseline "
                  f"{r['baselineSeconds']:.0f} s, search {r['searchSeconds']:.0f} s, calibration and choice {r['refineSeconds']:.0f} s, "
                  f"finish {r['finishSeconds']:.0f} s):", "",
                  "| solution | calibrated | validation | test | loss (pt) | bits/weight | .wsz bytes | file ratio |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for s in r["solutions"]:
            lines.append(f"| {s['description']} | {'yes' if s['refined'] else 'no'} | {s['validationAccuracy'] * 100:.2f} % | "
                         f"{s['testAccuracy'] * 100:.2f} % | {pct(s['testLoss'])} | {s['bitsPerWeight']:.3f} | {s['compressedBytes']:,} | {s['fileRatio']:.2f}x |")
        check = os.path.join(directory, "all", "pytorch-check.json")
        if os.path.exists(check):
            with open(check) as f:
                c = json.load(f)
            lines += ["", f"Real PyTorch ({c['torch']}) loaded `{c['checkpoint']}` with torch.jit.load and measured "
                      f"{c['accuracy'] * 100:.2f} % on the same {c['samples']:,} test samples; the product reported "
                      f"{c['claimed'] * 100:.2f} %."]
    lines.append("")
    return "\n".join(lines)


def main(out, notes, pairs):
    beyond = []
    if "--beyond" in pairs:
        at = pairs.index("--beyond")
        pairs, beyond = pairs[:at], pairs[at + 1:]
    out_dir = os.path.dirname(os.path.abspath(out))
    parts = ["# Results: the paper's Table I, reproduced with the product", ""]
    with open(notes) as f:
        parts.append(f.read())
    parts += ["## The paper's own figures (ResNet-18 / CIFAR-10, arXiv 2501.03095 Table I)", "", PAPER]
    for pair in pairs:
        name, directory = pair.split("=", 1)
        parts.append(section(name, os.path.abspath(directory), out_dir))
    if beyond:
        with open(beyond[0]) as f:
            parts.append(f.read())
        for pair in beyond[1:]:
            model, directory = pair.split("=", 1)
            parts.append(ablation(model, os.path.abspath(directory)))
    # The second paper's codec has its own section, written from its runs by scripts/write_additive_results.py.
    additive = os.path.join(os.path.dirname(os.path.abspath(notes)), "results-additive.md")
    if os.path.exists(additive):
        with open(additive) as f:
            parts.append(f.read())
    with open(out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
