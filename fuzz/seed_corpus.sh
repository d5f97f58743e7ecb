#!/usr/bin/env bash
# Seeds the fuzz corpora: testdata/vm/*.vmfb into fuzz/corpus/load_and_run;
# the text-form inputs of testdata/hal/text_cases.txt (one file each), the
# .npy files of testdata/hal/npy and the hostile inputs of testdata/fuzz/hal
# into fuzz/corpus/hal_text_npy; the executables of testdata/hal/elf into
# fuzz/corpus/elf_loader.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/fuzz/corpus/load_and_run" "$root/fuzz/corpus/hal_text_npy"
cp "$root"/testdata/vm/*.vmfb "$root/fuzz/corpus/load_and_run/"
echo "seeded $(ls "$root/fuzz/corpus/load_and_run" | wc -l) files for load_and_run"
hal="$root/fuzz/corpus/hal_text_npy"
cp "$root"/testdata/hal/npy/*.npy "$root"/testdata/fuzz/hal/* "$hal/"
n=0
grep -v '^#' "$root/testdata/hal/text_cases.txt" | cut -f1 | while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$hal/text_$n.txt"
done
echo "seeded $(ls "$hal" | wc -l) files for hal_text_npy"
elf="$root/fuzz/corpus/elf_loader"
mkdir -p "$elf"
cp "$root"/testdata/hal/elf/*.so "$elf/"
echo "seeded $(ls "$elf" | wc -l) files for elf_loader"
