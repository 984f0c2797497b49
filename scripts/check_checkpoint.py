#!/usr/bin/python3
"""Measures a checkpoint the product wrote in real PyTorch: torch.jit.load, then top-1 accuracy on the test split.

The test split is the one the run reported on: pass its sample indices (a JSON list, as tools/Reproduce and the
tests write them) and the preprocessing the dataset was uploaded with. Uses Debian's python3-torch and
python3-numpy; nothing is downloaded.

Run: /usr/bin/python3 scripts/check_checkpoint.py --model fmnist_cnn-k16-calibrated.pt \
         --data t10k-images-idx3-ubyte.gz --data t10k-labels-idx1-ubyte.gz \
         --scale 0.00392156862745098 --mean 0.2860 --std 0.3530 --indices test_indices.json [--expect 0.8949]
Prints one JSON line: {"samples": N, "correct": C, "accuracy": A}; with --expect, exits 1 when the accuracy differs
from it by more than --tolerance (default one sample in a thousand).
With --original UPLOADED.pt the uploaded model is measured on the same samples too, and the line adds the paired
figures: "originalAccuracy", "loss" (the uploaded model's accuracy minus the checkpoint's, 0.01 = one point, as the
product's loss against the uploaded model), "onlyOriginalRight" and "onlyCompressedRight" (the discordant samples).
"""
import argparse
import gzip
import json
import struct
import sys

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(paths):
    if len(paths) == 2:
        a, b = read_idx(paths[0]), read_idx(paths[1])
        images, labels = (a, b) if a.ndim > b.ndim else (b, a)
        return images.astype(np.float32)[:, None, :, :], labels.astype(np.int64)
    if paths[0].endswith(".npz"):
        archive = np.load(paths[0])
        x = archive["x"].astype(np.float32)
        return (x[:, None] if x.ndim == 3 else x), archive["y"].astype(np.int64)
    raise SystemExit("data: two IDX files or one .npz with x and y")


def normalise(x, scale, mean, std):
    """x' = (x * scale - mean[c]) / std[c], one value or one per channel, as the product's preprocessing."""
    channels = x.shape[1]
    mean = np.array(mean if len(mean) == channels else mean * channels, dtype=np.float32).reshape(1, channels, 1, 1)
    std = np.array(std if len(std) == channels else std * channels, dtype=np.float32).reshape(1, channels, 1, 1)
    return (x * np.float32(scale) - mean) / std


def predict(path, x):
    """The top-1 class of each sample, by the TorchScript model at path."""
    model = torch.jit.load(path, map_location="cpu")
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(x), 256):
            out.append(model(torch.from_numpy(np.ascontiguousarray(x[start:start + 256]))).argmax(1).numpy())
    return np.concatenate(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", action="append", required=True)
    parser.add_argument("--indices", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--mean", type=float, nargs="*", default=[0.0])
    parser.add_argument("--std", type=float, nargs="*", default=[1.0])
    parser.add_argument("--original", help="the uploaded model: adds its accuracy and the paired loss on the same samples")
    parser.add_argument("--expect", type=float)
    parser.add_argument("--tolerance", type=float, default=0.001)
    args = parser.parse_args()

    x, y = load(args.data)
    with open(args.indices) as f:
        indices = np.array(json.load(f), dtype=np.int64)
    x, y = x[indices], y[indices]
    x = normalise(x, args.scale, args.mean, args.std)

    right = predict(args.model, x) == y
    correct = int(right.sum())
    accuracy = correct / len(x)
    figures = {"samples": int(len(x)), "correct": correct, "accuracy": accuracy}
    if args.original:
        original = predict(args.original, x) == y
        figures.update(originalAccuracy=float(original.mean()), loss=float(original.mean()) - accuracy,
                       onlyOriginalRight=int((original & ~right).sum()), onlyCompressedRight=int((right & ~original).sum()))
    print(json.dumps(figures))
    if args.expect is not None and abs(accuracy - args.expect) > args.tolerance:
        print(f"expected {args.expect}, measured {accuracy}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
