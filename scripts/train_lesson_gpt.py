#!/usr/bin/env python3
"""Trains the character GPT that lesson 16 loads: nanoGPT's architecture (exact GELU, no
biases, tied decoder) on Lessons/data/party.txt, in PyTorch, and writes

  Lessons/data/party-gpt.safetensors   its state_dict, under nanoGPT's names
  Lessons/data/party-gpt-check.npz     PyTorch's logits and attention for one sentence,
                                       which the lesson checks Huddle against

Needs torch, numpy and safetensors; not run by CI. Run from the repository root:
python3 scripts/train_lesson_gpt.py   (about a minute on one core)
"""
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file

sys.path.insert(0, os.path.dirname(__file__))
from make_fixtures import NanoGPT  # noqa: E402

DATA = os.path.join("Lessons", "data")
D, LAYERS, HEADS, BLOCK = 48, 2, 4, 32
STEPS, BATCH, LR = 3000, 32, 2e-3
SENTENCE = "Then the meeting began. Every gu"


def main():
    torch.manual_seed(16)
    torch.set_num_threads(1)
    text = open(os.path.join(DATA, "party.txt"), encoding="utf-8").read()
    chars = sorted(set(text))  # nanoGPT's prepare.py: ids in sorted order, as Huddle's
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text])
    model = NanoGPT(len(chars), D, LAYERS, HEADS, BLOCK, bias=False, tied=True, trained=True)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.1)
    for step in range(STEPS):
        starts = torch.randint(len(data) - BLOCK - 1, (BATCH,))
        x = torch.stack([data[s:s + BLOCK] for s in starts])
        y = torch.stack([data[s + 1:s + BLOCK + 1] for s in starts])
        loss = torch.nn.functional.cross_entropy(model(x).reshape(-1, len(chars)), y.reshape(-1))
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 500 == 0 or step == STEPS - 1:
            print(f"step {step}: loss {loss.item():.3f}")
    model.eval()
    with torch.no_grad():
        state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()
                 if not k.endswith(".attn.bias")}  # the causal mask is a buffer, not a weight
        state.pop("lm_head.weight")  # tied: the same tensor as transformer.wte.weight
        save_file(state, os.path.join(DATA, "party-gpt.safetensors"),
                  metadata={"vocabulary": "".join(chars), "trained": f"{STEPS} steps of AdamW on party.txt"})
        keep = []
        ids = torch.tensor([[stoi[c] for c in SENTENCE]])
        logits = model(ids, keep)[0]
        check = {"logits": logits.numpy()}
        for n, att in enumerate(keep):
            check[f"A{n + 1}"] = att[0].numpy()  # (heads, T, T) of layer n + 1
        np.savez_compressed(os.path.join(DATA, "party-gpt-check.npz"), **check)
        # What it writes from the sentence, greedily, for the lesson's prose.
        out = ids
        for _ in range(60):
            nxt = model(out[:, -BLOCK:])[0, -1].argmax()
            out = torch.cat([out, nxt.view(1, 1)], dim=1)
        print(repr("".join(chars[i] for i in out[0].tolist())))


if __name__ == "__main__":
    main()
