#!/usr/bin/env python3
"""The reference for `huddle bench`: the same measurements in NumPy (OpenBLAS), single
thread, printed in the same JSON Lines format with a "numpy_" prefix.

- numpy_matmul_N: float32 N×N @ N×N, best of the runs, GFLOP/s.
- numpy_mlp_step: a hand-written forward + backward + Adam step of an MLP 2→128→128→2
  (ReLU, softmax cross-entropy) on a batch of 256, median of the runs, in ms.

Run through scripts/bench so both are measured side by side on one machine.
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
try:
    import numpy as np
except ImportError:
    sys.exit("numpy is not installed (pip install numpy); skipping the reference")

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 30


def matmul_gflops(n):
    rng = np.random.default_rng(1)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    repeats = max(1, 50_000_000 // (2 * n ** 3))
    for _ in range(3):
        a @ b
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(repeats):
            a @ b
        best = min(best, (time.perf_counter() - start) / repeats)
    return 2 * n ** 3 / best / 1e9


def mlp_step_ms():
    rng = np.random.default_rng(1)
    sizes = [2, 128, 128, 2]
    params = []
    for i in range(1, len(sizes)):
        w = (rng.standard_normal((sizes[i], sizes[i - 1])) * np.sqrt(2 / sizes[i - 1])).astype(np.float32)
        params += [w, np.zeros(sizes[i], np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.standard_normal((256, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    t = 0

    def step():
        nonlocal t
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1.T + b1; h1 = np.maximum(z1, 0)
        z2 = h1 @ w2.T + b2; h2 = np.maximum(z2, 0)
        logits = h2 @ w3.T + b3
        logits = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(logits); p /= p.sum(axis=1, keepdims=True)
        g = p.copy(); g[np.arange(len(y)), y] -= 1; g /= len(y)
        gw3 = g.T @ h2; gb3 = g.sum(0); gh2 = g @ w3 * (z2 > 0)
        gw2 = gh2.T @ h1; gb2 = gh2.sum(0); gh1 = gh2 @ w2 * (z1 > 0)
        gw1 = gh1.T @ x; gb1 = gh1.sum(0)
        t += 1
        for i, grad in enumerate([gw1, gb1, gw2, gb2, gw3, gb3]):
            m[i] = 0.9 * m[i] + 0.1 * grad
            v[i] = 0.999 * v[i] + 0.001 * grad * grad
            params[i] -= 1e-3 * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)

    for _ in range(10):
        step()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


for n in (64, 128, 256, 512):
    print(json.dumps({"name": f"numpy_matmul_{n}", "gflops": round(matmul_gflops(n), 1)}))
print(json.dumps({"name": "numpy_mlp_step", "ms": round(mlp_step_ms(), 3)}))
