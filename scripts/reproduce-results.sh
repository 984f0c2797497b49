#!/usr/bin/env bash
# Regenerates docs/results.md: trains ResNet-18 on Fashion-MNIST if work/ lacks it, runs the paper's experiment on it
# and on the fixture CNN with the product's engine, then the ablation beyond the paper (the scalar codec with each
# lever alone and all together, and the paper codec with the product's defaults as the reference), checks the best
# checkpoints in real PyTorch, draws the pictures and writes the page.
# Needs Debian's python3-torch, python3-torchvision, python3-matplotlib and dataset-fashion-mnist (installed here if
# missing and run as root). On two cores: the fixture CNN takes about an hour, ResNet-18 several more.
# Usage: bash scripts/reproduce-results.sh [--skip-resnet | --beyond-only]
#   --skip-resnet  the fixture CNN alone;
#   --beyond-only  only the ablation beyond the paper; Table I comes from the reports an earlier full run left in
#                  work/results (about three hours on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
packages="python3-torch python3-torchvision python3-matplotlib dataset-fashion-mnist"
if ! dpkg -s $packages >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else echo "install: $packages" >&2; exit 1; fi
fi
data=/usr/share/datasets/fashion-mnist
results=docs/results
mkdir -p "$results" work/results
# Built once into work/bin, so that a build in the tree during a long run cannot swap the program under it.
dotnet build -c Release tools/Reproduce -o work/bin -v q >/dev/null
reproduce() { work/bin/WeightShare.Reproduce "$@"; }

# The ablation of one model is run in two halves: the reference pair (the paper codec with the product's defaults
# before this work, and the scalar codec's defaults, which are every lever at once) back to back, so that their wall
# times are measured side by side on a quiet machine; then each lever alone.
# Usage: reference_pair NAME OUT_DIR --model ... --data ... --preprocessing ...; levers_alone the same.
calibrated=(--mode summary --codec scalar --calibration-samples 2000)
reference_pair() {
  local name=$1 out=$2; shift 2
  reproduce --mode summary --codec paper --name "$name: paper" --out "$out/paper" "$@"
  reproduce "${calibrated[@]}" --name "$name: every lever" --out "$out/all" "$@"
}
levers_alone() {
  local name=$1 out=$2; shift 2
  local off=(--objective sharedvalues --option coder=huffman --option residual=deflate --option zero=off --option fine=off --budget 0)
  reproduce "${calibrated[@]}" --name "$name: levers off" --out "$out/off" "${off[@]}" "$@"
  reproduce "${calibrated[@]}" --name "$name: bytes" --out "$out/bytes" --option coder=huffman --option residual=deflate --option zero=off --option fine=off --budget 0 "$@"
  reproduce "${calibrated[@]}" --name "$name: calibration" --out "$out/calibration" --objective sharedvalues --option coder=huffman --option residual=deflate --option zero=off --option fine=off "$@"
  reproduce "${calibrated[@]}" --name "$name: rANS" --out "$out/rans" --objective sharedvalues --option residual=deflate --option zero=off --option fine=off --budget 0 "$@"
  reproduce "${calibrated[@]}" --name "$name: zero bin" --out "$out/zero" --objective sharedvalues --option coder=huffman --option residual=deflate --option fine=off --budget 0 "$@"
  reproduce "${calibrated[@]}" --name "$name: finer steps" --out "$out/fine" --objective sharedvalues --option coder=huffman --option residual=deflate --option zero=off --budget 0 "$@"
  reproduce "${calibrated[@]}" --name "$name: Brotli" --out "$out/brotli" --objective sharedvalues --option coder=huffman --option zero=off --option fine=off --budget 0 "$@"
  reproduce "${calibrated[@]}" --name "$name: debug tables dropped" --out "$out/debug" "${off[@]}" --option debug=drop "$@"
  reproduce "${calibrated[@]}" --name "$name: every lever, debug tables dropped" --out "$out/all-debug" --option debug=drop "$@"
  # Every lever with calibration's target loss at half a point on validation, the default until 2026-12-02.
  reproduce "${calibrated[@]}" --name "$name: every lever, target 0.5" --out "$out/all-target05" --target-loss 0.005 "$@"
}

# Real PyTorch measures the default run's recommended checkpoint (chosen on validation; when the run recommends
# none, the best within half a point of test, else within one point): OUT_DIR SCALE MEAN STD DATA...
pytorch_check() {
  local out=$1 scale=$2 mean=$3 std=$4; shift 4
  local pick='import json,sys; r=json.load(open(sys.argv[1])); b=r.get("recommended") or r["bestWithinHalfPoint"] or r["bestWithinOnePoint"]'
  local checkpoint
  checkpoint=$(/usr/bin/python3 -c "$pick"'; print(b["checkpoint"] if b else "")' "$out/all/summary.json")
  [ -n "$checkpoint" ] || return 0
  local claimed
  claimed=$(/usr/bin/python3 -c "$pick"'; print(b["testAccuracy"])' "$out/all/summary.json")
  local data=()
  for file in "$@"; do data+=(--data "$file"); done
  /usr/bin/python3 scripts/check_checkpoint.py --model "$out/all/files/$checkpoint" "${data[@]}" --indices "$out/all/test_indices.json" \
    --scale "$scale" --mean "$mean" --std "$std" --expect "$claimed" > "$out/all/pytorch.json"
  /usr/bin/python3 -c 'import json,sys,torch; c=json.load(open(sys.argv[1])); c.update(checkpoint=sys.argv[2], claimed=float(sys.argv[3]), torch=torch.__version__); json.dump(c, open(sys.argv[4], "w"))' \
    "$out/all/pytorch.json" "$checkpoint" "$claimed" "$out/all/pytorch-check.json"
}

