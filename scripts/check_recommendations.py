#!/usr/bin/python3
"""Does the run's recommended solution keep its promise on data the run never saw? For each seed, through the HTTP
API of a running app: uploads the model and part of the data, runs with the given settings (the defaults unless
--settings says otherwise), downloads the recommended solution's checkpoint and measures it and the uploaded model in
real PyTorch on the held-out rest of the data.

The held-out part is fixed: sample i (in file order) is held out when i mod 5 is 0 or 1, so 4,000 of Fashion-MNIST's
10,000 test images; the other 6,000 are uploaded (the same rule as tests/Web.Tests' HeldOutRecommendationTests). The
product never receives the held-out samples, so its validation, calibration and test splits are all drawn from the
upload.

Needs Debian's python3-torch and python3-numpy, a running app (dotnet run --project src/Web) and the model and data:
  fixture CNN:  --model tests/fixtures/out/fmnist_cnn.pt
                --data /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
                --data /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz
  ResNet-18:    --model work/resnet18_fmnist.pt --data work/fmnist_test_32x3.npz   (scripts/train_resnet18_fmnist.py)
Both take --preprocessing fashion-mnist (pixels / 255, mean 0.286, std 0.353 per channel), as docs/results.md's runs.

Run: /usr/bin/python3 scripts/check_recommendations.py --model M --data D [--data D2] [--url http://localhost:5080]
         [--seeds 5] [--first-seed 1] [--settings '{"search":{"population":8,"generations":3}}'] [--token T]
         [--out recommendations.json]
Writes the JSON figures to --out and prints one line per seed; exits 1 when a run fails, has no recommendation or its
recommended solution loses more than the run's tolerance on the held-out samples.
"""
import argparse
import gzip
import io
import json
import os
import struct
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_checkpoint import load, normalise, predict  # noqa: E402  (the same measurement as the tests use)

PRESETS = {"fashion-mnist": {"scale": 1 / 255.0, "mean": [0.286], "std": [0.353]}}
DEFAULT_TOLERANCE = 0.01  # docs/api.md: recommendedSolutionId uses one point when calibration.targetLoss is 0


def held_out(count):
    """The fixed rule: sample i is held out when i mod 5 is 0 or 1."""
    return np.arange(count) % 5 < 2


class Api:
    def __init__(self, url, token):
        self.url = url.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, content_type=None, raw=False):
        data = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", content_type or "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=600) as answer:
                content = answer.read()
        except urllib.error.HTTPError as error:
            sys.exit(f"{method} {path}: HTTP {error.code} {error.read().decode(errors='replace')}")
        return content if raw else json.loads(content or b"null")

    def upload(self, path, files, fields=None):
        boundary = uuid.uuid4().hex
        body = b""
        for name, content in files:
            body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                     "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
        for name, value in (fields or {}).items():
            body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()
        body += f"--{boundary}--\r\n".encode()
        return self.call("POST", path, body, f"multipart/form-data; boundary={boundary}")


def idx(array, code):
    """An IDX file (gzip) of a uint8 array: code 8 is unsigned bytes."""
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(">" + "I" * array.ndim, *array.shape)
    return gzip.compress(header + np.ascontiguousarray(array, dtype=np.uint8).tobytes(), mtime=0)


def upload_part(paths, keep):
    """The files to upload: the same format as given, holding only the samples kept."""
    if len(paths) == 2:
        x, y = load(paths)
        return [("upload-images-idx3-ubyte.gz", idx(x[keep, 0].astype(np.uint8), 8)),
                ("upload-labels-idx1-ubyte.gz", idx(y[keep].astype(np.uint8), 8))]
    archive = np.load(paths[0])
    buffer = io.BytesIO()
    np.savez(buffer, x=archive["x"][keep], y=archive["y"][keep])
    return [("upload.npz", buffer.getvalue())]


def deep_merge(base, extra):
    for key, value in extra.items():
        base[key] = deep_merge(base.get(key, {}), value) if isinstance(value, dict) else value
    return base


