#!/usr/bin/python3
"""Seeds for the fuzzing harnesses of the formats PyTorch and NumPy write, with Debian's python3-torch and python3-numpy.

Writes small files (each well under 100 KB) into tools/Fuzz/corpus/<harness>/, and copies the small committed
fixtures of tests/fixtures that fit a harness. The .wsz, codec-block and entropy-coder seeds are the Engine's own:
    dotnet run --project tools/Fuzz -c Release -- seeds tools/Fuzz/corpus
Deterministic (fixed seeds), except for the bytes torch.save and torch.jit.save vary on their own (e.g. record names).
Run: /usr/bin/python3 tools/Fuzz/make_seeds.py   (a few seconds)
"""
import collections
import gzip
import io
import os
import pickle
import shutil
import struct
import tarfile
import zipfile

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
FIXTURES = os.path.join(HERE, "..", "..", "tests", "fixtures")
MAX_SEED_BYTES = 100_000


def write(harness, name, data):
    folder = os.path.join(CORPUS, harness)
    os.makedirs(folder, exist_ok=True)
    assert len(data) <= MAX_SEED_BYTES, f"{harness}/{name} is {len(data)} bytes"
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def copy_fixture(harness, relative):
    with open(os.path.join(FIXTURES, relative), "rb") as f:
        write(harness, os.path.basename(relative), f.read())


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.bn = nn.BatchNorm2d(2)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = self.bn(self.conv(x)).relu()
        return self.fc(x.flatten(1))


def saved(obj):
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def rezip(data, compression, force_zip64=False):
    """The same entries in a new archive: deflated, or with zip64 records, both of which torch.save never writes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            with target.open(zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)), "w", force_zip64=force_zip64) as entry:
                entry.write(source.read(info))
    return out.getvalue()


def data_pkl(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith("/data.pkl")))


def checkpoints():
    torch.manual_seed(26)
    model = Tiny().eval()
    state = saved(model.state_dict())
    half = saved({k: v.half() for k, v in model.state_dict().items()})
    bf16 = saved({k: v.to(torch.bfloat16) for k, v in model.state_dict().items()})
    weight = model.fc.weight.detach()
    views = saved({"whole": weight, "row": weight[1], "transposed": weight.t()})
    plain = saved(collections.OrderedDict(a=torch.arange(6, dtype=torch.int64).reshape(2, 3), b=torch.tensor([True, False])))
    script = io.BytesIO()
    torch.jit.save(torch.jit.script(model), script)
    script = script.getvalue()
    for harness in ("zip", "pt"):
        write(harness, "state.pt", state)
        write(harness, "state-f16.pt", half)
        write(harness, "state-bf16.pt", bf16)
        write(harness, "views.pt", views)
        write(harness, "ints-bools.pt", plain)
        write(harness, "script.pt", script)
        write(harness, "state-deflated.pt", rezip(state, zipfile.ZIP_DEFLATED))
        write(harness, "state-zip64.pt", rezip(state, zipfile.ZIP_STORED, force_zip64=True))
        for fixture in ("dtypes_state.pt", "views_state.pt", "hostile_state.pt", "shared_script.pt"):
            copy_fixture(harness, os.path.join("out", fixture))
    write("checkpoint", "state.pt", state)
    write("checkpoint", "script.pt", script)

    for name, data in (("state", state), ("state-f16", half), ("views", views), ("ints-bools", plain), ("script", script)):
        write("pickle", f"{name}.pkl", data_pkl(data))
    with zipfile.ZipFile(io.BytesIO(script)) as archive:
        constants = next((n for n in archive.namelist() if n.endswith("/constants.pkl")), None)
        if constants:
            write("pickle", "script-constants.pkl", archive.read(constants))
    values = collections.OrderedDict(
        small=1, negative=-300, big=2**40, real=0.5, text="weight", raw=b"\x00\x01", none=None,
        flags=(True, False), nested=[[1, 2], {"k": (3.0,)}])
    for protocol in (2, 4, 5):
        write("pickle", f"values-p{protocol}.pkl", pickle.dumps(values, protocol=protocol))
    return model


def safetensors_bytes(tensors, metadata=None):
    """The published layout: u64 header length, the JSON header, then the tensors' bytes."""
    import json
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    codes = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}
    for name, tensor in tensors.items():
        tensor = tensor.contiguous()
        raw = tensor.reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[name] = {"dtype": codes[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def safetensors_models(model):
    state = {k: v.detach() for k, v in model.state_dict().items()}
    full = safetensors_bytes(state, {"format": "pt"})
    write("safetensors", "tiny.safetensors", full)
    write("safetensors", "tiny-f16.safetensors", safetensors_bytes({k: v.half() for k, v in state.items()}))
    write("safetensors", "tiny-bf16.safetensors", safetensors_bytes({k: v.to(torch.bfloat16) for k, v in state.items()}))
    copy_fixture("safetensors", os.path.join("out", "dtypes.safetensors"))
    write("checkpoint", "tiny.safetensors", full)


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def field(number, wire, payload):
    key = varint((number << 3) | wire)
    return key + (varint(payload) if wire == 0 else varint(len(payload)) + payload)


def onnx_typed(model):
    """A ModelProto by hand: initializers in packed float_data and double_data (the export only writes raw_data)."""
    weight = model.fc.weight.detach()
    floats = field(1, 0, weight.shape[0]) + field(1, 0, weight.shape[1]) + field(2, 0, 1) \
        + field(4, 2, struct.pack(f"<{weight.numel()}f", *weight.flatten().tolist())) + field(8, 2, b"fc.weight")
    doubles = field(1, 2, varint(3)) + field(2, 0, 11) + field(10, 2, struct.pack("<3d", 0.5, -1.0, 2.0)) + field(8, 2, b"fc.bias")
    graph = field(2, 2, b"typed") + field(5, 2, floats) + field(5, 2, doubles)
    return field(1, 0, 8) + field(8, 2, field(2, 0, 13)) + field(7, 2, graph)


def onnx_models(model):
    exported = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, 1, 4, 4), exported, opset_version=13, input_names=["input"], output_names=["logits"],
                      do_constant_folding=False)
    write("onnx", "tiny.onnx", exported.getvalue())
    write("onnx", "typed.onnx", onnx_typed(model))
    copy_fixture("onnx", os.path.join("out", "fmnist_cnn_external.onnx"))
    write("checkpoint", "tiny.onnx", exported.getvalue())


