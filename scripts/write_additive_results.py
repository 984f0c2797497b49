#!/usr/bin/python3
"""Prints the tables of docs/results.md's section on the additive codec (arXiv 2111.10320) from the runs' JSON.

Usage: scripts/write_additive_results.py MODEL_LABEL=PAPER_JSON,SCALAR_JSON,ADDITIVE_JSON ...
PAPER_JSON and SCALAR_JSON are summaries of Reproduce --mode summary; ADDITIVE_JSON is either such a summary (the
additive codec through the whole pipeline) or a sweep of Reproduce --mode plans (chosen points, each fine-tuned).
Figures are what the runs wrote; nothing is computed here but the picks (the largest file ratio within 0.5 and 1
point of the uploaded model's test accuracy) and codebook bytes.
"""
import json
import sys

SEED = "| ResNet-50 / ImageNet (arXiv 2111.10320's own figures) | 7.2x at no loss | - | - | 15.3x at -1.31 pt (74.79 % from 76.1 %) | - | - | - |"


def rows_of(report):
    """(description, test loss, file ratio, bits per weight, codebook bytes, seconds) of every solution or sweep row."""
    if "rows" in report:
        for r in report["rows"]:
            yield (r["description"], r["testLoss"], r["fileRatio"], r["bitsPerWeight"], r["codebookBytes"],
                   r["fitSeconds"] + r["tuneSeconds"])
        return
    seconds = report["totalSeconds"]
    for s in report["solutions"]:
        p = s["parameters"]
        if "d" in p:
            book = 4 * p["m"] * (1 << p["bits"]) * p["d"]
        else:
            book = 4 * s["sharedValues"]
        yield (s["description"], s["testLoss"], s["fileRatio"], s["bitsPerWeight"], book, seconds)


def best(report, points):
    held = [r for r in rows_of(report) if r[1] >= -points / 100]
    return max(held, key=lambda r: r[2]) if held else None


def cell(row):
    if row is None:
        return "none | - | - | -"
    description, loss, ratio, bits, book, _ = row
    return f"{ratio:.2f}x at {100 * loss:+.2f} pt ({description}) | {bits:.3f} | {book:,} B"


def main(argv):
    print("| model / codec | file ratio, test loss <= 0.5 pt | bits per weight | codebook bytes | file ratio, test loss <= 1 pt | bits per weight | codebook bytes | time |")
    print("| --- | --- | ---: | ---: | --- | ---: | ---: | ---: |")
    for argument in argv:
        label, files = argument.split("=", 1)
        for codec, path in zip(("paper", "scalar", "additive"), files.split(",")):
            report = json.load(open(path))
            half, one = best(report, 0.5), best(report, 1)
            seconds = report["totalSeconds"]
            what = "sweep of chosen points, each fitted and fine-tuned" if "rows" in report else "whole run"
            print(f"| {label} / `{codec}` | {cell(half)} | {cell(one)} | {seconds / 60:.0f} min ({what}) |")
    print(SEED)


if __name__ == "__main__":
    main(sys.argv[1:])
