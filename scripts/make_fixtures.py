#!/usr/bin/env python3
"""Makes the NumPy and PyTorch fixtures Huddle's tests load: small modules of each kind Huddle
maps (nn.Linear, nn.Sequential MLP, nn.RNN, nn.LSTM, nn.LayerNorm, nn.Conv1d/2d, nn.Embedding,
nn.MultiheadAttention and a nanoGPT-style GPT), their state_dicts saved as
safetensors and as .npz, and what PyTorch computes for a fixed input, so the Swift tests
compare Huddle's numbers with PyTorch's without PyTorch installed.

Needs torch, numpy and safetensors (pip install torch numpy safetensors); not run by CI.
Run from the repository root: python3 scripts/make_fixtures.py
"""
import os

import math

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


class CausalSelfAttention(torch.nn.Module):
    """nanoGPT's attention (model.py), written out: c_attn stacks q, k, v; a causal-mask buffer."""

    def __init__(self, d, heads, block, bias):
        super().__init__()
        self.heads = heads
        self.c_attn = torch.nn.Linear(d, 3 * d, bias=bias)
        self.c_proj = torch.nn.Linear(d, d, bias=bias)
        self.register_buffer("bias", torch.tril(torch.ones(block, block)).view(1, 1, block, block))

    def forward(self, x, keep=None):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf")).softmax(dim=-1)
        if keep is not None:
            keep.append(att)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(torch.nn.Module):
    def __init__(self, d, heads, block, bias):
        super().__init__()
        self.ln_1 = torch.nn.LayerNorm(d, bias=bias)
        self.attn = CausalSelfAttention(d, heads, block, bias)
        self.ln_2 = torch.nn.LayerNorm(d, bias=bias)
        self.mlp = torch.nn.Module()
        self.mlp.c_fc = torch.nn.Linear(d, 4 * d, bias=bias)
        self.mlp.c_proj = torch.nn.Linear(4 * d, d, bias=bias)

    def forward(self, x, keep=None):
        x = x + self.attn(self.ln_1(x), keep)
        h = torch.nn.functional.gelu(self.mlp.c_fc(self.ln_2(x)))  # exact (erf) GELU, as nanoGPT
        return x + self.mlp.c_proj(h)


class NanoGPT(torch.nn.Module):
    """nanoGPT's GPT with its state_dict names (transformer.wte, …, lm_head), tied or not."""

    def __init__(self, vocab, d, layers, heads, block, bias=True, tied=True, trained=False):
        super().__init__()
        self.transformer = torch.nn.ModuleDict(dict(
            wte=torch.nn.Embedding(vocab, d), wpe=torch.nn.Embedding(block, d),
            h=torch.nn.ModuleList([Block(d, heads, block, bias) for _ in range(layers)]),
            ln_f=torch.nn.LayerNorm(d, bias=bias)))
        self.lm_head = torch.nn.Linear(d, vocab, bias=False)
        if tied:
            self.transformer.wte.weight = self.lm_head.weight
        if trained:  # nanoGPT's initialisation, for a model that is then trained
            for p in self.parameters():
                if p.dim() > 1:
                    torch.nn.init.normal_(p, std=0.02)
            return
        # Not nanoGPT's N(0, 0.02²): weights that large make attention far from uniform and
        # put GELU's inputs where its exact and tanh forms differ, so a wrong mapping shows.
        for name, p in self.named_parameters():
            if p.dim() > 1:
                torch.nn.init.normal_(p, std=0.5)
            elif name.endswith("bias"):
                torch.nn.init.normal_(p, std=0.3)
            else:
                torch.nn.init.normal_(p, mean=1.0, std=0.2)  # LayerNorm's γ

    def forward(self, ids, keep=None):
        t = self.transformer
        x = t.wte(ids) + t.wpe(torch.arange(ids.shape[-1]))
        for block in t.h:
            x = block(x, keep)
        return self.lm_head(t.ln_f(x))


def save_gpt(name, model, ids, transposed=False):
    """A GPT's state_dict (tied copies kept, as torch.save keeps them; Hugging Face's
    Conv1D layout when transposed) with its logits and every layer's attention."""
    keep = []
    logits = model(ids.unsqueeze(0), keep)[0]
    state = {k: v.detach().clone().contiguous().float() for k, v in model.state_dict().items()}
    if transposed:
        state = {k: (v.t().contiguous() if k.endswith(("c_attn.weight", "c_proj.weight", "c_fc.weight")) else v)
                 for k, v in state.items()}
    save_file(state, os.path.join(OUT, name + ".safetensors"))
    outputs = {"ids": ids.float(), "logits": logits}
    for n, att in enumerate(keep):
        outputs[f"A{n}"] = att[0]  # (heads, T, T)
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

    # nn.MultiheadAttention returns W·Δ (no residual) and, asked, each head's weights.
    h = torch.randn(5, 4)  # (T, d)
    for name, heads, bias in [("mha", 2, True), ("mha_nobias", 2, False), ("mha_onehead", 1, True)]:
        mha = torch.nn.MultiheadAttention(4, heads, bias=bias, batch_first=True)
        if bias:
            mha.in_proj_bias.copy_(torch.randn(12))
            mha.out_proj.bias.copy_(torch.randn(4))
        out, att = mha(h.unsqueeze(0), h.unsqueeze(0), h.unsqueeze(0), average_attn_weights=False)
        save(name, mha, {"x": h, "update": out[0], "A": att[0]})

    # nanoGPT-style GPTs: V = 7, d = 8, 2 layers, 2 heads, block 6.
    ids = torch.tensor([3, 0, 6, 2, 2, 5])
    save_gpt("gpt_bias", NanoGPT(7, 8, 2, 2, 6, bias=True, tied=True), ids)
    save_gpt("gpt_nobias", NanoGPT(7, 8, 2, 2, 6, bias=False, tied=False), ids)
    save_gpt("gpt_conv1d", NanoGPT(7, 8, 2, 2, 6, bias=True, tied=True), ids, transposed=True)


if __name__ == "__main__":
    with torch.no_grad():
        main()
