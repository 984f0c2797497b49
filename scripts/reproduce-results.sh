#!/usr/bin/env bash
# Regenerates docs/results.md: trains ResNet-18 on Fashion-MNIST if work/ lacks it, runs the paper's experiment on it
# and on the fixture CNN with the product's engine, draws the pictures and writes the page.
# Needs Debian's python3-torch, python3-torchvision, python3-matplotlib and dataset-fashion-mnist (installed here if
# missing and run as root). The ResNet-18 run with the paper's settings takes hours on two cores.
# Usage: bash scripts/reproduce-results.sh [--skip-resnet]
set -euo pipefail
cd "$(dirname "$0")/.."
packages="python3-torch python3-torchvision python3-matplotlib dataset-fashion-mnist"
if ! dpkg -s $packages >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
  else echo "install: $packages" >&2; exit 1; fi
fi
data=/usr/share/datasets/fashion-mnist
results=docs/results
mkdir -p "$results" work/results
reproduce() { dotnet run -c Release --project tools/Reproduce -- "$@"; }

reproduce --name "Fixture CNN / Fashion-MNIST" --model tests/fixtures/out/fmnist_cnn.pt \
  --data "$data/t10k-images-idx3-ubyte.gz" --data "$data/t10k-labels-idx1-ubyte.gz" \
  --preprocessing fashion-mnist --out work/results/fixture-cnn
/usr/bin/python3 scripts/plot_results.py work/results/fixture-cnn/report.json "$results/fixture-cnn"
cp work/results/fixture-cnn/report.json "$results/fixture-cnn-report.json"
pairs=("fixture-cnn=work/results/fixture-cnn")

if [ "${1:-}" != "--skip-resnet" ]; then
  [ -f work/resnet18_fmnist.pt ] || /usr/bin/python3 scripts/train_resnet18_fmnist.py --epochs 3
  [ -f work/fmnist_test_32x3.npz ] || /usr/bin/python3 scripts/train_resnet18_fmnist.py --data-only
  reproduce --name "ResNet-18 / Fashion-MNIST" --model work/resnet18_fmnist.pt --data work/fmnist_test_32x3.npz \
    --preprocessing fashion-mnist --out work/results/resnet18
  /usr/bin/python3 scripts/plot_results.py work/results/resnet18/report.json "$results/resnet18"
  cp work/results/resnet18/report.json "$results/resnet18-report.json"
  pairs+=("resnet18=work/results/resnet18")
fi

/usr/bin/python3 scripts/write_results.py docs/results.md docs/results-notes.md "${pairs[@]}"
echo "wrote docs/results.md"
