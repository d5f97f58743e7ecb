#!/usr/bin/env bash
# Copies testdata/vm/*.vmfb into fuzz/corpus/load_and_run (the seed corpus).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/fuzz/corpus/load_and_run"
cp "$root"/testdata/vm/*.vmfb "$root/fuzz/corpus/load_and_run/"
echo "seeded $(ls "$root/fuzz/corpus/load_and_run" | wc -l) files"
