#!/usr/bin/env bash
# Rebuilds testdata/vmvx (issue 13): compiles every program of the corpus
# (testdata/corpus/*.mlir, with the flags of its `// compile-flags:` line)
# for VMVX with the pinned iree-compile, three ways: plain/ (bytecode only),
# ukernels/ (--iree-vmvx-enable-microkernels, importing the `vmvx`
# module) and datatiling/ (microkernels and --iree-opt-data-tiling; only
# the programs whose executables then call vmvx.mmt4d, pack, unpack or
# query_tile_sizes.2d are kept). For every case of testdata/corpus/cases.tsv it records what the
# reference runtime returns on local-sync (whose device loads VMVX) for
# the corpus inputs (testdata/corpus/inputs, written by gen-corpus.sh).
# tests/vmvx_corpus.rs runs the same cases on our `vmvx` driver.
#
# executables/ew_f32_{plain,ukernels}.fb: the one executable of ew_f32.vmfb
# of each variant, for the malformed-input tests.
#
# A program the compiler cannot build for VMVX, or a case the reference
# cannot run, is listed in <variant>/skipped.tsv with the reason.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
corpus="$root/testdata/corpus"
out="$root/testdata/vmvx"

input_flags() {  # case, input specs...
  local case="$1"; shift
  local index=0 spec
  for spec in "$@"; do
    if [[ -e "$corpus/inputs/$case.$index.bin" ]]; then
      echo "--input=${spec%%:*}=@$corpus/inputs/$case.$index.bin"
    else
      echo "--input=@$corpus/inputs/$case.$index.npy"
    fi
    index=$((index + 1))
  done
}

for variant in plain ukernels datatiling; do
  dir="$out/$variant"
  rm -rf "$dir"
  mkdir -p "$dir/expected"
  : > "$dir/skipped.tsv"
  flags=(--iree-hal-target-device=local --iree-hal-local-target-device-backends=vmvx)
  [[ $variant != plain ]] && flags+=(--iree-vmvx-enable-microkernels)
  [[ $variant == datatiling ]] && flags+=(--iree-opt-data-tiling)
  for src in "$corpus"/*.mlir; do
    name="$(basename "${src%.mlir}")"
    extra=()
    if line="$(grep -m1 '^// compile-flags:' "$src")"; then
      read -r -a extra <<<"${line#// compile-flags:}"
    fi
    # llvm-cpu-only flags mean nothing to VMVX.
    kept=()
    for f in "${extra[@]}"; do [[ $f == --iree-llvmcpu-* ]] || kept+=("$f"); done
    if ! err="$("$bin/iree-compile" "${flags[@]}" "${kept[@]}" "$src" -o "$dir/$name.vmfb" 2>&1)"; then
      rm -f "$dir/$name.vmfb"
      printf '%s\tcompile\t%s\n' "$name" "$(grep -m1 'error' <<<"$err" | cut -c1-200)" >> "$dir/skipped.tsv"
    elif [[ $variant == datatiling ]] && ! unzip -p "$dir/$name.vmfb" '*.fb' | grep -a 'vmvx\.\(mmt4d\|pack\|unpack\|query_tile_sizes\)' >/dev/null; then
      rm -f "$dir/$name.vmfb"
      printf '%s\tno-tiling\tits executables call no data-tiling microkernel\n' "$name" >> "$dir/skipped.tsv"
    fi
  done

  multi_call_cases=()
  while IFS=$'\t' read -r -a fields; do
    [[ ${#fields[@]} -eq 0 || ${fields[0]} == \#* ]] && continue
    case="${fields[0]}" module="${fields[1]}" function="${fields[2]}" calls="${fields[3]}"
    [[ -e "$dir/$module.vmfb" ]] || continue
    if ((calls > 1)); then
      multi_call_cases+=("$case")
      continue
    fi
    mapfile -t inputs < <(input_flags "$case" "${fields[@]:4}")
    run=("$bin/iree-run-module" --device=local-sync --module="$dir/$module.vmfb" --function="$function" "${inputs[@]}")
    if ! printed="$("${run[@]}" 2>&1)"; then
      printf '%s\trun\t%s\n' "$case" "$(grep -m1 -i 'error\|status' <<<"$printed" | cut -c1-200)" >> "$dir/skipped.tsv"
      continue
    fi
    mapfile -t types < <(grep -A1 '^result\[' <<<"$printed" | grep -v '^result\[\|^--$' | sed 's/=.*//')
    outputs=()
    for i in "${!types[@]}"; do
      if [[ ${types[$i]} == *bf16 ]]; then
        outputs+=("--output=@$dir/expected/$case.0.$i.bin")
        echo "${types[$i]}" > "$dir/expected/$case.0.$i.bin.type"
      else
        outputs+=("--output=@$dir/expected/$case.0.$i.npy")
      fi
    done
    "${run[@]}" "${outputs[@]}" > /dev/null
  done < "$corpus/cases.tsv"

  "$bin/python" - "$corpus" "$dir" "${multi_call_cases[@]}" <<'PY'
import sys
import numpy as np
import iree.runtime as rt

corpus, out, wanted = sys.argv[1], sys.argv[2], set(sys.argv[3:])
for line in open(f"{corpus}/cases.tsv"):
    fields = line.rstrip("\n").split("\t")
    if fields[0] not in wanted:
        continue
    case, module, function, calls = fields[0], fields[1], fields[2], int(fields[3])
    inputs = [np.load(f"{corpus}/inputs/{case}.{i}.npy") for i in range(len(fields) - 4)]
    context = rt.SystemContext(config=rt.Config("local-sync"))
    with open(f"{out}/{module}.vmfb", "rb") as f:
        context.add_vm_module(rt.VmModule.copy_buffer(context.instance, f.read()))
    entry = context.modules.module[function]
    for call in range(calls):
        results = entry(*inputs)
        if not isinstance(results, (tuple, list)):
            results = (results,)
        for i, result in enumerate(results):
            np.save(f"{out}/expected/{case}.{call}.{i}.npy", np.asarray(result.to_host()))
PY
  # One executable as the loader sees it, for tests/vmvx_malformed.rs.
  mkdir -p "$out/executables"
  [[ -e "$dir/ew_f32.vmfb" ]] && unzip -p "$dir/ew_f32.vmfb" ops_dispatch_0_vmvx_bytecode_fb.fb > "$out/executables/ew_f32_$variant.fb"
  echo "$variant: $(ls "$dir"/*.vmfb | wc -l) modules, $(ls "$dir/expected" | cut -d. -f1 | sort -u | wc -l) cases recorded, $(wc -l < "$dir/skipped.tsv") skipped"
done
