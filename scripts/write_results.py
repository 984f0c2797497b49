#!/usr/bin/python3
"""Assembles docs/results.md from the report.json files tools/Reproduce wrote and the pictures plot_results.py drew.
Every figure comes from a report; the prose between them is docs/results-notes.md, written by people.
Run: /usr/bin/python3 scripts/write_results.py OUT.md NOTES.md NAME=DIR [NAME=DIR ...]
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


def main(out, notes, pairs):
    out_dir = os.path.dirname(os.path.abspath(out))
    parts = ["# Results: the paper's Table I, reproduced with the product", ""]
    with open(notes) as f:
        parts.append(f.read())
    parts += ["## The paper's own figures (ResNet-18 / CIFAR-10, design.md)", "", PAPER]
    for pair in pairs:
        name, directory = pair.split("=", 1)
        parts.append(section(name, os.path.abspath(directory), out_dir))
    with open(out, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
