#!/usr/bin/python3
"""Trains torchvision's ResNet-18 (num_classes=10) on Fashion-MNIST on the CPU and exports TorchScript.

The grey 28x28 images are padded to 32x32 (CIFAR's size, the paper's ResNet-18 / CIFAR-10 setting) and repeated to
3 channels. Uses Debian's python3-torch, python3-torchvision and dataset-fashion-mnist; nothing is downloaded.
Writes work/resnet18_fmnist.pt (about 45 MB, not committed), work/resnet18_fmnist.json (what it measured) and
work/fmnist_test_32x3.npz (the 10,000 test images as the model sees them before normalisation: uint8, padded to
32x32, three channels; y the labels), which the product reads as the validation/test upload.
Run: /usr/bin/python3 scripts/train_resnet18_fmnist.py [--epochs 3] [--data-only]
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision

SOURCE = "/usr/share/datasets/fashion-mnist"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEAN, STD = 0.2860, 0.3530


def read_idx(name):
    with gzip.open(os.path.join(SOURCE, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def prepare(images):
    x = (torch.from_numpy(images.astype(np.float32)) / 255.0 - MEAN) / STD
    x = F.pad(x, (2, 2, 2, 2), value=(0 - MEAN) / STD)
    return x.unsqueeze(1).repeat(1, 3, 1, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--out", default=os.path.join(ROOT, "work"))
    parser.add_argument("--data-only", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    test_images, test_labels = read_idx("t10k-images-idx3-ubyte.gz"), read_idx("t10k-labels-idx1-ubyte.gz")
    padded = np.zeros((len(test_images), 3, 32, 32), dtype=np.uint8)
    padded[:, :, 2:30, 2:30] = test_images[:, None]
    np.savez_compressed(os.path.join(args.out, "fmnist_test_32x3.npz"), x=padded, y=test_labels.astype(np.int64))
    if args.data_only:
        return
    torch.manual_seed(1)
    torch.set_num_threads(os.cpu_count() or 2)

    train_x, train_y = prepare(read_idx("train-images-idx3-ubyte.gz")), torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_x, test_y = prepare(read_idx("t10k-images-idx3-ubyte.gz")), torch.from_numpy(read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))

    model = torchvision.models.resnet18(num_classes=10)
    optimiser = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps = args.epochs * ((len(train_x) + 127) // 128)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=0.05, total_steps=steps)
    started = time.time()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for start in range(0, len(train_x), 128):
            batch = order[start:start + 128]
            optimiser.zero_grad()
            F.cross_entropy(model(train_x[batch]), train_y[batch]).backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch + 1}/{args.epochs} done after {time.time() - started:.0f} s", flush=True)

    model.eval()
    with torch.no_grad():
        correct = sum(int((model(test_x[i:i + 500]).argmax(1) == test_y[i:i + 500]).sum()) for i in range(0, len(test_x), 500))
    path = os.path.join(args.out, "resnet18_fmnist.pt")
    torch.jit.save(torch.jit.script(model), path)
    figures = {"test_accuracy": correct / len(test_x), "epochs": args.epochs, "train_seconds": time.time() - started,
               "bytes": os.path.getsize(path), "torch": torch.__version__, "torchvision": torchvision.__version__}
    with open(os.path.join(args.out, "resnet18_fmnist.json"), "w") as f:
        json.dump(figures, f, indent=2)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