def idx(array):
    codes = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}
    header = struct.pack(">BBBB", 0, 0, codes[array.dtype.type], array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def datasets():
    rng = np.random.default_rng(26)
    images = rng.integers(0, 256, size=(5, 4, 4), dtype=np.uint8)
    labels = np.array([0, 1, 2, 1, 0], dtype=np.uint8)

    def pair(first, second):
        return struct.pack("<I", len(first)) + first + second

    write("idx", "raw.idx-pair", pair(idx(images), idx(labels)))
    write("idx", "labels-first.idx-pair", pair(idx(labels), idx(images)))
    write("idx", "gzipped.idx-pair", pair(gzip.compress(idx(images), mtime=0), gzip.compress(idx(labels), mtime=0)))
    write("idx", "float-rgb.idx-pair", pair(idx(rng.random((3, 3, 2, 2), dtype=np.float32)), idx(np.array([2, 0, 1], dtype=np.int32))))

    x = images.reshape(5, 1, 4, 4)
    npz = {}
    for name, arrays, compressed in (("savez", {"x": x, "y": labels.astype(np.int64)}, False),
                                     ("compressed", {"x": x.astype(np.float32) / 255, "y": labels.astype(np.int64)}, True),
                                     ("x-only", {"x": x.astype(np.float64)}, False)):
        buffer = io.BytesIO()
        (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
        npz[name] = buffer.getvalue()
        write("npz", f"{name}.npz", npz[name])
    write("dataset", "savez.npz", npz["savez"])

    for name, array, version in (("u8", x, None), ("f32", x.astype(np.float32), None), ("f64-v2", x.astype(np.float64), (2, 0)),
                                 ("i64", labels.astype(np.int64), None), ("f32-big-endian", x.astype(">f4"), None),
                                 ("f16-fortran", np.asfortranarray(images.astype(np.float16)), None), ("bool", labels > 0, None),
                                 ("i16-v3", labels.astype(np.int16), (3, 0))):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, array, version=version)
        write("npy", f"{name}.npy", buffer.getvalue())

    def cifar(members):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size, info.mtime = len(data), 0
                tar.addfile(info, io.BytesIO(data))
        return buffer.getvalue()

    records10 = b"".join(bytes([label]) + rng.integers(0, 256, 3072, dtype=np.uint8).tobytes() for label in (3, 7))
    records100 = b"".join(bytes([1, label]) + rng.integers(0, 256, 3072, dtype=np.uint8).tobytes() for label in (42, 99))
    cifar10 = cifar([("cifar-10-batches-bin/test_batch.bin", records10), ("cifar-10-batches-bin/batches.meta.txt", b"cat\ndog\n")])
    write("cifar", "cifar10.tar.gz", cifar10)
    write("cifar", "cifar100.tar.gz", cifar([("cifar-100-binary/test.bin", records100)]))
    write("cifar", "train-only.tar.gz", cifar([("batches/data_batch_1.bin", records10), ("batches/data_batch_2.bin", records10[:3073])]))
    write("dataset", "cifar10.tar.gz", cifar10)

    tensors = torch.from_numpy(x.copy())
    for name, content in (("u8-i64", {"x": tensors, "y": torch.from_numpy(labels.astype(np.int64))}),
                          ("f32-i32", {"x": tensors.float() / 255, "y": torch.from_numpy(labels.astype(np.int32))}),
                          ("f16-x-only", {"x": tensors.half()})):
        data = safetensors_bytes(content)
        write("safetensors-dataset", f"{name}.safetensors", data)
    write("dataset", "u8-i64.safetensors", safetensors_bytes({"x": tensors, "y": torch.from_numpy(labels.astype(np.int64))}))
    write("dataset", "labels-idx1.gz", gzip.compress(idx(labels), mtime=0))


def main():
    model = checkpoints()
    safetensors_models(model)
    onnx_models(model)
    datasets()
    copy_fixture("wsz", os.path.join("legacy", "fmnist_cnn-k2-v1.wsz"))


if __name__ == "__main__":
    main()
