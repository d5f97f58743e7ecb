#!/usr/bin/env python3
"""LiteRT's half of tools/bench_tflite.sh: loads MODEL.tflite with
ai-edge-litert's Interpreter (its default XNNPACK delegate) on THREADS
threads, sets the inputs from raw files (zeros when none is given), runs
WARMUP invokes, then prints the wall time of each of ITERATIONS invokes in
microseconds on one line, and writes the outputs of the last one to
OUT_PREFIX.outN.bin when OUT_PREFIX is set. Inputs and outputs are in the
order of the model's signature names as the .vmfb sidecar lists them
(SIDECAR, optional; else LiteRT's order).

Usage: bench_tflite_litert.py MODEL THREADS WARMUP ITERATIONS [input.bin ...]
"""
import os
import sys
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def order(details, names):
    by_name = {d["name"]: d for d in details}
    if names and all(n in by_name for n in names):
        return [by_name[n] for n in names]
    return details


def main():
    model, threads, warmup, iterations = sys.argv[1], *map(int, sys.argv[2:5])
    paths = sys.argv[5:]
    interp = Interpreter(model_path=model, num_threads=threads)
    interp.allocate_tensors()
    names = {"input": [], "output": []}
    sidecar = os.environ.get("SIDECAR")
    if sidecar and os.path.exists(sidecar):
        for line in open(sidecar):
            if line.startswith("#") or not line.strip():
                continue
            direction, _, name = line.split("\t")[:3]
            names[direction].append(name)
    inputs = order(interp.get_input_details(), names["input"])
    outputs = order(interp.get_output_details(), names["output"])
    for i, d in enumerate(inputs):
        if i < len(paths):
            data = np.fromfile(paths[i], dtype=d["dtype"]).reshape(d["shape"])
        else:
            data = np.zeros(d["shape"], dtype=d["dtype"])
        interp.set_tensor(d["index"], data)
    for _ in range(warmup):
        interp.invoke()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        interp.invoke()
        times.append((time.perf_counter() - start) * 1e6)
    print(" ".join(f"{t:.1f}" for t in times))
    prefix = os.environ.get("OUT_PREFIX")
    if prefix:
        for i, d in enumerate(outputs):
            interp.get_tensor(d["index"]).tofile(f"{prefix}.out{i}.bin")


if __name__ == "__main__":
    main()
