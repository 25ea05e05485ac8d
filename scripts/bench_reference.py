#!/usr/bin/env python3
"""The reference for `huddle bench`: the same work in NumPy (OpenBLAS) and PyTorch
(eager, CPU), one thread, printed in the same JSON Lines format with a "numpy_" or
"torch_" prefix. Run through scripts/bench, which alternates it with Huddle's runs and
prints the ratios; needs numpy, and torch for the torch_ lines (pip install torch) —
never needed by the tests.

- numpy_matmul_N: float32 N×N @ N×N, best of the runs, GFLOP/s.
- numpy_mlp_step: a hand-written forward + backward + Adam step of an MLP 2→128→128→2
  (ReLU, softmax cross-entropy) on a batch of 256, median of the runs, in ms.
- numpy_diffusion_step / torch_diffusion_step: an MLP 3→128→128→2 (tanh-GELU) on a batch
  of 256, mean squared error, backward, Adam lr 1e-3.
- torch_gpt_step: a character GPT (V = 65, 2 layers, 4 heads, d = 64, context 32,
  batch 16), pre-LN, tanh-GELU, tied decoder, no attention biases (Huddle's default
  GPT); cross-entropy, backward, clip to norm 1, AdamW lr 1e-3.
- torch_lstm_fwd_bwd: nn.LSTM(32, 64) over T = 32 steps of a batch of 16, loss = sum of
  h, backward.

Usage: bench_reference.py [RUNS [NAME…]] (names as in `huddle bench`).
"""
import json
import math
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
WANTED = set(sys.argv[2:])


def wanted(name):
    return not WANTED or name in WANTED


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


def adam(params, grads, m, v, t, lr=1e-3):
    """Adam's update in place, as torch.optim.Adam and Huddle's Adam compute it."""
    for i, grad in enumerate(grads):
        m[i] = 0.9 * m[i] + 0.1 * grad
        v[i] = 0.999 * v[i] + 0.001 * grad * grad
        params[i] -= lr * (m[i] / (1 - 0.9 ** t)) / (np.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8)


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
        adam(params, [gw1, gb1, gw2, gb2, gw3, gb3], m, v, t)

    return median_ms(step, 10)


def median_ms(step, warm_up):
    for _ in range(warm_up):
        step()
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


def report(name, ms):
    print(json.dumps({"name": name, "ms": round(ms, 3)}), flush=True)


def numpy_diffusion_step():
    rng = np.random.default_rng(1)
    sizes = [3, 128, 128, 2]
    params = []
    for i in range(1, len(sizes)):
        params += [(rng.standard_normal((sizes[i], sizes[i - 1])) / np.sqrt(sizes[i - 1])).astype(np.float32),
                   np.zeros(sizes[i], np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    x = rng.standard_normal((256, 3)).astype(np.float32)
    target = rng.standard_normal((256, 2)).astype(np.float32)
    c, a = np.float32(math.sqrt(2 / math.pi)), np.float32(0.044715)
    t = 0

    def gelu(z):
        th = np.tanh(c * (z + a * z * z * z))
        return 0.5 * z * (1 + th), th

    def gelu_slope(z, th):
        return 0.5 * (1 + th) + 0.5 * z * (1 - th * th) * c * (1 + 3 * a * z * z)

    def step():
        nonlocal t
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1.T + b1; h1, t1 = gelu(z1)
        z2 = h1 @ w2.T + b2; h2, t2 = gelu(z2)
        y = h2 @ w3.T + b3
        g = (2 / y.size) * (y - target)
        gw3 = g.T @ h2; gb3 = g.sum(0); gz2 = (g @ w3) * gelu_slope(z2, t2)
        gw2 = gz2.T @ h1; gb2 = gz2.sum(0); gz1 = (gz2 @ w2) * gelu_slope(z1, t1)
        gw1 = gz1.T @ x; gb1 = gz1.sum(0)
        t += 1
        adam(params, [gw1, gb1, gw2, gb2, gw3, gb3], m, v, t)

    return median_ms(step, 10)


def torch_benchmarks():
    try:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
    except ImportError:
        print("torch is not installed (pip install torch); skipping the PyTorch reference", file=sys.stderr)
        return
    torch.set_num_threads(1)
    torch.manual_seed(1)

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.heads = heads
            self.ln_1, self.ln_2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.c_attn = nn.Linear(d, 3 * d, bias=False)
            self.c_proj = nn.Linear(d, d, bias=False)
            self.fc, self.proj = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

        def forward(self, x):
            B, T, d = x.shape
            q, k, v = self.c_attn(self.ln_1(x)).split(d, dim=2)
            q, k, v = (t.view(B, T, self.heads, d // self.heads).transpose(1, 2) for t in (q, k, v))
            scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
            scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
            y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, d)
            x = x + self.c_proj(y)
            return x + self.proj(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))

    class GPT(nn.Module):
        def __init__(self, V=65, d=64, layers=2, heads=4, block=32):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(V, d), nn.Embedding(block, d)
            self.h = nn.ModuleList(Block(d, heads) for _ in range(layers))
            self.ln_f = nn.LayerNorm(d)

        def forward(self, ids):
            x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
            for block in self.h:
                x = block(x)
            return self.ln_f(x) @ self.wte.weight.T

    if wanted("gpt_step"):
        V, T, B = 65, 32, 16
        gpt = GPT()
        optimizer = torch.optim.AdamW(gpt.parameters(), lr=1e-3, weight_decay=0.01)
        text = torch.randint(0, V, (4096,))

        def gpt_step():
            starts = torch.randint(0, len(text) - T, (B,))
            x = torch.stack([text[s:s + T] for s in starts])
            y = torch.stack([text[s + 1:s + T + 1] for s in starts])
            optimizer.zero_grad()
            F.cross_entropy(gpt(x).view(B * T, V), y.view(-1)).backward()
            nn.utils.clip_grad_norm_(gpt.parameters(), 1.0)
            optimizer.step()

        report("torch_gpt_step", median_ms(gpt_step, 5))

    if wanted("lstm_fwd_bwd"):
        lstm = nn.LSTM(32, 64, batch_first=True)
        xs = torch.randn(16, 32, 32)

        def lstm_step():
            lstm.zero_grad()
            lstm(xs)[0].sum().backward()

        report("torch_lstm_fwd_bwd", median_ms(lstm_step, 5))

    if wanted("diffusion_step"):
        mlp = nn.Sequential(nn.Linear(3, 128), nn.GELU(approximate="tanh"), nn.Linear(128, 128),
                            nn.GELU(approximate="tanh"), nn.Linear(128, 2))
        adam = torch.optim.Adam(mlp.parameters(), lr=1e-3)
        xd, target = torch.randn(256, 3), torch.randn(256, 2)

        def diffusion_step():
            adam.zero_grad()
            F.mse_loss(mlp(xd), target).backward()
            adam.step()

        report("torch_diffusion_step", median_ms(diffusion_step, 10))


for n in (64, 128, 256, 512):
    if wanted(f"matmul_{n}"):
        print(json.dumps({"name": f"numpy_matmul_{n}", "gflops": round(matmul_gflops(n), 1)}), flush=True)
if wanted("mlp_step"):
    report("numpy_mlp_step", mlp_step_ms())
if wanted("diffusion_step"):
    report("numpy_diffusion_step", numpy_diffusion_step())
torch_benchmarks()
