#!/usr/bin/python3
"""Reads a weight-only checkpoint the way a PyTorch user would and prints what its tensors hold, as JSON.

A .pt file is loaded with torch.load(weights_only=True) (no code from the file runs); a .safetensors file is read
per the format's published layout (an 8-byte header length, a JSON header, then the raw little-endian tensors).
For every tensor it prints the dtype, the shape and the sorted distinct values (as float64; at most --max-values of
them, else only their count), so a caller can check a compressed checkpoint holds exactly its codebook's values.

Usage: check_weights.py CHECKPOINT [--max-values N]
"""
import argparse
import json
import struct

import numpy as np
import torch

SAFETENSORS_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
                      "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8,
                      "U8": torch.uint8, "BOOL": torch.bool}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        dtype = SAFETENSORS_DTYPES[info["dtype"]]
        raw = torch.frombuffer(bytearray(body[start:end]), dtype=torch.uint8) if end > start else torch.empty(0, dtype=torch.uint8)
        tensors[name] = raw.view(dtype).reshape(info["shape"])
    return tensors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("checkpoint")
    parser.add_argument("--max-values", type=int, default=4096)
    args = parser.parse_args()
    if args.checkpoint.endswith(".safetensors"):
        tensors = read_safetensors(args.checkpoint)
    else:
        tensors = torch.load(args.checkpoint, map_location="cpu", weights_only=True)
    report = {}
    for name, tensor in tensors.items():
        if not isinstance(tensor, torch.Tensor):
            continue
        distinct = np.unique(tensor.detach().to(torch.float64).numpy()) if tensor.is_floating_point() else None
        report[name] = {
            "dtype": str(tensor.dtype).replace("torch.", ""),
            "shape": list(tensor.shape),
            "distinct": None if distinct is None else int(distinct.size),
            "values": None if distinct is None or distinct.size > args.max_values else distinct.tolist(),
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