def wait(api, run_id, poll):
    while True:
        run = api.call("GET", f"/api/runs/{run_id}")
        if run["status"] in ("Succeeded", "Failed", "Canceled"):
            return run
        time.sleep(poll)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--data", action="append", required=True, help="two IDX files (images, labels) or one .npz with x, y")
    parser.add_argument("--preprocessing", default="fashion-mnist", help="a preset name or the API's JSON")
    parser.add_argument("--url", default="http://localhost:5080")
    parser.add_argument("--token", default=os.environ.get("WSW_TOKEN"))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--settings", default="{}", help="JSON merged into each run's body (default: none, the product's defaults)")
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--out", default="recommendations.json")
    args = parser.parse_args()

    preprocessing = PRESETS.get(args.preprocessing) or json.loads(args.preprocessing)
    x, y = load(args.data)
    hold = held_out(len(y))
    api = Api(args.url, args.token)
    model_id = api.upload("/api/models", [(os.path.basename(args.model), open(args.model, "rb").read())])["id"]
    dataset = api.upload("/api/datasets", upload_part(args.data, ~hold), {"preprocessing": json.dumps(preprocessing)})
    if dataset["samples"] != int((~hold).sum()):
        sys.exit(f"the app read {dataset['samples']} samples of the {int((~hold).sum())} uploaded")
    held_x = normalise(x[hold], preprocessing.get("scale", 1.0), preprocessing.get("mean", [0.0]), preprocessing.get("std", [1.0]))
    held_y = y[hold]
    original_right = predict(args.model, held_x) == held_y

    figures = {"model": os.path.basename(args.model), "data": [os.path.basename(p) for p in args.data],
               "uploadedSamples": int((~hold).sum()), "heldOutSamples": int(hold.sum()),
               "heldOutRule": "sample i (file order) held out when i mod 5 is 0 or 1",
               "originalHeldOutAccuracy": float(original_right.mean()), "settings": json.loads(args.settings), "seeds": []}
    failures = []
    with tempfile.TemporaryDirectory(prefix="wsw-check-") as scratch:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            body = deep_merge({"modelId": model_id, "datasetId": dataset["id"], "search": {"seed": seed}}, json.loads(args.settings))
            body["search"]["seed"] = seed
            started = time.monotonic()
            run = wait(api, api.call("POST", "/api/runs", body)["id"], args.poll)
            wall = time.monotonic() - started
            entry = {"seed": seed, "runId": run["id"], "status": run["status"], "wallSeconds": round(wall, 1),
                     "timings": run["timings"], "evaluations": run["evaluations"],
                     "targetLoss": run["settings"]["calibration"]["targetLoss"],
                     "tolerance": run.get("recommendationTolerance") or run["settings"]["calibration"]["targetLoss"] or DEFAULT_TOLERANCE,
                     "recommendedSolutionId": run.get("recommendedSolutionId")}
            figures["seeds"].append(entry)
            if run["status"] != "Succeeded":
                failures.append(f"seed {seed}: run {run['status']}: {run.get('error')}")
                continue
            solutions = api.call("GET", f"/api/runs/{run['id']}/solutions")
            entry["solutions"] = len(solutions)
            chosen = next((s for s in solutions if s["id"] == entry["recommendedSolutionId"]), None)
            if chosen is None:
                failures.append(f"seed {seed}: no recommended solution")
                continue
            checkpoint = os.path.join(scratch, f"seed{seed}.pt")
            with open(checkpoint, "wb") as f:
                f.write(api.call("GET", f"/api/solutions/{chosen['id']}/checkpoint", raw=True))
            right = predict(checkpoint, held_x) == held_y
            loss = float(original_right.mean() - right.mean())
            entry.update(description=chosen["description"], parameters=chosen["parameters"], merged=chosen["merged"],
                         compressedBytes=chosen["compressedBytes"], fileCompressionRatio=chosen["fileCompressionRatio"],
                         validationLoss=chosen["validationLoss"], testLoss=chosen["testLoss"],
                         heldOutAccuracy=float(right.mean()), heldOutLoss=loss,
                         heldOutOnlyOriginalRight=int((original_right & ~right).sum()),
                         heldOutOnlyCompressedRight=int((right & ~original_right).sum()),
                         withinTolerance=loss <= entry["tolerance"] + 1e-12)
            if not entry["withinTolerance"]:
                failures.append(f"seed {seed}: held-out loss {loss:+.4f} above the tolerance {entry['tolerance']}")
            v = chosen["validationLoss"]
            print(f"seed {seed}: {chosen['description']}, {chosen['fileCompressionRatio']:.2f}x, validation loss "
                  f"{100 * v['loss']:+.2f} pt [{100 * v['lower']:+.2f}, {100 * v['upper']:+.2f}], held-out loss {100 * loss:+.2f} pt "
                  f"(tolerance {100 * entry['tolerance']:.2f} pt), run {wall:.0f} s", flush=True)
            with open(args.out, "w") as f:
                json.dump(figures, f, indent=2)
    figures["failures"] = failures
    with open(args.out, "w") as f:
        json.dump(figures, f, indent=2)
    print(f"wrote {args.out}")
    if failures:
        sys.exit("\n".join(failures))


if __name__ == "__main__":
    main()