if [ "$mode" != "--beyond-only" ]; then
  reproduce --name "Fixture CNN / Fashion-MNIST" --model tests/fixtures/out/fmnist_cnn.pt \
    --data "$data/t10k-images-idx3-ubyte.gz" --data "$data/t10k-labels-idx1-ubyte.gz" \
    --preprocessing fashion-mnist --out work/results/fixture-cnn
  /usr/bin/python3 scripts/plot_results.py work/results/fixture-cnn/report.json "$results/fixture-cnn"
  cp work/results/fixture-cnn/report.json "$results/fixture-cnn-report.json"
fi
pairs=("fixture-cnn=work/results/fixture-cnn")

if [ "$mode" != "--skip-resnet" ]; then
  [ -f work/resnet18_fmnist.pt ] || /usr/bin/python3 scripts/train_resnet18_fmnist.py --epochs 3
  [ -f work/fmnist_test_32x3.npz ] || /usr/bin/python3 scripts/train_resnet18_fmnist.py --data-only
  if [ "$mode" != "--beyond-only" ]; then
    reproduce --name "ResNet-18 / Fashion-MNIST" --model work/resnet18_fmnist.pt --data work/fmnist_test_32x3.npz \
      --preprocessing fashion-mnist --out work/results/resnet18
    /usr/bin/python3 scripts/plot_results.py work/results/resnet18/report.json "$results/resnet18"
    cp work/results/resnet18/report.json "$results/resnet18-report.json"
  fi
  pairs+=("resnet18=work/results/resnet18")
fi

fmnist=("$data/t10k-images-idx3-ubyte.gz" "$data/t10k-labels-idx1-ubyte.gz")
cnn=(--model tests/fixtures/out/fmnist_cnn.pt --data "${fmnist[0]}" --data "${fmnist[1]}" --preprocessing fashion-mnist)
resnet=(--model work/resnet18_fmnist.pt --data work/fmnist_test_32x3.npz --preprocessing fashion-mnist)
beyond=("Fixture CNN / Fashion-MNIST=work/results/beyond/fixture-cnn")
# The ResNet-18's reference pair first, while nothing else runs: its wall times are the acceptance's side-by-side figure.
if [ "$mode" != "--skip-resnet" ]; then
  reference_pair "ResNet-18" work/results/beyond/resnet18 "${resnet[@]}"
  pytorch_check work/results/beyond/resnet18 0.00392156862745098 0.2860 0.3530 work/fmnist_test_32x3.npz
fi
reference_pair "Fixture CNN" work/results/beyond/fixture-cnn "${cnn[@]}"
pytorch_check work/results/beyond/fixture-cnn 0.00392156862745098 0.2860 0.3530 "${fmnist[@]}"
levers_alone "Fixture CNN" work/results/beyond/fixture-cnn "${cnn[@]}"
if [ "$mode" != "--skip-resnet" ]; then
  levers_alone "ResNet-18" work/results/beyond/resnet18 "${resnet[@]}"
  beyond+=("ResNet-18 / Fashion-MNIST=work/results/beyond/resnet18")
fi
mkdir -p "$results/beyond"
for model in work/results/beyond/*; do
  for run in "$model"/*/; do
    if [ -f "$run/summary.json" ]; then cp "$run/summary.json" "$results/beyond/$(basename "$model")-$(basename "$run").json"; fi
  done
done

# The second paper's codec (additive quantization): the fixture CNN through the whole pipeline; on ResNet-18, where
# one fitness evaluation with fine-tuning costs minutes, a sweep of chosen points each fitted and fine-tuned.
mkdir -p "$results/additive"
reproduce --mode summary --codec additive --calibration-samples 2000 --name "Fixture CNN: additive" \
  --out work/results/additive/fixture-cnn "${cnn[@]}"
cp work/results/additive/fixture-cnn/summary.json "$results/additive/fixture-cnn.json"
if [ "$mode" != "--skip-resnet" ]; then
  reproduce --mode plans --codec additive --calibration-samples 2000 --calibration-steps 800 --name "ResNet-18: additive, 800 steps" \
    --out work/results/additive/resnet18 "${resnet[@]}" --plan 8,2,8
  cp work/results/additive/resnet18/plans.json "$results/additive/resnet18-plans.json"
fi

/usr/bin/python3 scripts/write_results.py docs/results.md docs/results-notes.md "${pairs[@]}" --beyond docs/results-beyond-notes.md "${beyond[@]}"
echo "wrote docs/results.md"
