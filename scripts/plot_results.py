#!/usr/bin/python3
"""Draws the two pictures of docs/results.md from a report.json written by tools/Reproduce (Debian python3-matplotlib).

front.png: every evaluated k as shared values against validation accuracy, the final front joined, the merged
solutions marked, the original model as a line. hypervolume.png: the front's hypervolume per generation.
Run: /usr/bin/python3 scripts/plot_results.py REPORT.json OUT_PREFIX
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(report_path, prefix):
    with open(report_path) as f:
        report = json.load(f)

    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=120)
    points = report["evaluated"]
    ax.scatter([p["sharedValues"] for p in points], [100 * p["validationAccuracy"] for p in points],
               s=10, color="#9aa5b1", label=f"evaluated k ({len(points)})")
    front = sorted(report["generations"][-1]["front"], key=lambda p: p["sharedValues"])
    ax.plot([p["sharedValues"] for p in front], [100 * p["validationAccuracy"] for p in front],
            "-o", ms=4, color="#1f6feb", label="final Pareto front")
    merged = report["merged"]
    if merged:
        ax.scatter([m["sharedValues"] for m in merged], [100 * m["validationAccuracy"] for m in merged],
                   marker="*", s=90, color="#d1242f", zorder=5, label="after merge")
    ax.axhline(100 * report["baselineValidationAccuracy"], color="#2da44e", ls="--", label="original model")
    ax.set_xscale("log")
    ax.set_xlabel("shared values (log scale)")
    ax.set_ylabel("validation accuracy (%)")
    low = min(100 * report["baselineValidationAccuracy"] - 15, min(100 * p["validationAccuracy"] for p in front[-8:]))
    ax.set_ylim(max(0, low), 100 * max(p["validationAccuracy"] for p in points) + 2)
    ax.set_title(report["name"] + ": validation accuracy against shared values")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(prefix + "-front.png")

    fig, ax = plt.subplots(figsize=(7, 3.2), dpi=120)
    generations = report["generations"]
    ax.plot([g["generation"] for g in generations], [g["hypervolume"] for g in generations], color="#1f6feb")
    ax.set_xlabel("generation")
    ax.set_ylabel("hypervolume vs (1, kMax)")
    ax.set_title(report["name"] + ": hypervolume per generation")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(prefix + "-hypervolume.png")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
