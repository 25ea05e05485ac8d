#!/usr/bin/env python3
"""Makes the NumPy and PyTorch fixtures Huddle's tests load: small modules of each kind Huddle
maps (nn.Linear, nn.Sequential MLP, nn.RNN, nn.LSTM), their state_dicts saved as
safetensors and as .npz, and what PyTorch computes for a fixed input, so the Swift tests
compare Huddle's numbers with PyTorch's without PyTorch installed.

Needs torch, numpy and safetensors (pip install torch numpy safetensors); not run by CI.
Run from the repository root: python3 scripts/make_fixtures.py
"""
import os

import numpy as np
import torch
from safetensors.torch import save_file

OUT = os.path.join("Tests", "LessonsTests", "Fixtures", "pytorch")


def save(name, module, outputs):
    """The module's state_dict as NAME.safetensors and NAME.npz; outputs as NAME-out.npz."""
    state = {k: v.detach().contiguous().float() for k, v in module.state_dict().items()}
    save_file(state, os.path.join(OUT, name + ".safetensors"))
    np.savez(os.path.join(OUT, name + ".npz"), **{k: v.numpy() for k, v in state.items()})
    np.savez(os.path.join(OUT, name + "-out.npz"), **{k: v.detach().float().numpy() for k, v in outputs.items()})


def numpy_files():
    """The .npy and .npz files the Checkpoint tests read, as NumPy writes them."""
    out = os.path.join("Tests", "CheckpointTests", "Fixtures")
    os.makedirs(out, exist_ok=True)
    a = np.arange(6, dtype=np.float32).reshape(2, 3) / 4
    np.save(os.path.join(out, "c_order_f4.npy"), a)
    np.save(os.path.join(out, "fortran_f8.npy"), np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
    np.save(os.path.join(out, "big_endian_f4.npy"), a.astype(">f4"))
    np.save(os.path.join(out, "int64.npy"), np.array([1, -2, 3], dtype=np.int64))
    bias = np.array([0.5, -0.25], dtype=np.float32)
    np.savez(os.path.join(out, "two.npz"), weight=a, bias=bias)
    np.savez_compressed(os.path.join(out, "two_compressed.npz"), weight=a, bias=bias)


def main():
    numpy_files()
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(18)
    x = torch.randn(5, 3)  # (T or N, features)

    linear = torch.nn.Linear(3, 4)
    save("linear", linear, {"x": x, "y": linear(x)})

    mlp = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2))
    save("mlp", mlp, {"x": x, "y": mlp(x)})

    # The same MLP inside a module of the instructor's, so every name starts "net.".
    wrapped = torch.nn.Module()
    wrapped.net = mlp
    save("mlp_prefixed", wrapped, {"x": x, "y": mlp(x)})

    rnn = torch.nn.RNN(3, 4)  # tanh, one layer, h0 = 0
    h, _ = rnn(x.unsqueeze(1))
    save("rnn", rnn, {"x": x, "h": h.squeeze(1)})

    lstm = torch.nn.LSTM(3, 4)
    hs, cs = [], []
    state = None
    for t in range(x.shape[0]):  # step by step, to keep every c_t
        out, state = lstm(x[t:t + 1].unsqueeze(1), state)
        hs.append(state[0].reshape(-1))
        cs.append(state[1].reshape(-1))
    save("lstm", lstm, {"x": x, "h": torch.stack(hs), "c": torch.stack(cs)})

    norm = torch.nn.LayerNorm(4)
    norm.weight.copy_(torch.randn(4))
    norm.bias.copy_(torch.randn(4))
    h = torch.randn(3, 4)
    save("layernorm", norm, {"x": h, "y": norm(h)})

    conv1 = torch.nn.Conv1d(2, 3, 3, padding=1)
    signal = torch.randn(2, 2, 6)  # (N, C, L)
    save("conv1d", conv1, {"x": signal, "y": conv1(signal)})

    conv2 = torch.nn.Conv2d(1, 2, 3, padding=1)
    image = torch.randn(1, 1, 5, 5)  # (N, C, H, W)
    save("conv2d", conv2, {"x": image, "y": conv2(image)})

    words = torch.nn.Embedding(5, 4)  # ids 0…4 are the words of Huddle's vocabulary, in its order
    save("embedding", words, {"weight": words.weight})


if __name__ == "__main__":
    with torch.no_grad():
        main()
